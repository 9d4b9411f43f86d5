"""Drive tests/crash_saver.py: SIGKILL a saving kiosk N times at the worst moments.

Each kill lands a random 0-15 ms after the child said it was about to save or countersign:
while the PDF is being written, between the PDF and the commit, or just after. What the
child acknowledged (its consent committed) is collected: those must all survive.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
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


class _Lines:
    """The saver's stdout, line by line, read by a thread of its own.

    Not ``select`` on the pipe and then ``readline``: the zygote's "CHILD" line and the
    child's "SAVING" line often arrive in one read, the buffered reader keeps the second,
    and ``select`` then waits a minute for bytes that were already read (seen under load)."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.queue: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.queue.put(line)
        self.queue.put(None)

    def next(self, timeout: float = 60.0) -> str:
        try:
            line = self.queue.get(timeout=timeout)
        except queue.Empty:
            self.process.kill()
            self.process.wait()
            raise TimeoutError(f"the crash saver said nothing for a minute; its stderr: "
                               f"{self.process.stderr.read()[-3000:]}") from None
        if line is None:
            raise RuntimeError(f"the crash saver ended: {self.process.stderr.read()}")
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
    lines = _Lines(process)
    try:
        while run.kills < kills:
            process.stdin.write("fork\n")
            process.stdin.flush()
            pid = int(lines.next().split()[1])
            killed = False
            while not killed:
                word, *rest = lines.next().split()
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
                word, *rest = lines.next().split()
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
        lines.thread.join(timeout=10)  # at the saver's end of file, before its pipe is closed
        for pipe in (process.stdin, process.stdout, process.stderr):
            try:
                pipe.close()
            except OSError:
                pass
    run.seconds = time.perf_counter() - start
    return run
