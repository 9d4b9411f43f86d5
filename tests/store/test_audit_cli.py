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
