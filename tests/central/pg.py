"""A private PostgreSQL 15 cluster on loopback, for the central database's tests.

Real binaries (Debian's ``postgresql-15``, in /usr/lib/postgresql/15/bin), a data folder in a
fresh temporary folder, a free port, trust authentication for the user ``kiosk``. PostgreSQL
refuses to run as root, so as root the cluster belongs to the ``postgres`` user and every
command runs through ``runuser``. ``stop()`` and ``start()`` again stand for "the hospital's
database server was down for a while"; ``remove()`` stops it and deletes its folder.

``fsync=off``: a test cluster that loses its data on a power cut is fine, and creating a
database per test is then a matter of milliseconds.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BIN = Path(os.environ.get("KIOSK_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER = "kiosk"
INSTALL_HINT = (
    "PostgreSQL 15 is needed for the central database tests: install the Debian packages "
    "postgresql-15 (it ships the unaccent and pg_trgm extensions) and "
    "postgresql-client-15, or point KIOSK_PG_BIN at a PostgreSQL 15 bin folder."
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresCluster:
    """One throw-away cluster: ``PostgresCluster().start()``, then ``dsn()``, ``remove()``."""

    def __init__(self) -> None:
        if not (BIN / "initdb").exists() or not (BIN / "pg_ctl").exists():
            raise RuntimeError(f"There is no initdb/pg_ctl in {BIN}. {INSTALL_HINT}")
        self.as_postgres = os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        if self.as_postgres:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "Running as root, the test cluster needs the 'postgres' user (made by the "
                    f"postgresql-15 package). {INSTALL_HINT}"
                ) from None
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self._run(BIN / "initdb", "-D", self.data, "-A", "trust", "-U", USER, "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")

    def _run(self, *command) -> subprocess.CompletedProcess:
        args = [str(c) for c in command]
        if self.as_postgres:
            args = ["runuser", "-u", "postgres", "--", *args]
        result = subprocess.run(args, capture_output=True, text=True, cwd=self.root)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n"
                               f"{result.stdout}\n{result.stderr}")
        return result

    def start(self) -> PostgresCluster:
        """Start the server (again) on the same port and wait until it accepts connections."""
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off"
                   " -c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run(BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.root / "server.log",
                  "-w", "-t", "30", "start")
        return self

    def stop(self) -> None:
        """Stop the server at once (``-m fast``: open connections are cut, as in an outage)."""
        self._run(BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def is_running(self) -> bool:
        args = [str(BIN / "pg_ctl"), "-D", str(self.data), "status"]
        if self.as_postgres:
            args = ["runuser", "-u", "postgres", "--", *args]
        return subprocess.run(args, capture_output=True).returncode == 0

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def remove(self) -> None:
        if self.data.exists() and self.is_running():
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
