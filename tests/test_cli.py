"""The `kiosk` command as IT uses it: real processes, real files."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]


def kiosk(*args, env_extra=None, timeout=60):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_blank_form_is_written_and_reads_back(tmp_path, real_pack):
    out = tmp_path / "form.pdf"
    result = kiosk("--data-dir", str(tmp_path / "data"), "form", "--blank", "-o", str(out))
    assert result.returncode == 0, result.stderr
    reader = PdfReader(str(out))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert real_pack.title[:30] in text
    assert all(q.prompt[:30] in text for q in real_pack.questions)
    assert len(reader.pages) >= 2


def test_a_broken_settings_file_gives_a_message_naming_the_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text('hospital_name = "St Mary"\n\nidle_timeout_seconds = "two minutes"\n')
    result = kiosk("--data-dir", str(data), "run", "--windowed")
    assert result.returncode == 2
    assert "line 3" in result.stderr and "idle_timeout_seconds" in result.stderr
    assert "Traceback" not in result.stderr


def test_kiosk_data_dir_comes_from_the_environment(tmp_path):
    data = tmp_path / "from-env"
    result = kiosk("form", "--blank", "-o", str(tmp_path / "f.pdf"), env_extra={"KIOSK_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    assert (data / "settings.toml").exists()


def test_the_kiosk_starts_and_keeps_running(tmp_path):
    """What `uv run kiosk` does, offscreen: it must start, create its data and stay up."""
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-m", "kiosk", "--data-dir", str(data)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (data / "kiosk.db").exists():
            assert child.poll() is None, child.communicate()
            time.sleep(0.1)
        time.sleep(0.5)
        assert child.poll() is None, "the kiosk exited"
        assert (data / "kiosk.db").exists() and (data / "settings.toml").exists()
    finally:
        child.terminate()
        _, err = child.communicate(timeout=10)
    assert "Traceback" not in err, err


def test_unwritable_output_for_the_blank_form_is_explained(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = kiosk("--data-dir", str(tmp_path / "data"), "form", "--blank", "-o", str(blocker / "form.pdf"))
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_kiosk_nurse_starts_on_a_desk_computer(tmp_path):
    """`kiosk nurse`: the station alone, on the same data folder; it must start and stay up."""
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-m", "kiosk", "--data-dir", str(data), "nurse"], cwd=ROOT,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (data / "kiosk.db").exists():
            assert child.poll() is None, child.communicate()
            time.sleep(0.1)
        time.sleep(1.5)
        assert child.poll() is None, "the nurse station exited"
    finally:
        child.terminate()
        _, err = child.communicate(timeout=10)
    assert "Traceback" not in err, err
