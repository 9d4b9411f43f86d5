"""Drive tests/crash_saver.py: SIGKILL a saving kiosk N times at the worst moments.

Each kill lands a random 0-15 ms after the child said it was about to save or countersign:
while the PDF is being written, between the PDF and the commit, or just after. What the
child acknowledged (its consent committed) is collected: those must all survive.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class CrashRun:
    kills: int = 0
    acknowledged: dict[str, str] = field(default_factory=dict)  # document id -> PDF sha256
    countersigned: dict[str, str] = field(default_factory=dict)
    killed_while: dict[str, int] = field(default_factory=dict)  # "SAVING"/"CSAVING" -> kills
    seconds: float = 0.0


def _line(process, timeout: float = 60.0) -> str:
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    if not ready:
        raise TimeoutError("the crash saver said nothing for a minute")
    line = process.stdout.readline()
    if not line:
        raise RuntimeError(f"the crash saver ended: {process.stderr.read()}")
    return line.strip()


def kill_during_saves(data_dir: Path, kills: int, *, seed: int = 1) -> CrashRun:
    """Start the zygote on ``data_dir`` and kill ``kills`` saver children mid-save."""
    rng = random.Random(seed)
    run = CrashRun()
    start = time.perf_counter()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "tests.crash_saver", str(data_dir)], cwd=ROOT, env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               bufsize=1)
    try:
        while run.kills < kills:
            process.stdin.write("fork\n")
            process.stdin.flush()
            pid = int(_line(process).split()[1])
            killed = False
            while not killed:
                word, *rest = _line(process).split()
                if word == "ACK":
                    run.acknowledged[rest[0]] = rest[1]
                elif word == "CACK":
                    run.countersigned[rest[0]] = rest[1]
                elif word in ("SAVING", "CSAVING") and rng.random() < 0.6:
                    time.sleep(rng.uniform(0, 0.015))
                    os.kill(pid, signal.SIGKILL)
                    run.kills += 1
                    run.killed_while[word] = run.killed_while.get(word, 0) + 1
                    killed = True
            process.stdin.write(f"reap {pid}\n")
            process.stdin.flush()
            while True:  # what the child wrote before it died comes first
                word, *rest = _line(process).split()
                if word == "REAPED":
                    break
                if word == "ACK":
                    run.acknowledged[rest[0]] = rest[1]
                elif word == "CACK":
                    run.countersigned[rest[0]] = rest[1]
        process.stdin.write("quit\n")
        process.stdin.close()
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pipe in (process.stdin, process.stdout, process.stderr):
            try:
                pipe.close()
            except OSError:
                pass
    run.seconds = time.perf_counter() - start
    return run
