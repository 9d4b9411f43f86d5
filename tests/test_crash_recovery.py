"""Killed in the middle of saving, 30 times and more; then a start puts everything right.

Real SIGKILLs of a real saving process (tests/crash_saver.py), a real SQLite file, real
sealed PDFs. The 500-kill run is bench/bench_kill_recovery.py.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.recovery import recover_at_start
from kiosk.settings import load_settings
from kiosk.store import open_database
from kiosk.store.leftovers import scan_consent_folder
from kiosk.store.quarantine import list_quarantine
from tests.crash_driver import kill_during_saves

ROOT = Path(__file__).resolve().parents[1]
KILLS = int(os.environ.get("KIOSK_CRASH_KILLS", "32"))


@pytest.fixture(scope="module")
def crashed(tmp_path_factory):
    """A data folder after KILLS kills mid-save, and what the killed kiosk acknowledged."""
    data_dir = tmp_path_factory.mktemp("crashed") / "data"
    data_dir.mkdir()
    run = kill_during_saves(data_dir, KILLS, seed=11)
    settings = load_settings(data_dir)
    with open_database(data_dir / "kiosk.db") as db:
        before = scan_consent_folder(db, settings.consents_path(data_dir))
    db = open_database(data_dir / "kiosk.db")
    # What the kiosk does at start; a restart takes longer than the second a temporary file is
    # left alone for, so the start is seen from 2 s on rather than waited for.
    report = recover_at_start(db, data_dir, settings, now=time.time() + 2)
    yield data_dir, settings, db, run, before, report
    db.close()


def test_the_kills_landed_inside_saves_and_left_leftovers(crashed):
    _, _, _, run, before, _ = crashed
    assert run.kills >= 30 and run.acknowledged
    assert run.killed_while.get("SAVING", 0) >= 10
    assert before.temporaries or before.orphan_consents or before.orphan_countersigned, \
        "no kill left anything to recover: the test would prove nothing"


def test_a_start_leaves_no_temporary_file(crashed):
    data_dir, settings, db, _, _, _ = crashed
    consents = settings.consents_path(data_dir)
    assert [p for p in consents.rglob("*.tmp")] == []


def test_every_orphan_pdf_was_taken_back_or_quarantined(crashed):
    data_dir, settings, db, _, before, report = crashed
    after = scan_consent_folder(db, settings.consents_path(data_dir))
    assert after.orphan_consents == [] and after.orphan_countersigned == []
    dealt_with = set(report.adopted) | {p.name.split(".")[0].removesuffix("-countersigned")
                                        for p, _ in report.quarantined} | set(report.adopted_countersigned)
    for path in before.orphan_consents + before.orphan_countersigned:
        assert path.name.split(".")[0].removesuffix("-countersigned") in dealt_with, path
    # Sealed, complete orphans are the kiosk's own: every one of them is taken back.
    assert len(report.adopted) == len(before.orphan_consents)
    assert len(list_quarantine(settings.consents_path(data_dir))) == len(report.quarantined)


def test_every_acknowledged_consent_is_present_with_a_matching_sha256(crashed):
    _, _, db, run, _, _ = crashed
    rows = {r[0]: r[1:] for r in db.conn.execute(
        "SELECT document_id, pdf_sha256, pdf_path, countersigned_pdf_sha256 FROM consents")}
    for document_id, sha256 in run.acknowledged.items():
        assert document_id in rows, document_id
        stored_sha, path, _ = rows[document_id]
        assert stored_sha == sha256 == hashlib.sha256(Path(path).read_bytes()).hexdigest()
    for document_id, sha256 in run.countersigned.items():
        assert rows[document_id][2] == sha256


def test_after_the_kills_every_consent_has_exactly_one_outbox_entry_and_no_entry_is_orphaned(crashed):
    """Each consent and its outbox entry are one transaction: a kill -9 leaves both or neither,
    so a hand-off configured later sends every consent once."""
    _, _, db, _, _, _ = crashed
    consents = {r[0] for r in db.conn.execute("SELECT document_id FROM consents")}
    entries = [r[0] for r in db.conn.execute("SELECT document_id FROM outbox WHERE kind = 'consent'")]
    assert consents and sorted(entries) == sorted(consents)
    audit = db.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert db.conn.execute("SELECT count(*) FROM outbox WHERE kind = 'event'").fetchone()[0] == audit


def test_what_recovery_did_is_in_the_audit_trail(crashed):
    _, _, db, _, _, report = crashed
    actions = [r[0] for r in db.conn.execute("SELECT action FROM audit_log")]
    assert actions.count("consent_recovered") == len(report.adopted)
    assert actions.count("file_quarantined") == len(report.quarantined)
    assert actions.count("countersignature_recovered") == len(report.adopted_countersigned)


def test_audit_verify_exits_0_afterwards(crashed):
    data_dir = crashed[0]
    result = subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "audit", "verify"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_kiosk_doctor_finds_all_well_afterwards(crashed):
    data_dir = crashed[0]
    result = subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "doctor"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All is well." in result.stdout and "Traceback" not in result.stderr
