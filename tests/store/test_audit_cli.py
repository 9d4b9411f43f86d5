"""`kiosk audit verify` as IT runs it: a real process on a real data folder."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.store import open_database
from kiosk.store.audit import audit

ROOT = Path(__file__).resolve().parents[2]


def _verify(data_dir):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "audit", "verify"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.fixture
def data_dir(tmp_path):
    with open_database(tmp_path / "kiosk.db") as db:
        for n in range(3):
            audit(db, actor="Anna Lee", action="print", detail={"copies": n + 1})
    return tmp_path


def test_intact_trail_exits_0(data_dir):
    result = _verify(data_dir)
    assert (result.returncode, result.stdout.strip()) == (0, "Audit trail intact: 3 entries.")


@pytest.mark.parametrize(
    "sql, words",
    [
        ("UPDATE audit_log SET detail = '{\"copies\":9}' WHERE id = 2", "entry 2 was changed"),
        ("DELETE FROM audit_log WHERE id = 2", "entry 2 was deleted"),
    ],
)
def test_tampered_trail_exits_4_naming_the_entry(data_dir, sql, words):
    with sqlite3.connect(data_dir / "kiosk.db") as raw:
        raw.execute("DROP TRIGGER audit_log_no_update")
        raw.execute("DROP TRIGGER audit_log_no_delete")
        raw.execute(sql)
    raw.close()
    result = _verify(data_dir)
    assert result.returncode == 4
    assert words in result.stdout and "Traceback" not in result.stderr


def test_missing_database_is_explained(tmp_path):
    result = _verify(tmp_path / "nowhere")
    assert result.returncode == 2
    assert "no database" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "nowhere").exists()


def _bytes_of(data_dir):
    return {p.name: p.read_bytes() for p in sorted(data_dir.iterdir()) if p.is_file()}


def test_the_check_leaves_the_database_byte_identical(data_dir):
    before = _bytes_of(data_dir)
    assert _verify(data_dir).returncode == 0
    assert _bytes_of(data_dir) == before


def test_the_last_entries_deleted_and_sqlite_sequence_rewritten_are_named_from_the_anchor(tmp_path):
    with open_database(tmp_path / "kiosk.db") as db:
        for n in range(8):
            audit(db, actor="Anna Lee", action="print", detail={"copies": n + 1})
    with sqlite3.connect(tmp_path / "kiosk.db") as raw:  # a careful tamperer
        raw.execute("DROP TRIGGER audit_log_no_delete")
        raw.execute("DELETE FROM audit_log WHERE id > 5")
        raw.execute("UPDATE sqlite_sequence SET seq = 5 WHERE name = 'audit_log'")
        raw.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN"
                    " SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be deleted'); END")
    raw.close()
    before = _bytes_of(tmp_path)
    result = _verify(tmp_path)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "entries 6-8 are missing" in result.stdout
    assert "Traceback" not in result.stderr
    assert _bytes_of(tmp_path) == before


def test_an_entry_rewritten_with_a_rebuilt_chain_is_caught_by_the_anchor(tmp_path):
    from kiosk.store.audit import GENESIS, entry_hash

    with open_database(tmp_path / "kiosk.db") as db:
        for n in range(4):
            audit(db, actor="Anna Lee", action="print", detail={"copies": n + 1})
    with sqlite3.connect(tmp_path / "kiosk.db") as raw:  # rewrite entry 2 and every hash after it
        raw.execute("DROP TRIGGER audit_log_no_update")
        rows = raw.execute("SELECT id, at, actor, action, document_id, detail FROM audit_log ORDER BY id").fetchall()
        prev = GENESIS
        for entry_id, at, actor, action, document_id, detail in rows:
            detail = '{"copies":99}' if entry_id == 2 else detail
            digest = entry_hash(prev, [entry_id, at, actor, action, document_id, __import__("json").loads(detail)])
            raw.execute("UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?",
                        [detail, prev, digest, entry_id])
            prev = digest
        raw.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN"
                    " SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be changed'); END")
    raw.close()
    result = _verify(tmp_path)
    assert result.returncode == 4 and "entry 2 does not match the anchor" in result.stdout


def test_the_anchor_file_has_one_line_per_committed_entry_and_is_private(tmp_path):
    from kiosk.store.audit import chain_head, read_anchor

    with open_database(tmp_path / "kiosk.db") as db:
        for n in range(3):
            audit(db, actor="Anna Lee", action="print", detail={"copies": n + 1})
        head = chain_head(db)
    anchored = read_anchor(tmp_path / "audit-anchor.txt")
    assert sorted(anchored) == [1, 2, 3] and anchored[3] == head[1] and head[0] == 3
    assert (tmp_path / "audit-anchor.txt").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("kind", ["empty", "random bytes", "bad UTF-8 schema", "a folder"])
def test_a_damaged_database_gives_a_message_not_a_traceback_and_stays_as_it_was(tmp_path, kind):
    from tests.store.damaged import make_damaged_database, snapshot

    path = make_damaged_database(tmp_path / "kiosk.db", kind)
    before = snapshot(path)
    result = _verify(tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and str(path) in result.stderr
    assert snapshot(path) == before


def test_an_in_memory_trail_never_reads_an_anchor_file_in_the_current_folder(tmp_path, monkeypatch):
    import sqlite_utils

    from kiosk.store.database import MIGRATIONS
    from kiosk.store.audit import verify_audit

    monkeypatch.chdir(tmp_path)
    (tmp_path / "audit-anchor.txt").write_text(f"1 {'a' * 64} 2026-11-25T10:00:00+00:00\n")
    db = sqlite_utils.Database(memory=True)
    MIGRATIONS.apply(db)
    assert verify_audit(db).ok


def test_one_entry_with_its_guard_removed_is_said_in_the_singular(tmp_path):
    from kiosk.store.audit import verify_audit

    with open_database(tmp_path / "kiosk.db") as db:
        audit(db, actor="Anna Lee", action="print")
        db.conn.execute("DROP TRIGGER audit_log_no_update")
        report = verify_audit(db)
    assert not report.ok and "The 1 entry of the audit trail is intact" in report.message
