"""A summary page for staff, in the hospital's working language, after a consent in another.

The consent itself stays in the patient's language: it is what they read and signed. When
that is not the hospital's working language (the `staff_language` setting), the care team
still has to see at a glance what happened, so the PDF ends with one more page in the staff
language: the outcome, every flag, each misunderstood question with every answer tried and the
right one, each statement confirmed or not, and who signed and when. Its texts come from the
staff language's content pack, matched to the record by id (`staff_view`); the record and the
pages before it are unchanged. No Qt here.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass

from reportlab.platypus import Flowable, PageBreak, Spacer

from kiosk.documents.blocks import Context
from kiosk.documents.labels import Labels


@dataclass(frozen=True)
class StaffSummary:
    """What the staff page needs: the record seen in the staff language, its words, and the
    two languages' own names (the patient's and the staff's)."""

    view: dict
    labels: Mapping[str, str]
    patient_language: str  # the patient's language, named in the staff language's file ("Español")
    staff_language: str  # the staff language's own name ("English")
    direction: str = "ltr"
    page_titles: Mapping[str, str] = None  # page id -> its title in the staff language


def staff_view(record: dict, staff_pack) -> dict:
    """A copy of `record` whose question, choice, statement and risk texts are the staff
    pack's (same ids); anything the staff pack lacks keeps the patient's words."""
    view = copy.deepcopy(record)
    view["language"], view["direction"] = staff_pack.language, staff_pack.direction
    role = (view.get("signature") or {}).get("signer_role") or (
        "representative" if view.get("representative") else "patient")
    for answer in view.get("answers") or []:
        try:
            question = staff_pack.question(answer.get("question_id"))
        except KeyError:
            continue
        texts = {choice.id: choice.text for choice in question.choices}
        answer["prompt"] = question.prompt
        for choice in answer.get("choices") or []:
            choice["text"] = texts.get(choice.get("id"), choice.get("text"))
        for attempt in answer.get("attempts") or []:
            attempt["text"] = texts.get(attempt.get("choice"), attempt.get("text"))
    statements = {s.id: s for s in staff_pack.statements}
    for statement in view.get("statements") or []:
        known = statements.get(statement.get("id"))
        if known is not None:
            statement["text"] = known.text_for(role)
    risks = {r.id: r for r in staff_pack.risks}
    for risk in view.get("risks") or []:
        known = risks.get(risk.get("id"))
        if known is not None:
            risk["name"], risk["summary"] = known.name, known.summary
    return view


def make_staff_summary(record: dict, patient_pack, staff_pack) -> StaffSummary | None:
    """The staff page for `record`, or None when the patient used the staff language."""
    if staff_pack is None or staff_pack.language == patient_pack.language:
        return None
    from kiosk.content import available_languages

    names = dict(available_languages())
    return StaffSummary(view=staff_view(record, staff_pack), labels=staff_pack.pdf_labels,
                        patient_language=names.get(patient_pack.language, patient_pack.language),
                        staff_language=names.get(staff_pack.language, staff_pack.language),
                        direction=staff_pack.direction,
                        page_titles={page.id: page.title for page in staff_pack.pages})


def staff_story(staff: StaffSummary, ctx: Context, where) -> list[Flowable]:
    """The staff page's flowables, starting on a page of its own. `ctx` carries the staff
    language's labels and direction; `where` names the step of a help request."""
    from kiosk.documents.sections import answer_summary, approval_lines, signer_summary, statements_section
    from kiosk.documents.summary import summary_block

    view = staff.view
    out: list[Flowable] = [PageBreak(), ctx.para(ctx.labels("staff_summary_title"), "title"),
                           ctx.para(ctx.labels("staff_summary_intro", language=staff.patient_language,
                                               staff_language=staff.staff_language)),
                           # the content's approval and the translation's review, in the staff's words
                           *[ctx.para(line, "notice" if warning else "small") for line, warning in approval_lines(view, ctx)],
                           *summary_block(view, ctx, where)]
    flags = [flag for flag in view.get("flags") or []]
    if not flags:
        out += [Spacer(1, 4), ctx.para(ctx.labels("staff_summary_no_flags"), "strong")]
    out += [Spacer(1, 8), ctx.heading("staff_summary_answers")]
    out += [answer_summary(number, answer, ctx) for number, answer in enumerate(view.get("answers") or [], start=1)]
    out += statements_section(view, ctx)
    out += signer_summary(view, ctx)
    return out


def staff_context(staff: StaffSummary, ctx: Context) -> Context:
    """The document's context with the staff language's words and direction."""
    return Context(labels=Labels(staff.labels), width=ctx.width, blank=False, rtl=staff.direction == "rtl",
                   page_titles=dict(staff.page_titles or ctx.page_titles), time_zone=ctx.time_zone, placements={})
