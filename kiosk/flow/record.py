"""Turn a session into the consent record (docs/consent-record.md): what the patient saw,
answered and signed, with the text exactly as it was shown to them."""

from __future__ import annotations

from kiosk.flow.results import (
    BirthDateResult,
    DecisionResult,
    NameResult,
    PageResult,
    QuestionResult,
    RelationshipResult,
    SignatureResult,
    SignerResult,
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
    SIGNER,
    STATEMENTS,
    info_step_id,
    question_step_id,
    review_step_id,
)

SCHEMA_VERSION = 1


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
    signer = results.get(SIGNER)
    step = REPRESENTATIVE_NAME if isinstance(signer, SignerResult) and signer.role == "representative" \
        else PATIENT_NAME
    name = results.get(step)
    return name.full_name if isinstance(name, NameResult) else ""


def statements_complete(results, pack) -> bool:
    """True when the patient has confirmed every consent statement: only then may they sign."""
    confirmed = results.get(STATEMENTS)
    return isinstance(confirmed, StatementsResult) and \
        {sid for sid, _ in confirmed.confirmed} >= {s.id for s in pack.statements}


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
    signer = get(SIGNER)
    representative = None
    if isinstance(signer, SignerResult) and signer.role == "representative":
        rep_name, relation = get(REPRESENTATIVE_NAME), get(RELATIONSHIP)
        representative = {
            "full_name": rep_name.full_name if isinstance(rep_name, NameResult) else "",
            "relationship": relation.relationship if isinstance(relation, RelationshipResult) else "",
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

    statement_text = {s.id: s.text for s in pack.statements}
    confirmed = get(STATEMENTS)
    statements = [{"id": sid, "text": statement_text[sid], "confirmed_at": at}
                  for sid, at in (confirmed.confirmed if isinstance(confirmed, StatementsResult) else ())]

    signature = None
    drawn = get(SIGNATURE)
    if outcome == "consented" and isinstance(drawn, SignatureResult):
        signature = {
            "signer_name": signer_name(session.results),
            "signer_role": "representative" if representative else "patient",
            "signed_at": drawn.signed_at,
            "meaning": pack.ui("signature_meaning", procedure=pack.procedure),
            "width": drawn.width,
            "height": drawn.height,
            "strokes": [[[round(x, 2), round(y, 2)] for x, y in stroke] for stroke in drawn.strokes],
        }

    record = {
        "schema": SCHEMA_VERSION,
        "document_id": session.id,
        "started_at": session.started_at,
        "finished_at": session.now(),
        "time_zone": time_zone,
        "language": pack.language,
        "direction": pack.direction,
        "outcome": outcome,
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
    return record


def _content(pack) -> dict:
    return {"id": pack.id, "version": pack.version, "sha256": pack.sha256, "title": pack.title}


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
    if record["outcome"] == "questions":
        flags.append("questions_for_doctor")
    if record["outcome"] == "declined":
        flags.append("declined")
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
        "direction": pack.direction,
        "outcome": None,
        "patient": None,
        "representative": None,
        "content": _content(pack),
        "sections": _sections(pack, lambda page_id: None),
        "risks": _risks(pack),
        "answers": [{"question_id": q.id, "prompt": q.prompt,
                     "choices": [{"id": c.id, "text": c.text} for c in q.choices],
                     "correct_choice": None, "attempts": [], "reviewed_page": None, "status": None}
                    for q in pack.questions],
        "statements": [{"id": s.id, "text": s.text, "confirmed_at": None} for s in pack.statements],
        "signature": None,
        "help_requests": [],
        "flags": [],
    }
