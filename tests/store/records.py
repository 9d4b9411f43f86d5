"""A realistic consent record (docs/consent-record.md) and a small PDF, for store tests."""

import copy
import uuid

PDF = b"%PDF-1.7\n" + b"consent page " * 64 + b"\n%%EOF\n"


def _answer(question_id, *correct, status):
    return {
        "question_id": question_id,
        "prompt": f"Prompt for {question_id}?",
        "choices": [{"id": "a", "text": "One"}, {"id": "b", "text": "Two"}],
        "correct_choice": "b",
        "attempts": [
            {
                "choice": "b" if ok else "a",
                "text": "…",
                "correct": ok,
                "at": "2026-11-25T14:10:00+00:00",
            }
            for ok in correct
        ],
        "reviewed_page": None,
        "status": status,
    }


_RECORD = {
    "schema": 1,
    "started_at": "2026-11-25T14:01:00+00:00",
    "finished_at": "2026-11-25T14:14:40+00:00",
    "time_zone": "Europe/London",
    "language": "en",
    "direction": "ltr",
    "outcome": "consented",
    "patient": {"full_name": "Margaret O'Brien", "date_of_birth": "1948-03-07"},
    "representative": None,
    "content": {
        "id": "vertebroplasty",
        "version": "1.0.0",
        "sha256": "a" * 64,
        "title": "Vertebroplasty: mending a broken bone in your spine",
    },
    "sections": [
        {
            "id": "fracture",
            "title": "Your fracture",
            "pages": [
                {
                    "id": "fracture_what",
                    "title": "What",
                    "seen_at": "2026-11-25T14:02:00+00:00",
                    "more_opened": False,
                }
            ],
        }
    ],
    "risks": [
        {
            "id": "cement_leak",
            "name": "Cement leaking out of the bone",
            "summary": "Rare.",
        }
    ],
    "answers": [
        _answer("q_cause", True, status="understood"),
        _answer("q_leak", False, True, status="understood_after_review"),
        _answer("q_rest", False, False, status="needs_doctor"),
    ],
    "statements": [
        {
            "id": "read_information",
            "text": "I have read…",
            "confirmed_at": "2026-11-25T14:13:00+00:00",
        }
    ],
    "signature": {
        "signer_name": "Margaret O'Brien",
        "signer_role": "patient",
        "signed_at": "2026-11-25T14:14:30+00:00",
        "meaning": "consent to percutaneous vertebroplasty",
        "width": 1000,
        "height": 300,
        "strokes": [[[10, 20], [30, 40], [50, 45]]],
    },
    "help_requests": [{"at": "2026-11-25T14:05:00+00:00", "step_id": "risks_leak"}],
    "flags": ["needs_doctor:q_rest", "help_requested"],
}


def consent_record(**changes):
    """A realistic record (docs/consent-record.md) with a fresh document id."""
    record = copy.deepcopy(_RECORD)
    record["document_id"] = str(uuid.uuid4())
    if changes.get("outcome", "consented") != "consented":
        record["signature"] = None
    record.update(changes)
    return record
