"""Consent records as kiosk.flow makes them (docs/consent-record.md), and ways to read PDFs back.

A module with its own name (not conftest) so test files can import it without clashing with
the other folders' conftest modules."""

from __future__ import annotations

import copy
import functools
import io
import json
import math
import subprocess

from pypdf import PdfReader

DOCUMENT_ID = "7d0c2c9e-6f0e-4a0e-9d61-2b7b0f0b7a11"
HOSPITAL = "St Mary's Hospital"

SECTIONS = [
    {"id": "fracture", "title": "Your fracture", "pages": [
        {"id": "fracture_what", "title": "What a spinal fracture is"},
        {"id": "fracture_pain", "title": "Why it hurts"}]},
    {"id": "procedure", "title": "The procedure", "pages": [
        {"id": "procedure_steps", "title": "What happens on the day"},
        {"id": "procedure_after", "title": "After the procedure"}]},
    {"id": "limits", "title": "What it can and cannot do", "pages": [
        {"id": "limits_cause", "title": "It does not treat osteoporosis itself"}]},
    {"id": "risks", "title": "Risks", "pages": [
        {"id": "risks_leak", "title": "Cement leaking out of the bone"},
        {"id": "risks_rare", "title": "Rare but serious risks"}]},
]
RISKS = [
    {"id": "cement_leak", "name": "Cement leaking out of the bone",
     "summary": "A little cement can seep out of the bone; it rarely causes any problem."},
    {"id": "infection", "name": "Infection", "summary": "An infection at the needle site is very rare."},
    {"id": "bleeding", "name": "Bleeding or bruising", "summary": "You may have a bruise where the needle went in."},
    {"id": "nerve", "name": "Damage to a nerve or the spinal cord",
     "summary": "Cement pressing on a nerve can cause pain or weakness; this is very rare."},
    {"id": "new_fracture", "name": "Another bone breaking",
     "summary": "A bone next to the treated one can break later, because of the osteoporosis."},
]
QUESTIONS = [
    ("q_cause", "What does vertebroplasty treat?", [
        ("a", "It cures osteoporosis"), ("b", "The pain of a broken bone in the spine"),
        ("c", "A slipped disc")], "b", "limits_cause"),
    ("q_leak", "What is the most common risk?", [
        ("a", "Cement leaking out of the bone"), ("b", "Losing the use of your legs"),
        ("c", "There are no risks")], "a", "risks_leak"),
    ("q_awake", "Will you be asleep?", [
        ("a", "Usually no: you are awake, with the area numbed"), ("b", "Yes, always")], "a", None),
]
STATEMENTS = [
    ("read_information", "I have read the information about vertebroplasty."),
    ("risks_understood", "I understand the risks, including cement leaking out of the bone."),
    ("questions_answered", "I have been able to ask questions."),
    ("can_withdraw", "I know I can change my mind at any time before the procedure."),
]


def at(minute: int, second: int = 0) -> str:
    return f"2026-11-25T14:{minute:02d}:{second:02d}+00:00"


def signature_strokes() -> list[list[list[float]]]:
    """A wavy, deterministic signature in a 1000 × 300 pad (y downwards)."""
    first = [[100 + i * 12, 150 + 60 * math.sin(i / 3)] for i in range(40)]
    second = [[620 + i * 8, 220 - 4 * i] for i in range(25)]
    dot = [[900, 120]]
    return [first, second, dot]


def _answers(statuses: dict[str, str]) -> list[dict]:
    answers = []
    for number, (qid, prompt, choices, correct, review) in enumerate(QUESTIONS):
        texts = dict(choices)
        wrong = next(c for c, _ in choices if c != correct)
        status = statuses.get(qid, "understood")
        picks = {"understood": [correct], "understood_after_review": [wrong, correct],
                 "needs_doctor": [wrong, wrong], "not_answered": []}[status]
        answers.append({
            "question_id": qid, "prompt": prompt,
            "choices": [{"id": c, "text": t} for c, t in choices],
            "correct_choice": correct,
            "attempts": [{"choice": c, "text": texts[c], "correct": c == correct, "at": at(8 + number, i * 20)}
                         for i, c in enumerate(picks)],
            "reviewed_page": review if status in ("understood_after_review", "needs_doctor") else None,
            "status": status,
        })
    return answers


NOT_APPROVED = {"approved": False, "approved_by": None, "role": None, "date": None}
SOURCE_TEXT = {"status": "source", "reviewed_by": None, "reviewed_on": None}
# Every statement is confirmed before a consent; a patient who says no may stop at any one.
CONFIRMED = {"consented": len(STATEMENTS), "questions": len(STATEMENTS), "declined": 2, "abandoned": 0}


def build_record(outcome: str = "consented", *, name: str = "Margaret O'Brien", representative=None,
                 statuses: dict[str, str] | None = None, help_requests=None, confirmed: int | None = None,
                 approval: dict | None = None, translation: dict | None = None) -> dict:
    """A record as kiosk.flow makes it today (schema 2): every statement with `confirmed_at`
    or None (the first `confirmed` of them confirmed), the content's approval and translation."""
    statuses = statuses or {}
    signed = outcome == "consented"
    confirmed = CONFIRMED[outcome] if confirmed is None else confirmed
    record = {
        "schema": 2,
        "document_id": DOCUMENT_ID,
        "started_at": at(1),
        "finished_at": at(14, 40) if outcome != "abandoned" else at(9),
        "time_zone": "Europe/London",
        "language": "en",
        "direction": "ltr",
        "outcome": outcome,
        "patient": {"full_name": name, "date_of_birth": "1948-03-07"},
        "representative": representative,
        "content": {"id": "vertebroplasty", "version": "1.0.0", "sha256": "ab12" * 16,
                    "title": "Vertebroplasty: mending a broken bone in your spine",
                    "approval": dict(approval or NOT_APPROVED), "translation": dict(translation or SOURCE_TEXT)},
        "sections": [{**s, "pages": [{**p, "seen_at": at(2 + i), "more_opened": i == 1}
                                     for i, p in enumerate(s["pages"])]} for s in copy.deepcopy(SECTIONS)],
        "risks": copy.deepcopy(RISKS),
        "answers": _answers(statuses),
        "statements": [{"id": sid, "text": text, "confirmed_at": at(12, 10 * i) if i < confirmed else None}
                       for i, (sid, text) in enumerate(STATEMENTS)],
        "signature": {
            "signer_name": representative["full_name"] if representative else name,
            "signer_role": "representative" if representative else "patient",
            "signed_at": at(13, 5),
            "meaning": "consent to percutaneous vertebroplasty",
            "width": 1000, "height": 300,
            "strokes": signature_strokes(),
        } if signed else None,
        "help_requests": help_requests or [],
    }
    flags = [f"needs_doctor:{a['question_id']}" for a in record["answers"] if a["status"] == "needs_doctor"]
    flags += ["help_requested"] if record["help_requests"] else []
    flags += {"questions": ["questions_for_doctor"], "declined": ["declined"]}.get(outcome, [])
    record["flags"] = flags
    return record


def schema_1_record(outcome: str = "consented", **kw) -> dict:
    """A record as a kiosk saved it before schema 2: only the statements confirmed, no
    approval or translation in its content block."""
    record = build_record(outcome, **kw)
    record["schema"] = 1
    record["statements"] = [s for s in record["statements"] if s["confirmed_at"]]
    del record["content"]["approval"], record["content"]["translation"]
    return record


def build_form() -> dict:
    record = build_record("consented")
    form = {k: v for k, v in record.items()
            if k not in ("patient", "representative", "signature", "finished_at", "outcome", "flags")}
    form["document_id"] = None
    form["outcome"] = None
    for answer in form["answers"]:
        answer.update(attempts=[], status="not_answered", reviewed_page=None)
    for statement in form["statements"]:
        statement.pop("confirmed_at")
    for section in form["sections"]:
        for page in section["pages"]:
            page.update(seen_at=None, more_opened=False)
    return form


RECORDS = {
    "consented": lambda: build_record("consented"),
    "questions": lambda: build_record("questions", statuses={"q_leak": "needs_doctor", "q_cause": "understood_after_review"},
                                      help_requests=[{"at": at(6), "step_id": "info.risks_leak"}]),
    "declined": lambda: build_record("declined", statuses={"q_awake": "understood_after_review"}),
    "representative": lambda: build_record("consented", representative={"full_name": "Siobhan O'Brien",
                                                                        "relationship": "daughter"}),
    "abandoned": lambda: build_record("abandoned", statuses={"q_awake": "not_answered"}),
    "schema 1": lambda: schema_1_record("questions", statuses={"q_leak": "needs_doctor"}),
}


@functools.lru_cache(maxsize=32)
def _consent_pdf(record_json: str, labels_json: str) -> bytes:
    from kiosk.documents import render_consent_pdf
    return render_consent_pdf(json.loads(record_json), hospital_name=HOSPITAL, labels=json.loads(labels_json))


def consent_pdf(record: dict, labels: dict | None = None) -> bytes:
    """The consent PDF of `record` at the test hospital; the same record is rendered once per run."""
    return _consent_pdf(json.dumps(record, sort_keys=True), json.dumps(labels))


@functools.lru_cache(maxsize=64)  # many tests read the same PDF; extraction is the slow part
def _pages_text(pdf: bytes) -> tuple[str, ...]:
    return tuple(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_pages_text(pdf: bytes) -> list[str]:
    return list(_pages_text(pdf))


def pdf_text(pdf: bytes) -> str:
    """All text of the PDF, by pypdf, with lines joined by spaces (wrapped text reads on)."""
    return " ".join(" ".join(pdf_pages_text(pdf)).split())


@functools.lru_cache(maxsize=64)
def pdftotext(pdf: bytes, *, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()
