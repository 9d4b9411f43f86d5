"""A PulseAudio server with one null sink, for tests: real playback with no sound card.

QtMultimedia reads PULSE_SERVER when it starts, so a test runs the Qt part in a child process
with PULSE_SERVER set to `NullSink.server`. As root, pulseaudio warns that it is "not intended
to be run as root" and runs all the same; HOME and XDG_RUNTIME_DIR point into the sink's own
folder so nothing of the real user's is read or written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

CONFIG = """load-module module-null-sink sink_name=nullsink
load-module module-native-protocol-unix socket={socket} auth-anonymous=1
set-default-sink nullsink
"""


def pulseaudio_missing() -> bool:
    return shutil.which("pulseaudio") is None


class NullSink:
    """`with NullSink(folder) as sink:` a running server; `sink.server` is for PULSE_SERVER."""

    def __init__(self, folder: Path, timeout: float = 10.0):
        self.folder = Path(folder)
        self.timeout = timeout
        self.socket = self.folder / "native"
        self.server = f"unix:{self.socket}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> NullSink:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "runtime").mkdir(mode=0o700, exist_ok=True)
        config = self.folder / "null.pa"
        config.write_text(CONFIG.format(socket=self.socket))
        env = dict(os.environ, HOME=str(self.folder), XDG_RUNTIME_DIR=str(self.folder / "runtime"))
        env.pop("PULSE_SERVER", None)
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        self.log = open(self.folder / "pulseaudio.log", "wb")
        self.process = subprocess.Popen(
            ["pulseaudio", "-n", "-F", str(config), "--daemonize=no", "--exit-idle-time=-1",
             "--use-pid-file=no", "--disable-shm=yes"], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.timeout
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError("pulseaudio did not start: "
                                   + (self.folder / "pulseaudio.log").read_text(errors="replace"))
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        self.log.close()
