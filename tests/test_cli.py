"""The `kiosk` command as IT uses it: real processes, real files.

Every command starts in a real process here at least once; cases that only vary what a
command is given run the same `kiosk.cli.main` in-process (tests/cli_runs.py)."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli_runs import kiosk_in_process

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
        said = _wait_for_line(child, "kiosk: ready for patients")
        assert child.poll() is None, "the kiosk exited"
        assert "ready" in said and (data / "kiosk.db").exists() and (data / "settings.toml").exists()
    finally:
        child.terminate()
        _, err = child.communicate(timeout=10)
    assert "Traceback" not in err, err


def _wait_for_line(child, text: str, timeout: float = 90) -> str:
    """Read the child's stderr until a line holding `text` (the kiosk's own "ready" line).

    Raw reads of the pipe, not ``readline``: a buffered reader may hold the awaited line
    already read while ``select`` waits for more bytes."""
    import select

    deadline = time.monotonic() + timeout
    seen = ""
    fd = child.stderr.fileno()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        seen += chunk.decode(errors="replace")
        for line in seen.splitlines(keepends=True):
            if text in line and line.endswith("\n"):
                return line
    raise AssertionError(f"no {text!r} within {timeout} s; stderr: {seen}")


def test_unwritable_output_for_the_blank_form_is_explained(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = kiosk_in_process("--data-dir", str(tmp_path / "data"), "form", "--blank", "-o", str(blocker / "form.pdf"))
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_kiosk_nurse_starts_on_a_desk_computer(tmp_path):
    """`kiosk nurse`: the station alone, on the same data folder; it must start and stay up."""
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-m", "kiosk", "--data-dir", str(data), "nurse"], cwd=ROOT,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_line(child, "kiosk: nurse station ready")  # its event loop is running
        assert child.poll() is None, "the nurse station exited"
    finally:
        child.terminate()
        _, err = child.communicate(timeout=10)
    assert "Traceback" not in err, err


from tests.store.damaged import KINDS, make_damaged_database, snapshot  # noqa: E402


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", [["nurse"], ["doctor"], ["audit", "verify"]])
def test_a_damaged_database_gives_every_command_a_clear_message_and_is_left_as_it_was(tmp_path, kind, command):
    data = tmp_path / "data"
    data.mkdir()
    path = make_damaged_database(data / "kiosk.db", kind)
    before = snapshot(path)
    # The nurse station starts Qt: a real process. doctor and audit verify: in-process.
    result = kiosk("--data-dir", str(data), *command) if command == ["nurse"] else kiosk_in_process(
        "--data-dir", str(data), *command)
    assert result.returncode in (2, 3), result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "kiosk.db" in result.stderr
    assert snapshot(path) == before


# --- settings are checked completely at start: exit 2, a message naming the line, no traceback ----


def _first_line(text: str) -> int | None:
    found = re.search(r"\bline (\d+)\b", text)
    return int(found.group(1)) if found else None


def _data_with(tmp_path, text: str | bytes, name: str = "data") -> Path:
    data = tmp_path / name
    data.mkdir()
    (data / "seal.p12").write_bytes(b"0\x82\x01\x00not really PKCS#12")  # as the fuzz cases expect
    (data / "empty.p12").write_bytes(b"")
    (data / "settings.toml").write_bytes(text if isinstance(text, bytes) else text.encode())
    return data


def test_an_unknown_time_zone_stops_the_kiosk_and_the_nurse_station_with_a_message(tmp_path):
    data = _data_with(tmp_path, 'hospital_name = "St Mary"\ntime_zone = "Europe"\n')
    for command in (["run", "--windowed"], ["nurse"]):
        result = kiosk("--data-dir", str(data), *command)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr and "line 2" in result.stderr
        assert "unknown time zone 'Europe'" in result.stderr and str(data / "settings.toml") in result.stderr


def test_an_uninstalled_default_language_is_refused_at_start(tmp_path):
    data = _data_with(tmp_path, '# Hindi, not installed\n\ndefault_language = "hi"\n')
    result = kiosk("--data-dir", str(data), "run", "--windowed")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "line 3" in result.stderr and "'hi' is not installed" in result.stderr


def test_a_consents_folder_that_is_not_a_folder_is_refused_at_start(tmp_path):
    data = _data_with(tmp_path, 'hospital_name = "St Mary"\nconsents_folder = "/dev/null"\n')
    result = kiosk("--data-dir", str(data), "run", "--windowed")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "line 2" in result.stderr and "/dev/null is not a folder" in result.stderr


def test_a_nested_consents_folder_is_created_at_start(tmp_path):
    data = _data_with(tmp_path, 'consents_folder = "a/b/c"\n')
    result = kiosk_in_process("--data-dir", str(data), "doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (data / "a" / "b" / "c").is_dir()


def test_the_paper_form_is_still_made_when_the_consent_folder_is_broken(tmp_path):
    """The blank form is the ward's fallback when the kiosk cannot store: nothing of the
    archive may stop it."""
    data = _data_with(tmp_path, 'consents_folder = "/dev/null"\n')
    result = kiosk_in_process("--data-dir", str(data), "form", "--blank", "-o", str(tmp_path / "form.pdf"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "form.pdf").read_bytes().startswith(b"%PDF")


def _cli_sample():
    from tests.test_settings import malformed_cases

    return random.Random(7).sample(malformed_cases(), 40)


def test_malformed_settings_files_stop_kiosk_doctor_with_exit_2_in_process(tmp_path, capsys):
    """Every generated malformed file (1,280) through `kiosk.cli.main`, as `kiosk doctor` runs
    it (the blank form checks the same settings, but not the folders: see the paper-form test)."""
    from kiosk.cli import main as kiosk_main
    from tests.test_settings import malformed_cases

    cases = malformed_cases()
    assert len(cases) >= 500
    for number, case in enumerate(cases):
        data = _data_with(tmp_path, case.data, f"data{number}")
        with pytest.raises(SystemExit) as exited:
            kiosk_main(["--data-dir", str(data), "doctor"])
        err = capsys.readouterr().err
        assert exited.value.code == 2, (case.name, err)
        assert "Traceback" not in err and str(data / "settings.toml") in err and case.fragment in err, case.name
        if case.line is not None:
            assert _first_line(err) == case.line, (case.name, err)


def test_malformed_settings_files_stop_every_command_in_real_processes(tmp_path):
    """12 more, in real processes: `kiosk run`, `kiosk nurse` and `kiosk doctor`, 3 at a time."""
    commands = [["run", "--windowed"], ["nurse"], ["doctor"]]
    jobs = [(case, _data_with(tmp_path, case.data, f"proc{number}"), commands[number % 3])
            for number, case in enumerate(_cli_sample()[28:])]
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda job: kiosk("--data-dir", str(job[1]), *job[2]), jobs))
    for (case, data, command), result in zip(jobs, results):
        assert result.returncode == 2, (case.name, command, result.stderr)
        assert "Traceback" not in result.stderr and str(data / "settings.toml") in result.stderr, case.name
        if case.line is not None:
            assert _first_line(result.stderr) == case.line, (case.name, result.stderr)


def test_building_the_command_line_loads_nothing_the_start_up_does_without():
    """`kiosk` builds its parser at every start: the export and outbox commands are parsed there
    without importing datetime, json, uuid or the hand-off modules (they cost ~15 ms)."""
    import subprocess
    import sys

    probe = ("import sys, kiosk.cli; kiosk.cli.build_parser(); "
             "print(sorted(m for m in ('datetime', 'json', 'uuid', 'kiosk.interop', 'kiosk.outbox') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
