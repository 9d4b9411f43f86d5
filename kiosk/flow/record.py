"""Turn a session into the consent record (docs/consent-record.md): what the patient saw,
answered and signed, with the text exactly as it was shown to them."""

from __future__ import annotations

from datetime import datetime
from typing import Iterator

from kiosk.flow.codes import (
    RELATIONSHIPS,
    Coded,
    flag_code,
    outcome_code,
    relationship_code,
    signer_role_code,
)
from kiosk.flow.results import (
    BirthDateResult,
    DecisionResult,
    NameResult,
    PageResult,
    QuestionResult,
    RelationshipResult,
    SignatureResult,
    StatementsResult,
)
from kiosk.flow.session import Session
from kiosk.flow.task import (
    BIRTH_DATE,
    DECISION,
    PATIENT_NAME,
    RELATIONSHIP,
    REPRESENTATIVE_NAME,
    SIGNATURE,
    STATEMENTS,
    info_step_id,
    question_step_id,
    review_step_id,
    signer_role,
)
from kiosk.outcomes import FLAG_BY_OUTCOME

# 2: every statement shown, confirmed or not; the zone by its IANA name.
# 3: coded values beside the texts (outcome_code, flag_codes, relationship_code,
#    signer_role_code) and the signature's strokes_sha256 (kiosk.flow.codes).
SCHEMA_VERSION = 3
LOCAL_ZONE = "local"  # what a caller passes for the computer's own zone when none is configured


def question_status(result: QuestionResult | None) -> str:
    """"understood" first time; "understood_after_review"; "needs_doctor" when the first two
    answers were both wrong; "not_answered"."""
    if result is None or not result.attempts:
        return "not_answered"
    if result.attempts[0].correct:
        return "understood"
    if len(result.attempts) >= 2 and not result.attempts[1].correct:
        return "needs_doctor"
    return "understood_after_review" if result.last_correct else "not_answered"


def signer_name(results) -> str:
    """The name of whoever signs: the representative if there is one, else the patient."""
    name = results.get(REPRESENTATIVE_NAME if signer_role(results) == "representative" else PATIENT_NAME)
    return name.full_name if isinstance(name, NameResult) else ""


def statements_complete(results, pack) -> bool:
    """True when the signer has confirmed every consent statement shown to them
    (`pack.statements_for(role)`: a representative has one more): only then may they sign."""
    confirmed = results.get(STATEMENTS)
    return isinstance(confirmed, StatementsResult) and \
        {sid for sid, _ in confirmed.confirmed} >= {s.id for s in pack.statements_for(signer_role(results))}


def has_identity(session: Session) -> bool:
    """True once the patient's name has been entered: from then on a session is worth a record."""
    return isinstance(session.results.get(PATIENT_NAME), NameResult)


def session_outcome(session: Session) -> str | None:
    decision = session.results.get(DECISION)
    return decision.outcome if isinstance(decision, DecisionResult) else None


def build_record(session: Session, pack, *, time_zone: str, outcome: str | None = None) -> dict:
    """The record of `session`, in the language of `pack`.

    `outcome` defaults to the patient's decision; pass "abandoned" for a session that ended
    without one. A signature is included only for a "consented" outcome.
    """
    get = session.results.get
    outcome = outcome or session_outcome(session) or "abandoned"
    name = get(PATIENT_NAME)
    dob = get(BIRTH_DATE)
    role = signer_role(session.results)
    representative = None
    if role == "representative":
        rep_name, relation = get(REPRESENTATIVE_NAME), get(RELATIONSHIP)
        relationship = relation.relationship if isinstance(relation, RelationshipResult) else ""
        representative = {
            "full_name": rep_name.full_name if isinstance(rep_name, NameResult) else "",
            "relationship": relationship,
            "relationship_code": _coded(coded_relationship(
                relationship, pack=pack, languages=[code for code, _ in session.language_changes])),
        }

    sections = _sections(pack, lambda page_id: get(info_step_id(page_id)))

    answers = []
    for question in pack.questions:
        result = get(question_step_id(question.id))
        texts = {c.id: c.text for c in question.choices}
        order = result.shown_order if isinstance(result, QuestionResult) else tuple(texts)
        attempts = result.attempts if isinstance(result, QuestionResult) else ()
        answers.append({
            "question_id": question.id,
            "prompt": question.prompt,
            "choices": [{"id": cid, "text": texts[cid]} for cid in order],
            "correct_choice": question.correct,
            "attempts": [{"choice": a.choice, "text": texts[a.choice], "correct": a.correct, "at": a.at}
                         for a in attempts],
            "reviewed_page": question.explained_by if isinstance(get(review_step_id(question.id)), PageResult) else None,
            "status": question_status(result if isinstance(result, QuestionResult) else None),
        })

    confirmed = get(STATEMENTS)
    confirmed_at = dict(confirmed.confirmed) if isinstance(confirmed, StatementsResult) else {}
    statements = [{"id": s.id, "text": s.text_for(role), "confirmed_at": confirmed_at.get(s.id)}
                  for s in pack.statements_for(role)]

    signature = None
    drawn = get(SIGNATURE)
    if outcome == "consented" and isinstance(drawn, SignatureResult):
        signature = {
            "signer_name": signer_name(session.results),
            "signer_role": role,
            "signer_role_code": _coded(signer_role_code(role)),
            "signed_at": drawn.signed_at,
            "meaning": pack.ui("signature_meaning", procedure=pack.procedure),
            "width": drawn.width,
            "height": drawn.height,
            "strokes": [[[round(x, 2), round(y, 2)] for x, y in stroke] for stroke in drawn.strokes],
        }
        signature["strokes_sha256"] = strokes_sha256(signature)

    finished_at = session.now()
    record = {
        "schema": SCHEMA_VERSION,
        "document_id": session.id,
        "started_at": session.started_at,
        "finished_at": finished_at,
        "time_zone": zone_name(time_zone, finished_at),
        "language": pack.language,
        "language_name": pack.language_name,  # in itself ("Español"), as the patient chose it
        "direction": pack.direction,
        # Each change of language during the session (the header's Language button): the pages
        # before it were read in the language before.
        "language_changes": [{"language": code, "at": at} for code, at in session.language_changes],
        "outcome": outcome,
        "outcome_code": outcome_code(outcome).to_dict(),
        "patient": {
            "full_name": name.full_name if isinstance(name, NameResult) else "",
            "date_of_birth": dob.date_of_birth if isinstance(dob, BirthDateResult) else None,
        },
        "representative": representative,
        "content": _content(pack),
        "sections": sections,
        "risks": _risks(pack),
        "answers": answers,
        "statements": statements,
        "signature": signature,
        "help_requests": [{"at": h.at, "step_id": h.step_id} for h in session.help_requests],
    }
    record["flags"] = derive_flags(record)
    record["flag_codes"] = flag_codes(record["flags"])
    return record


def _coded(value: Coded | None) -> dict | None:
    return None if value is None else value.to_dict()


def flag_codes(flags: list[str]) -> list[dict]:
    """`flags` coded, in the same order: {"system", "code", "display", "question_id"} each
    ("question_id" null but for needs_doctor); a flag without a code is left out."""
    coded = []
    for flag in flags:
        found = flag_code(flag)
        if found is not None:
            coded.append({**found[0].to_dict(), "question_id": found[1]})
    return coded


def strokes_sha256(signature: dict) -> str:
    """Hex SHA-256 of a signature's drawing: its pad size and strokes as canonical JSON
    (sorted keys, no spaces, UTF-8), so a copy of the record or the FHIR Provenance can show
    the drawing is the one signed. The same for the patient's and the clinician's signature."""
    import hashlib  # here, not at import: the kiosk paints Welcome without OpenSSL (see ContentPack.sha256)
    import json

    drawing = {"width": signature["width"], "height": signature["height"], "strokes": signature["strokes"]}
    return hashlib.sha256(json.dumps(drawing, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                                     allow_nan=False).encode("utf-8")).hexdigest()


def coded_relationship(text: str, *, pack=None, languages=()) -> Coded | None:
    """The relationship a representative tapped (`text`, as shown) as its code, or None
    unless that is certain (see `kiosk.flow.codes.relationship_code`).

    The words are looked for in `pack`'s language first, then in `languages` (the session's
    earlier ones), then in every installed language: a representative may have chosen before
    the language was changed. A language whose texts cannot be read is passed over."""
    if not text:
        return None
    return relationship_code(text, _relationship_tables(pack, languages))


def _relationship_tables(pack, languages) -> Iterator[dict[str, str]]:
    from kiosk.content import ContentError
    from kiosk.content.interface_text import installed_languages, load_interface_text

    def table(ui) -> dict[str, str]:
        return {key: ui(f"relationship_{key}") for key in RELATIONSHIPS}

    seen = set()
    if pack is not None:
        seen.add(pack.language)
        yield table(pack.ui)
    try:
        installed = [code for code, _ in installed_languages()]
    except ContentError:
        installed = []
    for language in (*languages, *installed):
        if language in seen:
            continue
        seen.add(language)
        try:
            yield table(load_interface_text(language).ui)
        except ContentError:
            continue


def zone_name(time_zone: str | None, at: str) -> str:
    """The IANA name of the zone the record's times are in (e.g. "Europe/London").

    `time_zone` is the kiosk's setting; empty or "local" means the computer's own zone, whose
    name is looked up (tzlocal) and kept only if its UTC offset at `at` (an ISO time of this
    session) is the offset the times carry. Otherwise, and when it cannot be found, "local".
    """
    if time_zone and time_zone != LOCAL_ZONE:
        return time_zone
    try:
        from zoneinfo import ZoneInfo

        from tzlocal import get_localzone_name  # installed with pyHanko; also reads Windows' zone

        name = get_localzone_name()
        moment = datetime.fromisoformat(at)
        if name and moment.astimezone(ZoneInfo(name)).utcoffset() == moment.utcoffset():
            return name
    except (ImportError, LookupError, OSError, ValueError):  # no name is recorded as such, never fatal
        pass
    return LOCAL_ZONE


def _content(pack) -> dict:
    """Which content was shown, and whether a clinician had approved it and a qualified
    translator reviewed its translation (the pack's [approval] and [language] translation)."""
    approval = pack.approval
    return {
        "id": pack.id, "version": pack.version, "sha256": pack.sha256, "title": pack.title,
        "key_pictures": list(pack.key_pictures),  # shown again, small, in the PDF
        "approval": {"approved": approval.approved, "approved_by": approval.approved_by or None,
                     "role": approval.role or None, "date": approval.date or None},
        "translation": {"status": pack.translation, "reviewed_by": pack.translation_reviewed_by or None,
                        "reviewed_on": pack.translation_reviewed_on or None},
    }


def _risks(pack) -> list[dict]:
    return [{"id": r.id, "name": r.name, "summary": r.summary} for r in pack.risks]


def _sections(pack, seen_of) -> list[dict]:
    """What was explained, section by section; `seen_of(page_id)` is its PageResult or None."""
    sections = []
    for section in pack.sections:
        pages = []
        for page_id in section.page_ids:
            seen = seen_of(page_id)
            pages.append({
                "id": page_id,
                "title": pack.page(page_id).title,
                "illustration": pack.page(page_id).illustration,
                "seen_at": seen.seen_at if isinstance(seen, PageResult) else None,
                "more_opened": bool(isinstance(seen, PageResult) and seen.more_opened),
            })
        sections.append({"id": section.id, "title": section.title, "pages": pages})
    return sections


def derive_flags(record: dict) -> list[str]:
    """What a nurse must notice, derived from the record (see docs/consent-record.md)."""
    flags = [f"needs_doctor:{a['question_id']}" for a in record["answers"] if a["status"] == "needs_doctor"]
    if record["help_requests"]:
        flags.append("help_requested")
    if record["outcome"] in FLAG_BY_OUTCOME:
        flags.append(FLAG_BY_OUTCOME[record["outcome"]])
    return flags


def blank_form_data(pack) -> dict:
    """A record-shaped dict with nothing filled in: the paper form in the same layout."""
    return {
        "schema": SCHEMA_VERSION,
        "document_id": None,
        "started_at": None,
        "finished_at": None,
        "time_zone": None,
        "language": pack.language,
        "language_name": pack.language_name,  # in itself ("Español"), as the patient chose it
        "direction": pack.direction,
        "language_changes": [],
        "outcome": None,
        "outcome_code": None,
        "patient": None,
        "representative": None,
        "content": _content(pack),
        "sections": _sections(pack, lambda page_id: None),
        "risks": _risks(pack),
        "answers": [{"question_id": q.id, "prompt": q.prompt,
                     "choices": [{"id": c.id, "text": c.text} for c in q.choices],
                     "correct_choice": None, "attempts": [], "reviewed_page": None, "status": None}
                    for q in pack.questions],
        # On paper nobody knows yet who signs: each statement in the patient's words, with the
        # representative's words beside them, and those only a representative confirms marked.
        "statements": [{"id": s.id, "text": s.text, "representative_text": s.representative_text,
                        "representative_only": s.representative_only, "confirmed_at": None}
                       for s in pack.statements],
        "signature": None,
        "help_requests": [],
        "flags": [],
        "flag_codes": [],
    }
