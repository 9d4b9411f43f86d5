"""What the central nurse-station tests share (no tests here): kiosks that store SEALED
consents the kiosk's own way (prepare_consent + save_consent, as a countersignature needs)
and deliver them through the real central outbox target, and nurse stations with their own
SQLite (accounts) and their own link to the central database."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from kiosk.central.target import CentralTarget
from kiosk.content import load_pack
from kiosk.finalise import prepare_consent, save_consent
from kiosk.review import Account, ReviewContext
from kiosk.review.central import CentralLink
from kiosk.seal_key import load_seal_signer
from kiosk.settings import Settings
from kiosk.store import open_database
from kiosk.store.nurses import create_nurse
from tests.central.items import Kiosk
from tests.flow.sample import complete_session

PACK = load_pack("en")
SETTINGS = Settings(hospital_name="St Mary's Hospital", time_zone="UTC")
# kiosk id -> (patient, outcome) stored there, in this order
PATIENTS = {
    "ward-3-kiosk": [("Hans Müller", "consented"), ("Ann Lee", "consented"), ("Edith Clarke", "consented")],
    "ward-5-kiosk": [("José Pérez", "consented"), ("Walter Hill", "declined"), ("Margaret Obrien", "consented")],
}
STROKES = [[(150 + i * 10, 200 + (i % 9) * 8) for i in range(60)], [(800 + 6 * i, 300 - 5 * i) for i in range(40)]]
PAD = {"width": 1200.0, "height": 400.0}


def clock() -> datetime:
    return datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)


def deliver_fleet(root: Path, dsn: str) -> dict[str, tuple[str, str]]:
    """Two kiosks store their patients (sealed, rendered by the kiosk's code) and deliver every
    outbox entry to the central database: {patient name: (document id, kiosk id)}."""
    ids = {}
    for kiosk_id, patients in PATIENTS.items():
        kiosk = Kiosk(root / kiosk_id, kiosk_id)
        signer = load_seal_signer(kiosk.folder, SETTINGS)
        for seed, (name, outcome) in enumerate(patients):
            session = complete_session(PACK, name=name, outcome=outcome, seed=seed)
            pending = prepare_consent(session, PACK, SETTINGS, signer=signer)
            ids[name] = (save_consent(kiosk.db, kiosk.pdf_dir, pending).document_id, kiosk_id)
        target = CentralTarget(dsn, kiosk_id=kiosk_id)
        for item in kiosk.items():
            target.deliver(item)
        target.close()
        kiosk.close()
    return ids


class Station:
    """One nurse station on the central database: its own folder and SQLite (its accounts),
    its own connection (``CentralLink``), a nurse signed in."""

    def __init__(self, folder: Path, dsn: str, station_id: str, nurse: str):
        folder.mkdir(parents=True)
        self.folder = folder
        self.db = open_database(folder / "kiosk.db")
        nurse_id = create_nurse(self.db, name=nurse, pin="2468", is_admin=True, by=None)
        self.link = CentralLink(dsn, station_id=station_id, data_dir=folder)
        self.ctx = ReviewContext(db=self.db, settings=SETTINGS, data_dir=folder, now=clock,
                                 pdf_labels=PACK.pdf_labels, account=Account(nurse_id, nurse, True),
                                 central=self.link)

    def close(self) -> None:
        self.link.close()
        self.db.close()
