"""Two kinds of writer on one kiosk.db, each run as its own OS process by the two-writer test
and bench: a patient kiosk saving consents and calling nurses, and a nurse station acting on
consents. Each prints one JSON line of counts when its time is up.

    python -m tests.store.writers patient DB PDF_DIR SECONDS
    python -m tests.store.writers nurse DB PDF_DIR SECONDS
"""

from __future__ import annotations

import json
import random
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from kiosk.store import StoreError, archive_consent, open_database, record_help_request
from tests.store.records import PDF, consent_record


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def patient(db_path: Path, pdf_dir: Path, seconds: float) -> dict:
    db = open_database(db_path)
    counts = {"saves": 0, "save_failures": 0, "locked": 0, "help_calls": 0, "help_failures": 0,
              "help_session_ids": []}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        document_id = str(uuid.uuid4())
        try:
            record_help_request(db, session_id=document_id, at=_now(), step_id="risks_leak")
            counts["help_calls"] += 1
            counts["help_session_ids"].append(document_id)
        except StoreError as error:
            counts["help_failures"] += 1
            counts["locked"] += "locked" in str(error)
        try:
            archive_consent(db, pdf_dir, consent_record(document_id=document_id), PDF)
            counts["saves"] += 1
        except StoreError as error:
            counts["save_failures"] += 1
            counts["locked"] += "locked" in str(error)
    db.close()
    return counts


def nurse(db_path: Path, pdf_dir: Path, seconds: float) -> dict:
    from kiosk.store.review import mark_viewed, set_identity_checked

    db = open_database(db_path)
    counts = {"actions": 0, "action_failures": 0, "locked": 0}
    rng = random.Random(7)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ids = [r[0] for r in db.conn.execute(
            "SELECT document_id FROM consents ORDER BY saved_at DESC LIMIT 20")]
        if not ids:
            time.sleep(0.01)
            continue
        document_id = rng.choice(ids)
        try:
            if rng.random() < 0.5:
                mark_viewed(db, document_id, nurse="Anna Lee", at=_now())
            else:
                set_identity_checked(db, document_id, mrn=f"MRN-{rng.randint(1000, 9999)}",
                                     nurse="Anna Lee", at=_now())
            counts["actions"] += 1
        except StoreError as error:
            counts["action_failures"] += 1
            counts["locked"] += "locked" in str(error)
    db.close()
    return counts


if __name__ == "__main__":
    role, db_path, pdf_dir, seconds = sys.argv[1:5]
    run = {"patient": patient, "nurse": nurse}[role]
    print(json.dumps(run(Path(db_path), Path(pdf_dir), float(seconds))))
