"""The suite's own rule: under CI=true a skipped test is a failure, with the workers too.

`uv run pytest` runs on two worker processes (pytest-xdist, pyproject's addopts); a skip
reported by a worker must still fail the run in CI, and only in CI."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(folder: Path, ci: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": ci}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2",
                           "--dist", "loadfile", "-c", str(folder / "pytest.ini"), str(folder)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_skip_in_a_worker_fails_the_run_in_ci_and_only_there(tmp_path):
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_one.py").write_text("import pytest\n\ndef test_skips():\n    pytest.skip('no printer')\n")
    (tmp_path / "test_two.py").write_text("def test_passes():\n    assert True\n")

    in_ci = _run(tmp_path, "true")
    assert in_ci.returncode == 1, in_ci.stdout + in_ci.stderr
    assert "1 skipped test(s) count as failures" in in_ci.stdout

    on_a_laptop = _run(tmp_path, "")
    assert on_a_laptop.returncode == 0, on_a_laptop.stdout + on_a_laptop.stderr
    assert "1 passed, 1 skipped" in on_a_laptop.stdout
