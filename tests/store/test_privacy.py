"""Private files whatever the umask: the data folder 0700, patient files 0600."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.store import open_database
from kiosk.store.privacy import is_private, make_private

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def open_data_folder(tmp_path, umask_022):
    """A data folder as an older kiosk (or a careless copy) left it under umask 022."""
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "settings.toml").write_text('hospital_name = "St Mary"\n')
    live = sqlite3.connect(data / "kiosk.db")
    live.execute("PRAGMA journal_mode=wal")
    live.execute("CREATE TABLE t (x)")
    live.execute("INSERT INTO t VALUES (1)")
    live.commit()  # the connection stays open, so kiosk.db-wal and -shm exist
    (data / "seal").mkdir(mode=0o755)
    (data / "seal" / "kiosk-seal-key.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\n")
    (data / "consents" / "2026" / "11").mkdir(parents=True, mode=0o755)
    (data / "consents" / "2026" / "11" / "a.pdf").write_bytes(b"%PDF")
    yield data
    live.close()


def test_the_folder_as_found_is_open_to_everyone(open_data_folder):
    assert mode(open_data_folder) == 0o755 and mode(open_data_folder / "kiosk.db") == 0o644
    assert (open_data_folder / "kiosk.db-wal").exists()


def test_every_start_tightens_the_data_folder_and_says_what_it_changed(open_data_folder):
    tightened = make_private(open_data_folder, open_data_folder / "consents")
    assert mode(open_data_folder) == 0o700
    for name in ("kiosk.db", "kiosk.db-wal", "kiosk.db-shm", "settings.toml"):
        assert mode(open_data_folder / name) == 0o600, name
    assert mode(open_data_folder / "seal") == 0o700
    assert mode(open_data_folder / "seal" / "kiosk-seal-key.pem") == 0o600
    for folder in ("consents", "consents/2026", "consents/2026/11"):
        assert mode(open_data_folder / folder) == 0o700, folder
    assert any(str(open_data_folder / "kiosk.db") in line and "0644" in line for line in tightened)
    assert make_private(open_data_folder, open_data_folder / "consents") == []  # nothing left to do


def test_a_consent_folder_outside_the_data_folder_is_tightened_too(tmp_path, umask_022):
    elsewhere = tmp_path / "archive" / "2026" / "12"
    elsewhere.mkdir(parents=True)
    make_private(tmp_path / "no-data-yet", tmp_path / "archive")
    assert all(is_private(p) for p in (tmp_path / "archive", elsewhere.parent, elsewhere))


def test_every_file_mode_tightens_each_pdf(open_data_folder):
    make_private(open_data_folder, open_data_folder / "consents", every_file=True)
    assert mode(open_data_folder / "consents" / "2026" / "11" / "a.pdf") == 0o600


def test_a_kiosk_started_under_umask_022_keeps_everything_private(tmp_path, umask_022):
    """A real process started under umask 022 (kiosk doctor: settings, kiosk.db, recovery),
    then the seal key and a live -wal made under umask 022 too: nothing is open to others."""
    from kiosk.seal_key import load_seal_signer
    from kiosk.settings import load_settings

    data = tmp_path / "data"
    code = "import os, sys; os.umask(0o022); from kiosk.cli import main; main(sys.argv[1:])"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", code, "--data-dir", str(data), "doctor"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert os.umask(0o022) == 0o022  # the test process itself still runs under 022
    load_seal_signer(data, load_settings(data))  # the key, as the kiosk makes it after its first paint
    db = open_database(data / "kiosk.db")
    db.conn.execute("CREATE TABLE x (y)")  # the -wal exists while the kiosk runs
    try:
        assert mode(data) == 0o700
        for name in ("kiosk.db", "kiosk.db-wal", "kiosk.db-shm", "settings.toml"):
            assert mode(data / name) == 0o600, name
        assert mode(data / "seal") == 0o700
        assert all(mode(p) == 0o600 for p in (data / "seal").iterdir()), list((data / "seal").iterdir())
        assert mode(data / "consents") == 0o700
    finally:
        db.close()
