"""Fixtures for the hand-off tests: real consents in a real SQLite file, real servers."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest


def _fhir_cases(items: list) -> dict:
    """The consents a FHIR test needs, by what is special about them."""
    def first(test):
        return next(item for item in items if test(item.consent, item.record))

    return {
        "consented": first(lambda row, rec: row["outcome"] == "consented" and not row["void"]
                           and not row["countersigned_pdf_path"] and not rec["representative"]),
        "questions": first(lambda row, rec: row["outcome"] == "questions"),
        "declined": first(lambda row, rec: row["outcome"] == "declined"),
        "abandoned": first(lambda row, rec: row["outcome"] == "abandoned"),
        "void": first(lambda row, rec: row["void"]),
        "countersigned": first(lambda row, rec: row["countersigned_pdf_path"]),
        "representative": first(lambda row, rec: rec["representative"] and not row["void"]),
        "identified": first(lambda row, rec: row["identity_checked_at"]),
        "unidentified": first(lambda row, rec: not row["identity_checked_at"] and row["pdf_path"]),
    }


def make_fhir_demo(folder: Path, consents: int = 7) -> SimpleNamespace:
    """`consents` consents made the kiosk's own way (kiosk demo: a walked session, the sealed
    PDF, archive_consent, the nurses' identity checks, countersignatures and a void), read back
    as the outbox reads them. The first seven cover every outcome, a void, a representative,
    an identity check and a countersignature."""
    from kiosk.demo import make_demo
    from kiosk.store import open_database
    from kiosk.store.outbox import load_item

    make_demo(folder, consents)
    db = open_database(folder / "kiosk.db")
    ids = [row["id"] for row in db.query("SELECT id FROM outbox WHERE kind = 'consent' ORDER BY id")]
    items = [load_item(db, entry, kiosk_id="ward-3-kiosk") for entry in ids]
    return SimpleNamespace(data_dir=folder, db=db, items=items, case=_fhir_cases(items))


@pytest.fixture(scope="module")
def fhir_demo(tmp_path_factory):
    demo = make_fhir_demo(tmp_path_factory.mktemp("fhir-kiosk"))
    yield demo
    demo.db.close()


@pytest.fixture(scope="module")
def fhir_server(tmp_path_factory):
    """A running SEKMET FHIR R4 server on a free loopback port with a fresh data folder."""
    from tests.interop.fhir_server import FhirServer

    server = FhirServer(tmp_path_factory.mktemp("fhir-server"))
    try:
        server.start()
    except RuntimeError as error:
        pytest.fail(str(error))  # never a skip: CI must install it (.ci/run)
    yield server
    server.stop()
