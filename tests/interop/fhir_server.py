"""A real FHIR R4 server for the tests: SEKMET (PyPI `sekmet-fhir`), in its own environment.

``FhirServer(folder)`` writes a settings file (loopback only, a free port, a fresh data folder,
the simulator off) and runs ``sekmet serve -c settings.yaml``; ``start()`` returns once
``/fhir/metadata`` answers, ``stop()`` ends the process. It can be stopped and started again
on the same port and data (a "server down" test), and used as a context manager.

Install it outside the kiosk's environment: ``uv tool install sekmet-fhir==0.1.1`` (gives
``~/.local/bin/sekmet``); ``$KIOSK_SEKMET`` names another executable.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

INSTALL_HINT = ("the FHIR test server is not installed: run `uv tool install sekmet-fhir==0.1.1` "
                "(or set KIOSK_SEKMET to its `sekmet` executable)")


def sekmet_executable() -> str | None:
    candidates = [os.environ.get("KIOSK_SEKMET"), shutil.which("sekmet"),
                  str(Path.home() / ".local" / "bin" / "sekmet")]
    return next((c for c in candidates if c and Path(c).is_file() and os.access(c, os.X_OK)), None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FhirServer:
    def __init__(self, folder: Path, port: int | None = None, *, ready_seconds: float = 30.0):
        self.folder = Path(folder)
        self.port = port or free_port()
        self.ready_seconds = ready_seconds
        self.base_url = f"http://127.0.0.1:{self.port}/fhir"
        self.process: subprocess.Popen | None = None
        self.log_path = self.folder / "sekmet.log"
        self.seconds_to_ready: float | None = None

    def start(self) -> "FhirServer":
        executable = sekmet_executable()
        if executable is None:
            raise RuntimeError(INSTALL_HINT)
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "data").mkdir(exist_ok=True)
        settings = self.folder / "settings.yaml"
        settings.write_text(
            f"base_url: {self.base_url}\nhost: 127.0.0.1\nport: {self.port}\n"
            f"data_dir: {json.dumps(str(self.folder / 'data'))}\nsimulator: {{enabled: false}}\n")
        started = time.monotonic()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([executable, "serve", "-c", str(settings)], cwd=self.folder,
                                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = started + self.ready_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the FHIR test server stopped at start-up (exit {self.process.returncode}):\n"
                                   + self.log_path.read_text(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(f"{self.base_url}/metadata", timeout=1) as answer:
                    if answer.status == 200:
                        self.seconds_to_ready = time.monotonic() - started
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the FHIR test server did not answer within {self.ready_seconds:g} s:\n"
                           + self.log_path.read_text(errors="replace")[-2000:])

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def __enter__(self) -> "FhirServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ----- reading back, as the health record would
    def get(self, path: str) -> dict:
        with urllib.request.urlopen(f"{self.base_url}/{path}", timeout=10) as answer:
            return json.loads(answer.read())

    def search(self, resource_type: str, query: str) -> list[dict]:
        """Every resource the search finds (following the next links)."""
        found, page = [], self.get(f"{resource_type}?{query}&_count=100")
        while True:
            found += [entry["resource"] for entry in page.get("entry") or [] if entry.get("search", {})
                      .get("mode", "match") == "match"]
            following = next((link["url"] for link in page.get("link") or [] if link["relation"] == "next"), None)
            if not following:
                return found
            with urllib.request.urlopen(following, timeout=10) as answer:
                page = json.loads(answer.read())
