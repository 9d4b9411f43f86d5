"""Saved consents for the queue tests: who, what outcome, when, and which flags."""

from kiosk.store import archive_consent

# (name, outcome, finished_at or None when abandoned, needs_doctor, help)
PEOPLE = [
    ("Margaret O'Brien", "consented", "2026-11-20T10:00:00+00:00", True, True),
    ("José López", "declined", "2026-11-21T09:00:00+00:00", False, False),
    ("Zoë Müller", "consented", "2026-11-22T23:30:00+00:00", False, False),
    ("Anne Smith", "questions", "2026-11-23T08:00:00+00:00", False, True),
    (None, "abandoned", None, False, False),  # started 2026-11-24T07:00
    ("Jose Lopez-Garcia", "consented", "2026-11-25T12:00:00+00:00", True, False),
    ("مارغريت أوبراين", "consented", "2026-11-19T16:00:00+00:00", False, False),
]
ABANDONED_START = "2026-11-24T07:00:00+00:00"


def save_people(db, pdf_dir, make_record, pdf):
    """Save PEOPLE in order; their document ids, in the same order."""
    ids = []
    for name, outcome, finished, needs_doctor, help_ in PEOPLE:
        record = make_record(outcome=outcome)
        record["started_at"] = ABANDONED_START if finished is None else finished[:11] + "07:00:00+00:00"
        record["finished_at"] = finished
        record["patient"] = {"full_name": name, "date_of_birth": "1950-01-02"} if name else None
        if not needs_doctor:
            record["answers"][2]["status"] = "understood_after_review"
        record["help_requests"] = record["help_requests"] if help_ else []
        record["flags"] = ["needs_doctor:q_rest"] * needs_doctor + ["help_requested"] * help_
        archive_consent(db, pdf_dir, record, None if outcome == "abandoned" else pdf)
        ids.append(record["document_id"])
    return ids
