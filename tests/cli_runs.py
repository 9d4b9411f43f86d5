"""Running `kiosk ...` from a test: in a real process, or in this one through `kiosk.cli.main`.

A real process is what IT and the service manager run; each costs about 1.5 s of start-up
(Python, Qt, pyHanko imports), so a module keeps one or two real runs of a command and checks
the rest of its cases in-process: the same `main`, the same exit code, the same output.

    result = kiosk_in_process("--data-dir", str(data), "verify", str(pdf))
    assert result.returncode == 4 and "ALTERED" in result.stdout
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def kiosk_process(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def kiosk_in_process(*args: str) -> subprocess.CompletedProcess:
    """`kiosk.cli.main(args)` with its output captured and its exit code returned, as a process
    would give them. The umask `main` sets for the kiosk is given back to the test process."""
    from kiosk.cli import main

    out, err = io.StringIO(), io.StringIO()
    umask = os.umask(0o022)
    os.umask(umask)
    code: int | str | None = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exited:
                code = exited.code
    finally:
        os.umask(umask)
    if code is None:
        code = 0
    elif isinstance(code, str):  # sys.exit("message"): printed to stderr, exit status 1
        err.write(code + "\n")
        code = 1
    return subprocess.CompletedProcess(["kiosk", *args], code, out.getvalue(), err.getvalue())
