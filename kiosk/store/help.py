"""Recording that a patient pressed "Call a nurse".

Durability rule: the request is committed (``synchronous=FULL``) before
``record_help_request`` returns - long before the consent itself is saved, and whether or
not it ever is. The kiosk calls it through ``HelpCalls``, on a thread of its own, because it
may have to wait for the nurse station's write lock.
"""

from __future__ import annotations

import logging

import sqlite_utils

from kiosk.store.database import StoreError
from kiosk.store.transactions import write_transaction

log = logging.getLogger(__name__)


def record_help_request(
    db: sqlite_utils.Database, *, session_id: str, at: str, step_id: str
) -> None:
    """Store one press of "Call a nurse" during session ``session_id`` (the consent's
    document id), at time ``at`` (ISO 8601 with offset), on step ``step_id``.

    Example::

        record_help_request(db, session_id=record["document_id"],
                            at="2026-11-25T14:05:00+00:00", step_id="risks_leak")
    """
    for name, value in (("session_id", session_id), ("at", at), ("step_id", step_id)):
        if not isinstance(value, str) or not value.strip():
            raise StoreError(
                f"The call for a nurse could not be recorded: no {name} was given."
            )
    with write_transaction(db, "the call for a nurse was not recorded"):
        db.conn.execute(
            "INSERT INTO help_requests (session_id, at, step_id) VALUES (?, ?, ?)",
            [session_id, at, step_id],
        )


def list_help_requests(db: sqlite_utils.Database, *, open_only: bool = False) -> list[dict]:
    """Calls for a nurse, newest first; `open_only` keeps those nobody has acknowledged."""
    where = "where acknowledged_at is null" if open_only else ""
    return list(db.query(f"select * from help_requests {where} order by at desc, id desc"))


class HelpCalls:
    """Stores calls for a nurse on a background thread of its own, retrying until each is in.

    The patient screen must never say "a nurse has been asked" before that is true, and must
    never freeze while another writer (the nurse station) holds the database's write lock. So
    ``call`` returns a ``Future`` at once; a worker thread with its OWN connection (sqlite3
    connections belong to their thread) stores the call with ``record_help_request`` and
    resolves the future only after the commit. A call that fails is retried with a growing
    pause (``retry_delays``, then the last delay for ever) until it is stored or ``close`` is
    called; ``problem`` holds the latest failure meanwhile (logged too), for the screen to
    show staff that something is wrong. Calls are stored in the order they were made.

    Threading: ``call``, ``problem``, ``waiting`` and ``close`` may be used from any thread.
    """

    def __init__(self, db_path, *, retry_delays=(0.2, 0.5, 1.0, 2.0, 5.0)):
        import queue
        import threading

        self.db_path = db_path
        self.retry_delays = tuple(retry_delays)
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._problem: str | None = None
        self._waiting = 0
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, name="help-calls", daemon=True)
        self._thread.start()

    def call(self, *, session_id: str, at: str, step_id: str):
        """Queue one call; the returned ``concurrent.futures.Future`` is set to True once the
        call is committed."""
        from concurrent.futures import Future

        future: Future = Future()
        with self._lock:
            self._waiting += 1
        self._queue.put((dict(session_id=session_id, at=at, step_id=step_id), future))
        return future

    @property
    def problem(self) -> str | None:
        """Why the oldest waiting call has not been stored yet, or None."""
        with self._lock:
            return self._problem

    @property
    def waiting(self) -> int:
        """Calls made but not stored yet."""
        with self._lock:
            return self._waiting

    def close(self, timeout: float = 5.0) -> None:
        """Stop the worker (after the call it is storing, if any)."""
        self._closed.set()
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        db = None
        while True:
            item = self._queue.get()
            if item is None or self._closed.is_set():
                break
            request, future = item
            attempt = 0
            while not self._closed.is_set():
                try:
                    if db is None:
                        from kiosk.store.database import open_database

                        db = open_database(self.db_path)
                    record_help_request(db, **request)
                except Exception as error:  # noqa: BLE001 - whatever it is, keep trying, and say so
                    delay = self.retry_delays[min(attempt, len(self.retry_delays) - 1)]
                    attempt += 1
                    with self._lock:
                        self._problem = str(error)
                    log.error("A call for a nurse is not stored yet (try %d): %s", attempt, error)
                    self._closed.wait(delay)
                    continue
                with self._lock:
                    self._waiting -= 1
                    self._problem = None
                future.set_result(True)
                break
        if db is not None:
            db.close()
