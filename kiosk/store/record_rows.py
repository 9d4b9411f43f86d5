"""How a consent record (docs/consent-record.md) maps onto the consents and answers rows.

The record_json column is the legal record; these columns are copies made for searching and
counting. So the mapping is forgiving: a missing or odd field becomes NULL (or JSON text),
never an error that would stop a consent from being saved.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def consent_row(snapshot: dict, record_json: str, saved_at: str) -> dict:
    """The consents row, without the pdf_* columns (archive_consent adds those)."""
    flags = snapshot.get("flags") if isinstance(snapshot.get("flags"), list) else []
    answers = _items(snapshot.get("answers"))
    return {
        "document_id": snapshot["document_id"],
        "started_at": _text(snapshot.get("started_at")),
        "finished_at": _text(snapshot.get("finished_at")),
        "saved_at": saved_at,
        "outcome": snapshot["outcome"],
        "patient_name": _text(_field(snapshot, "patient", "full_name")),
        "patient_dob": _text(_field(snapshot, "patient", "date_of_birth")),
        "representative_name": _text(_field(snapshot, "representative", "full_name")),
        "representative_relationship": _text(
            _field(snapshot, "representative", "relationship")
        ),
        "signer_name": _text(_field(snapshot, "signature", "signer_name")),
        "signed_at": _text(_field(snapshot, "signature", "signed_at")),
        "language": _text(snapshot.get("language")),
        "content_id": _text(_field(snapshot, "content", "id")),
        "content_version": _text(_field(snapshot, "content", "version")),
        "content_sha256": _text(_field(snapshot, "content", "sha256")),
        "flags": json.dumps(flags, ensure_ascii=False),
        "needs_doctor_count": sum(
            1 for a in answers if a.get("status") == "needs_doctor"
        ),
        "help_requested": int(
            bool(_items(snapshot.get("help_requests"))) or "help_requested" in flags
        ),
        "record_json": record_json,
    }


def answer_rows(snapshot: dict) -> list[dict]:
    """One row per question asked, for counting which questions are missed first time."""
    rows = []
    for position, answer in enumerate(_items(snapshot.get("answers"))):
        attempts = _items(answer.get("attempts"))
        first = attempts[0].get("correct") if attempts else None
        rows.append(
            {
                "document_id": snapshot["document_id"],
                "position": position,
                "question_id": _text(answer.get("question_id")),
                "first_try_correct": None if first is None else int(bool(first)),
                "attempts": len(attempts),
                "status": _text(answer.get("status")),
            }
        )
    return rows


def _field(record: Mapping, section: str, key: str) -> Any:
    """record[section][key], or None when the section is null or missing."""
    part = record.get(section)
    return part.get(key) if isinstance(part, Mapping) else None


def _items(value: Any) -> list[dict]:
    """The dictionaries in a list field; anything else counts as empty."""
    return (
        [item for item in value if isinstance(item, dict)]
        if isinstance(value, list)
        else []
    )


def _text(value: Any) -> str | None:
    """A copy of a record field for a TEXT column; odd types are kept as JSON, not dropped."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
