"""Recovery decides file by file: take back what the kiosk sealed, quarantine what it cannot
vouch for, leave alone what a live writer holds. Real sealed PDFs, a real database."""

from __future__ import annotations

import shutil
import uuid

import pytest

from kiosk.content import load_pack
from kiosk.finalise import prepare_consent
from kiosk.recovery import recover, recover_at_start
from kiosk.seal_key import load_seal_certificates, load_seal_signer
from kiosk.settings import load_settings
from kiosk.store import get_consent, open_database, write_file_durably
from kiosk.store.consents import pdf_path_for
from kiosk.store.files import durable_file
from kiosk.store.quarantine import list_quarantine
from tests.flow.sample import complete_session

PACK = load_pack("en")


@pytest.fixture(scope="module")
def sealed(tmp_path_factory):
    """A data folder with a seal key, and one sealed consent that was never stored."""
    data = tmp_path_factory.mktemp("sealed") / "data"
    data.mkdir()
    settings = load_settings(data)
    pending = prepare_consent(complete_session(PACK), PACK, settings, signer=load_seal_signer(data, settings))
    return data, pending


@pytest.fixture
def folder(sealed, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sealed[0], data)
    settings = load_settings(data)
    db = open_database(data / "kiosk.db")
    yield data, settings, db, sealed[1]
    db.close()


def _run(data, settings, db):
    return recover(db, data, settings.consents_path(data), trust_roots=load_seal_certificates(data, settings))


def _orphan(settings, data, pending, pdf=None):
    path = pdf_path_for(settings.consents_path(data), pending.record)
    write_file_durably(path, pending.pdf if pdf is None else pdf)
    return path


def _audited(db, action):
    return [r[0] for r in db.conn.execute("SELECT detail FROM audit_log WHERE action = ?", [action])]


def test_a_sealed_pdf_without_its_row_is_taken_back_exactly(folder):
    data, settings, db, pending = folder
    path = _orphan(settings, data, pending)
    report = _run(data, settings, db)
    assert report.adopted == [pending.record["document_id"]] and not report.quarantined
    row = get_consent(db, pending.record["document_id"])
    assert row["record"] == pending.record and row["pdf_path"] == str(path)
    assert _audited(db, "consent_recovered")


def test_a_pdf_changed_after_sealing_goes_to_quarantine_with_its_reason(folder):
    data, settings, db, pending = folder
    changed = bytearray(pending.pdf)
    at = changed.index(b"/Producer") if b"/Producer" in changed else len(changed) // 3
    changed[at + 2] ^= 0x01
    path = _orphan(settings, data, pending, bytes(changed))
    report = _run(data, settings, db)
    assert report.adopted == [] and len(report.quarantined) == 1
    assert not path.exists() and get_consent(db, pending.record["document_id"]) is None
    [kept] = list_quarantine(settings.consents_path(data))
    assert kept.path.read_bytes() == bytes(changed) and "seal" in kept.reason
    assert _audited(db, "file_quarantined")


def test_an_unsealed_pdf_goes_to_quarantine(folder):
    data, settings, db, pending = folder
    _orphan(settings, data, pending, b"%PDF-1.7\n% not sealed\n%%EOF\n")
    report = _run(data, settings, db)
    assert len(report.quarantined) == 1 and report.adopted == []


def test_a_pdf_under_another_consents_name_goes_to_quarantine(folder):
    data, settings, db, pending = folder
    right = pdf_path_for(settings.consents_path(data), pending.record)
    wrong = right.with_name(f"{uuid.uuid4()}.pdf")
    write_file_durably(wrong, pending.pdf)
    report = _run(data, settings, db)
    assert len(report.quarantined) == 1 and "another consent" in report.quarantined[0][1]


def test_a_file_a_live_writer_holds_is_left_alone(folder):
    data, settings, db, pending = folder
    path = pdf_path_for(settings.consents_path(data), pending.record)
    with durable_file(path, pending.pdf):  # being saved, its row not yet committed
        report = _run(data, settings, db)
    assert report.in_flight == 1 and report.adopted == [] and report.quarantined == [] and path.exists()


def test_with_no_seal_key_nothing_is_taken_back_or_moved(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    settings = load_settings(data)
    stray = settings.consents_path(data) / "2026" / "11" / f"{uuid.uuid4()}.pdf"
    write_file_durably(stray, b"%PDF-1.7 a stray\n")
    with open_database(data / "kiosk.db") as db:
        report = recover_at_start(db, data, settings)
    assert report.adopted == [] and report.quarantined == [] and stray.exists()
