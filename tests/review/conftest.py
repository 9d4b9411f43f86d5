"""Fixtures for the review layer: a real data folder (sealed consents saved the kiosk's way,
real SQLite), made once per module and copied for each test, and a ReviewContext over it."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kiosk.content import load_pack
from kiosk.finalise import prepare_consent, save_consent
from kiosk.review import Account, ReviewContext
from kiosk.seal_key import load_seal_signer
from kiosk.settings import Settings
from kiosk.store import open_database, record_help_request
from kiosk.store.nurses import create_nurse
from tests.flow.sample import complete_session

PACK = load_pack("en")
SETTINGS = Settings(hospital_name="St Elsewhere Hospital", time_zone="UTC")
CALL_SESSION = "9b2f8a52-1111-4c1c-9a55-000000000001"
WRONG_TWICE = PACK.questions[2]


class Clock:
    """An injected clock: tests move it on instead of waiting."""

    def __init__(self):
        self.now = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def review_template(tmp_path_factory):
    """Made once per module (rendering and sealing costs about a second): five consents."""
    data = tmp_path_factory.mktemp("review") / "data"
    data.mkdir()
    signer = load_seal_signer(data, SETTINGS)
    people = [("Ann Lee", "consented", {}), ("Margaret Obrien", "consented", {"wrong_twice": {WRONG_TWICE.id}}),
              ("José Pérez", "questions", {"help_at": ("info.procedure_how", "info.risks_leak")}),
              ("Edith Clarke", "declined", {"help_at": ("info.risks_leak",)}),
              ("Walter Away", "abandoned", {"abandon_at": "info.risks_leak"})]
    ids = {}
    with open_database(data / "kiosk.db") as db:
        for seed, (name, outcome, walk) in enumerate(people):
            abandoned = outcome == "abandoned"
            session = complete_session(PACK, name=name, outcome="consented" if abandoned else outcome, seed=seed,
                                       **walk)
            pending = prepare_consent(session, PACK, SETTINGS, signer=signer,
                                      outcome="abandoned" if abandoned else None)
            ids[name] = save_consent(db, SETTINGS.consents_path(data), pending).document_id
        record_help_request(db, session_id=CALL_SESSION, at="2026-11-25T14:55:00+00:00", step_id="info.risks_leak")
    return data, ids


def copy_data_folder(template: Path, folder: Path) -> Path:
    """A copy of a data folder whose rows name the copy's own PDFs (set-up only, raw SQL)."""
    shutil.copytree(template, folder)
    raw = sqlite3.connect(folder / "kiosk.db")
    try:
        with raw:
            raw.execute("UPDATE consents SET pdf_path = replace(pdf_path, ?, ?)", [str(template), str(folder)])
    finally:
        raw.close()
    return folder


@pytest.fixture
def data(review_template, tmp_path):
    """(data folder, open database, ids by patient name, admin id, nurse id): a private copy
    of the template, its rows pointing at its own PDFs, with two accounts."""
    template, ids = review_template
    folder = copy_data_folder(template, tmp_path / "data")
    db = open_database(folder / "kiosk.db")
    admin = create_nurse(db, name="Nora Nurse", pin="2468", is_admin=True, by=None)
    nurse = create_nurse(db, name="Ben Ode", pin="1357", by="Nora Nurse")
    yield folder, db, dict(ids), admin, nurse
    db.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def make_ctx(data, clock):
    """make_ctx(account_id=admin) -> a ReviewContext signed in as that account."""
    folder, db, _ids, admin, _nurse = data

    def make(account_id: int = admin) -> ReviewContext:
        row = db.conn.execute("SELECT id, name, is_admin FROM nurses WHERE id = ?", [account_id]).fetchone()
        account = Account(id=row[0], name=row[1], is_admin=bool(row[2]))
        return ReviewContext(db=db, settings=SETTINGS, data_dir=folder, account=account, now=clock,
                             pdf_labels=PACK.pdf_labels)

    return make


@pytest.fixture
def ctx(make_ctx):
    """Signed in as the administrator, Nora Nurse."""
    return make_ctx()


@pytest.fixture
def ids(data):
    return data[2]


@pytest.fixture
def entries(data):
    """entries(action) -> that action's audit rows (actor, document_id, detail), oldest first."""
    import json

    db = data[1]

    def read(action: str) -> list[dict]:
        rows = db.query("SELECT actor, document_id, detail FROM audit_log WHERE action = ? ORDER BY id", [action])
        return [{**row, "detail": json.loads(row["detail"])} for row in rows]

    return read


@pytest.fixture
def audit_count(data):
    return lambda: data[1].conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
