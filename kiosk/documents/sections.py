"""The sections of the consent document, in reading order. Each takes the record (or the
blank form, which has the same shape without the patient's answers) and returns flowables.

With `ctx.blank` a section draws what a patient fills in with a pen: writing lines and tick
boxes in place of the recorded values; the headings and the order stay the same.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from kiosk.documents.blocks import (
    ALERT, ALERT_BACKGROUND, BULLET, MARKER_WIDTH, RIGHT, TICK_BOX, TICKED_BOX, WARNING, WRONG,
    Context, PlacedBox, WritingLine, boxed, facts, marked, qr_code, row_table,
)
from kiosk.documents.pictures import pictures_block
from kiosk.documents.signature import SignatureBox
from kiosk.documents.summary import decided_line, help_count, summary_block
from kiosk.documents.text import UNNAMED_ZONE

_STATUS_KEYS = {"status_understood", "status_understood_after_review", "status_not_answered"}
QR_SIZE = 30 * mm
SIGNATURE_HEIGHT = 38 * mm


def approval_lines(data: dict, ctx: Context) -> list[tuple[str, bool]]:
    """(text, is a warning) for the content's clinical approval and, for a translation that is
    not the source text, its review: "Content approved by ... on ..." or "Content not yet
    approved for clinical use"; "Translation not yet reviewed by a qualified medical translator"."""
    content = data.get("content") or {}
    approval = content.get("approval")
    if not isinstance(approval, dict):
        lines = [(ctx.labels("content_approval_not_recorded"), False)]
    elif approval.get("approved"):
        lines = [(ctx.labels("content_approved", name=approval.get("approved_by") or "",
                             role=approval.get("role") or "", date=approval.get("date") or ""), False)]
    else:
        lines = [(ctx.labels("content_not_approved"), True)]
    translation = content.get("translation")
    if isinstance(translation, dict) and translation.get("status") == "reviewed":
        lines.append((ctx.labels("translation_reviewed", name=translation.get("reviewed_by") or "",
                                 date=translation.get("reviewed_on") or ""), False))
    elif isinstance(translation, dict) and translation.get("status") != "source":
        lines.append((ctx.labels("translation_not_reviewed"), True))
    return lines


def title_block(data: dict, ctx: Context, hospital_name: str) -> list[Flowable]:
    """Hospital, content title, kind of document and the content's approval; the QR code of
    the document ID beside them."""
    content = data.get("content") or {}
    text = [ctx.para(hospital_name, "hospital"), ctx.para(content.get("title"), "title"),
            ctx.para(ctx.labels("blank_kind" if ctx.blank else "consent_kind"), "kind")]
    text += [ctx.para(line, "notice" if warning else "small") for line, warning in approval_lines(data, ctx)]
    if ctx.blank or not data.get("document_id"):
        return text
    qr_column = 0 if ctx.rtl else -1
    return [row_table([[text, qr_code(str(data["document_id"]), QR_SIZE)]],
                      [ctx.width - QR_SIZE - 4 * mm, QR_SIZE + 4 * mm], ctx.rtl,
                      [("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                       ("ALIGN", (qr_column, 0), (qr_column, 0), "LEFT" if ctx.rtl else "RIGHT")])]


def outcome_block(data: dict, ctx: Context) -> list[Flowable]:
    """The outcome in plain words, who decided, and everything that needs a reviewer's
    attention (kiosk.documents.summary); instructions on paper."""
    return summary_block(data, ctx, where)


def patient_section(data: dict, ctx: Context) -> list[Flowable]:
    """Who the consent is about and who decided: name, date of birth, representative, language."""
    patient = data.get("patient") or {}
    representative = data.get("representative")
    if ctx.blank:
        rows = [("patient_name", WritingLine()), ("date_of_birth", WritingLine()),
                ("representative", WritingLine()), ("relationship", WritingLine())]
    else:
        name = ctx.para(patient.get("full_name"), "strong")
        rows = [("patient_name", name), ("date_of_birth", patient.get("date_of_birth") or "")]
        if representative:
            rows += [("representative", ctx.para(representative.get("full_name"), "strong")),
                     ("relationship", representative.get("relationship") or "")]
        else:
            rows.append(("representative", ctx.labels("no_representative")))
    code, name = data.get("language") or "", data.get("language_name") or ""
    rows.append(("language", f"{name} ({code})" if name and name != code else code))
    return [ctx.heading("section_patient"), facts(ctx, rows)]


def explained_section(data: dict, ctx: Context) -> list[Flowable]:
    """Each section explained, with the titles of its pages (and whether each was shown)."""
    out = [ctx.heading("section_explained")]
    for section in data.get("sections") or []:
        out.append(ctx.para(section.get("title"), "subheading"))
        for page in section.get("pages") or []:
            lines = [ctx.para(page.get("title"))]
            if not ctx.blank and not page.get("seen_at"):
                lines.append(ctx.para(ctx.labels("page_not_seen"), "small"))
            elif not ctx.blank and page.get("more_opened"):
                lines.append(ctx.para(ctx.labels("more_opened"), "small"))
            out.append(marked(ctx, BULLET, lines))
    return out + pictures_block(data, ctx)


def risks_section(data: dict, ctx: Context) -> list[Flowable]:
    """Every risk explained: its name in bold, its one-sentence summary below."""
    out = [ctx.heading("section_risks")]
    for risk in data.get("risks") or []:
        out.append(KeepTogether(marked(ctx, BULLET, [ctx.para(risk.get("name"), "strong"),
                                                      ctx.para(risk.get("summary"))])))
    return out


def _attempt_lines(answer: dict, ctx: Context) -> list[Flowable]:
    lines = []
    for number, attempt in enumerate(answer.get("attempts") or [], start=1):
        result = ctx.labels("attempt_right" if attempt.get("correct") else "attempt_wrong")
        text = ctx.labels("attempt", number=number, time=ctx.time(attempt.get("at")),
                          choice=attempt.get("text", ""), result=result)
        lines.append(marked(ctx, RIGHT if attempt.get("correct") else WRONG, text, indent=MARKER_WIDTH))
    if not lines:
        lines.append(marked(ctx, BULLET, ctx.labels("no_attempts"), indent=MARKER_WIDTH))
    if answer.get("reviewed_page"):
        page = ctx.page_titles.get(answer["reviewed_page"], answer["reviewed_page"])
        lines.append(marked(ctx, BULLET, ctx.labels("reviewed_page", page=page), indent=MARKER_WIDTH))
    status = answer.get("status") or "not_answered"
    if status == "needs_doctor":
        alert = boxed(ctx, [ctx.para(f"{WARNING} " + ctx.labels("needs_doctor"), "alert")], ALERT_BACKGROUND, ALERT)
        lines.append(Spacer(1, 3))
        lines.append(alert)
    else:
        key = f"status_{status}" if f"status_{status}" in _STATUS_KEYS else "status_not_answered"
        lines.append(ctx.para(ctx.labels("status", status=ctx.labels(key)), "strong"))
    return lines


def _choice_line(choice: dict, answer: dict, ctx: Context) -> Flowable:
    """One choice as shown: ✓ and "the right answer" on the right one, ✗ on a wrong one the
    patient chose, and at which tries they chose it."""
    right = choice.get("id") is not None and choice.get("id") == answer.get("correct_choice")
    tries = [n for n, a in enumerate(answer.get("attempts") or [], start=1) if a.get("choice") == choice.get("id")]
    notes = ([ctx.labels("choice_right")] if right else []) + [ctx.labels("choice_chosen", number=n) for n in tries]
    text = f"{choice.get('text') or ''} ({'; '.join(notes)})" if notes else choice.get("text")
    marker = RIGHT if right else WRONG if tries else BULLET
    return marked(ctx, marker, ctx.para(text, "strong" if right else "body"), indent=MARKER_WIDTH)


def questions_section(data: dict, ctx: Context) -> list[Flowable]:
    """Each question: prompt, the choices as shown with the right one marked and the ones the
    patient chose, every attempt right or wrong, the result.

    A question the patient got wrong twice is marked "needs the doctor's attention" in a red
    box. On paper each choice gets a tick box, and no answer is marked.
    """
    out = [ctx.heading("section_questions")]
    for number, answer in enumerate(data.get("answers") or [], start=1):
        block = [ctx.para(f"{number}. {answer.get('prompt', '')}", "subheading")]
        if not ctx.blank:
            block.append(ctx.para(ctx.labels("choices_shown"), "small"))
        for choice in answer.get("choices") or []:
            block.append(marked(ctx, TICK_BOX, choice.get("text")) if ctx.blank else _choice_line(choice, answer, ctx))
        if not ctx.blank:
            block += [Spacer(1, 4), *_attempt_lines(answer, ctx)]
        out.append(KeepTogether(block))
    return out


def _for_a_representative(statement: dict, ctx: Context) -> list[Flowable]:
    """On paper, under a statement: that only someone signing for the patient ticks it, or
    the words they tick it in when they differ from the patient's."""
    if statement.get("representative_only"):
        return [ctx.para(ctx.labels("blank_representative_only"), "small")]
    words = statement.get("representative_text")
    if words and words != statement.get("text"):
        return [ctx.para(ctx.labels("blank_representative_text", text=words), "small")]
    return []


def answer_summary(number: int, answer: dict, ctx: Context) -> Flowable:
    """One question in short, for the staff page: the prompt, the right answer, every try."""
    right = next((c.get("text") for c in answer.get("choices") or [] if c.get("id") == answer.get("correct_choice")), "")
    return KeepTogether([ctx.para(f"{number}. {answer.get('prompt', '')}", "subheading"),
                         marked(ctx, RIGHT, ctx.para(f"{right} ({ctx.labels('choice_right')})", "strong"),
                                indent=MARKER_WIDTH),
                         *_attempt_lines(answer, ctx)])


def signer_summary(data: dict, ctx: Context) -> list[Flowable]:
    """Who signed, as whom and when (no drawing), or that nobody signed: for the staff page."""
    heading = ctx.heading("section_signature")
    signature = data.get("signature")
    if not signature:
        decided = decided_line(data, ctx)
        return [heading, ctx.para(ctx.labels("not_signed"), "strong"), *([ctx.para(decided)] if decided else [])]
    return [KeepTogether([heading, facts(ctx, _signer_rows(data, ctx, signature))])]


def statements_section(data: dict, ctx: Context) -> list[Flowable]:
    """The consent statements as the signer saw them: ticked with the time each was confirmed,
    or an empty box and "not confirmed"; empty boxes on paper."""
    out = [ctx.heading("section_statements")]
    statements = data.get("statements") or []
    for statement in statements:
        if ctx.blank:
            out.append(marked(ctx, TICK_BOX, [ctx.para(statement.get("text")), *_for_a_representative(statement, ctx)]))
        elif not statement.get("confirmed_at"):
            out.append(marked(ctx, TICK_BOX, [ctx.para(statement.get("text")),
                                              ctx.para(ctx.labels("not_confirmed"), "notice")]))
        else:
            when = ctx.labels("confirmed_at", time=ctx.time(statement["confirmed_at"]))
            out.append(marked(ctx, TICKED_BOX, [ctx.para(statement.get("text")), ctx.para(when, "small")]))
    if not statements and not ctx.blank:
        out.append(ctx.para(ctx.labels("no_statements")))
    return out


def signature_section(data: dict, ctx: Context) -> list[Flowable]:
    """What the signature means, the drawn signature (vector), who signed, as whom and when.

    Kept on one page. On paper: an empty box, tick boxes for the role, lines for name, date, time.
    """
    heading = ctx.heading("section_signature")
    signature = None if ctx.blank else data.get("signature")
    if not ctx.blank and not signature:
        decided = decided_line(data, ctx)
        return [heading, ctx.para(ctx.labels("not_signed"), "strong"), *([ctx.para(decided)] if decided else [])]
    meaning = (signature or {}).get("meaning") or data.get("signature_meaning") or ctx.labels("default_signature_meaning")
    return _signed_block(ctx, heading, ctx.labels("signature_meaning", meaning=meaning), signature,
                         _signer_rows(data, ctx, signature))


COUNTERSIGNATURE_FIELD = "Clinician countersignature"
COUNTERSIGNATURE_HEIGHT = SIGNATURE_HEIGHT + 24 * mm  # the drawn signature and three lines below


def countersignature_section(data: dict, ctx: Context) -> list[Flowable]:
    """On a consent the patient signed: what the clinician's countersignature affirms, and the
    empty box it goes in. Its place is recorded in `ctx.placements`, so that sealing can
    reserve a signature field there; the countersignature fills that field later, as an
    incremental update that leaves this document byte for byte as it was."""
    if ctx.blank or data.get("outcome") != "consented" or not data.get("signature"):
        return []
    box = PlacedBox(COUNTERSIGNATURE_FIELD, ctx.width, COUNTERSIGNATURE_HEIGHT, ctx.placements)
    return [KeepTogether([ctx.heading("countersignature_heading"), ctx.para(ctx.labels("countersignature_statement")),
                          Spacer(1, 6), box])]


def _signed_block(ctx: Context, heading: Flowable, meaning: str, signature: dict | None,
                  rows: list[tuple[str, object]]) -> list[Flowable]:
    """Heading, what the signature means, the signature box and who signed, on one page."""
    box = SignatureBox(min(ctx.width, 120 * mm), SIGNATURE_HEIGHT, signature)
    box.hAlign = "RIGHT" if ctx.rtl else "LEFT"
    return [KeepTogether([heading, ctx.para(meaning), Spacer(1, 6), box, Spacer(1, 4), facts(ctx, rows)])]


def _signer_rows(data: dict, ctx: Context, signature: dict | None) -> list[tuple[str, object]]:
    if signature is None:
        roles = f"{TICK_BOX} {ctx.labels('role_patient')}    {TICK_BOX} {ctx.labels('role_representative')}"
        return [("printed_name", WritingLine()), ("signer_role", roles),
                ("date", WritingLine()), ("time", WritingLine())]
    by_representative = signature.get("signer_role") == "representative"
    role = ctx.labels("role_representative" if by_representative else "role_patient")
    relationship = (data.get("representative") or {}).get("relationship")
    if by_representative and relationship:
        role = f"{role} ({relationship})"
    return [("signer_name", ctx.para(signature.get("signer_name"), "strong")),
            ("signer_role", role), ("signed_at", ctx.time(signature.get("signed_at")))]


def about_section(data: dict, ctx: Context) -> list[Flowable]:
    """Which information was given (id, version, SHA-256), the document ID and the session times."""
    content = data.get("content") or {}
    rows: list[tuple[str, object]] = [
        ("content", f"{content.get('title', '')} ({content.get('id', '')})"),
        ("content_version", content.get("version") or ""),
        ("content_sha256", ctx.para(content.get("sha256") or "", "hash")),
        ("content_approval", [ctx.para(line) for line, _ in approval_lines(data, ctx)]),
        ("document_id", WritingLine() if ctx.blank else data.get("document_id") or ""),
    ]
    if not ctx.blank:
        requests = data.get("help_requests") or []
        helps = [ctx.para(ctx.labels("help_request_at", time=ctx.time(h.get("at")), where=where(h, data, ctx)))
                 for h in requests]
        zone = data.get("time_zone")
        rows += [("started_at", ctx.time(data.get("started_at"))),
                 ("finished_at", ctx.time(data.get("finished_at"))),
                 ("time_zone", ctx.labels("time_zone_unnamed") if not zone or zone == UNNAMED_ZONE else zone),
                 ("help_requests", [ctx.para(help_count(ctx, len(requests))), *helps] if helps else ctx.labels("none"))]
    return [ctx.heading("section_about"), facts(ctx, rows)]


# Steps that are neither an education page nor a question, by the label that names them
_STEP_LABELS = {"signer": "step_signer", "patient_name": "patient_name", "birth_date": "date_of_birth",
                "representative_name": "representative", "relationship": "relationship",
                "statements": "section_statements", "decision": "step_decision",
                "decision_check": "step_decision", "signature": "section_signature"}


def where(help_request: dict, data: dict, ctx: Context) -> str:
    """The page, question or step the patient was on, in words, for a step id like "info.page"."""
    step = str(help_request.get("step_id") or "")
    key = step.split(".", 1)[-1]
    prompts = {a.get("question_id"): a.get("prompt") for a in data.get("answers") or []}
    named = ctx.labels(_STEP_LABELS[step]) if step in _STEP_LABELS else None
    return ctx.page_titles.get(key) or prompts.get(key) or named or step


SECTIONS = (patient_section, explained_section, risks_section, questions_section,
            statements_section, signature_section, countersignature_section, about_section)
