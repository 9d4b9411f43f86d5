"""Real kiosks for the central database's tests: a SQLite database, consents stored by the
kiosk's own code with PDFs made by its own renderer, and their outbox entries as OutboxItems.

Run as a program it is one kiosk process (``python -m tests.central.items DSN KIOSK_ID
FOLDER COUNT GO_FILE``): it stores COUNT consents, creates FOLDER/ready, waits for GO_FILE
to exist (so that two processes start together), then delivers every outbox entry to the
central database twice (the second time is a retry after a "lost answer") and prints how
many entries it delivered.
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

from kiosk.documents.consent_pdf import render_consent_pdf
from kiosk.outbox.target import OutboxItem
from kiosk.store import archive_consent, open_database
from kiosk.store.outbox import load_item
from kiosk.store.review import add_countersignature, set_identity_checked
from tests.store.records import consent_record

HOSPITAL = "St Mary's Hospital"


class Kiosk:
    """One kiosk's data folder: its database, its PDFs, its outbox."""

    def __init__(self, folder: Path, kiosk_id: str):
        self.kiosk_id = kiosk_id
        self.folder = Path(folder)
        self.db = open_database(self.folder / "kiosk.db")
        self.pdf_dir = self.folder / "consents"

    def store(self, patient_name: str = "Margaret O'Brien", **changes) -> str:
        """Save a consent as the kiosk does (archive_consent, a rendered PDF); its id."""
        record = consent_record(patient={"full_name": patient_name, "date_of_birth": "1948-03-07"},
                                **changes)
        if record.get("signature"):
            record["signature"]["signer_name"] = patient_name
        pdf = render_consent_pdf(record, hospital_name=HOSPITAL)
        archive_consent(self.db, self.pdf_dir, record, pdf)
        return record["document_id"]

    def countersign(self, document_id: str, clinician: str = "Dr Amal Haddad") -> bytes:
        """The nurse station's countersignature on this kiosk; the countersigned PDF."""
        original = Path(self.row(document_id)["pdf_path"]).read_bytes()
        pdf = original + f"\n% countersigned by {clinician}\n%%EOF\n".encode()
        add_countersignature(
            self.db, self.pdf_dir, document_id, clinician_name=clinician, role="radiologist",
            signed_at="2026-11-25T15:00:00+00:00",
            countersignature={"clinician_name": clinician, "role": "radiologist"},
            pdf_bytes=pdf, nurse="nurse-7")
        return pdf

    def check_identity(self, document_id: str, mrn: str = "MRN-12345") -> None:
        set_identity_checked(self.db, document_id, mrn=mrn, nurse="nurse-7",
                             at="2026-11-25T14:50:00+00:00")

    def row(self, document_id: str) -> dict:
        return dict(next(self.db.query("SELECT * FROM consents WHERE document_id = ?", [document_id])))

    def items(self, after: int = 0) -> list[OutboxItem]:
        """Every outbox entry after id ``after``, in order, as the sender would load it."""
        ids = [r["id"] for r in self.db.query("SELECT id FROM outbox WHERE id > ? ORDER BY id", [after])]
        return [load_item(self.db, i, kiosk_id=self.kiosk_id) for i in ids]

    def consent_item(self, document_id: str) -> OutboxItem:
        return next(i for i in self.items() if i.kind == "consent" and i.document_id == document_id)

    def close(self) -> None:
        self.db.close()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _main(dsn: str, kiosk_id: str, folder: str, count: int, go_file: str) -> None:
    from kiosk.central.target import CentralTarget

    kiosk = Kiosk(Path(folder), kiosk_id)
    for n in range(count):
        kiosk.store(f"Patient {kiosk_id} {n:03d}")
    target = CentralTarget(dsn, kiosk_id=kiosk_id)
    (Path(folder) / "ready").touch()
    deadline = time.monotonic() + 60
    while not Path(go_file).exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    items = kiosk.items()
    for item in items:
        target.deliver(item)
    for item in items:  # the same again: every answer "lost"
        target.deliver(item)
    target.close()
    print(len(items))


if __name__ == "__main__":
    _main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
