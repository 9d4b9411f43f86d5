"""Slow work off the UI thread: rendering, sealing and storing a consent. (What the patient
sees meanwhile is `kiosk.ui.pages.ending.SavingPage`.)

Shaped like Anki's `CollectionOp` (qt/aqt/operations), through the one engine in
`kiosk.ui.operations` that the nurse station uses too: the window hands `StoreWorker.run` an
operation ``op(db) -> result`` with a `success` and a `failure` callback. The operation runs
on the worker's one thread, with the worker's OWN database connection (a sqlite3 connection
belongs to the thread that opened it; see kiosk.store.database); the callbacks run later on
the UI thread, through a queued Qt signal, so the event loop never waits for ReportLab,
pyHanko, an fsync or another connection's write lock.

Why the worker commits itself rather than handing the PDF back for the UI thread to commit:
`archive_consent` holds the PDF's lock from before its first byte until its row is committed
(the crash-recovery rule), and that commit may wait up to BUSY_TIMEOUT_SECONDS for the nurse
station's write lock. On the UI thread that wait would be a frozen screen; split in two, the
file would be written without its lock held until the commit. So the whole save, write and
commit, is one operation on the worker's connection, as `HelpCalls` stores calls for a nurse.

Operations run one at a time, in the order given. Once an operation's callback has run the
worker keeps nothing of it: no record, no PDF, no patient.

`AbandonedSaves` stores, through the same worker, the record of a session that timed out,
and tries again until it is stored.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject

from kiosk.ui.operations import BackgroundWorker

log = logging.getLogger(__name__)


class StoreWorker(BackgroundWorker):
    """One background thread with its own connection to `db_path`; see the module docstring.
    The thread, the queue and the delivery to the UI thread are `kiosk.ui.operations`'; this
    adds the connection, opened on the worker thread at its first operation, closed at the end.

    `run`, `busy` and `close` are for the UI thread (the thread that made the worker)."""

    def __init__(self, db_path: Path):
        self.db_path = Path(db_path)
        super().__init__("store-worker", resource=self._open)

    def _open(self):
        from kiosk.store.database import open_database

        return open_database(self.db_path)


# A failed store of an abandoned session is tried again after these pauses (milliseconds),
# then after the last one for ever, as `kiosk.store.HelpCalls` retries a call for a nurse.
ABANDONED_RETRY_MS = (200, 500, 1000, 2000, 5000)


class AbandonedSaves(QObject):
    """Stores the records of sessions that timed out ("Are you still there?" unanswered)
    through a `StoreWorker`, so the screen is wiped at once and the UI thread never waits for
    the commit (a nurse station's write lock can hold it for up to BUSY_TIMEOUT_SECONDS).

    An abandoned session has no PDF: only its row is stored (`kiosk.finalise.render_pending`).
    A failure is never lost silently: it is written on stderr with its traceback, and the same
    frozen record is tried again after `retry_ms` pauses until it is stored ("already saved"
    counts as stored). Meanwhile the record is held here and nowhere else; once stored,
    nothing of it is kept. Threading: `store`, `waiting`, `failures` are for the UI thread;
    the operation given to the worker reads only the frozen record and touches no widget."""

    def __init__(self, worker: StoreWorker, consents_dir: Path, *, retry_ms=ABANDONED_RETRY_MS, parent=None):
        super().__init__(parent)
        self.worker = worker
        self.consents_dir = Path(consents_dir)
        self.retry_ms = tuple(retry_ms)
        self.failures = 0  # failed tries so far, for the service log and tests
        self._waiting: dict[str, dict] = {}  # document id -> frozen record, until stored

    @property
    def waiting(self) -> int:
        """Records handed over and not yet stored."""
        return len(self._waiting)

    def store(self, record: dict) -> None:
        """Store `record` (a frozen abandoned record, `kiosk.finalise.freeze_record`)."""
        document_id = record["document_id"]
        self._waiting[document_id] = record
        self._try(document_id, 0)

    def last_try(self) -> None:
        """At shut-down, just before the worker's `close` (which finishes what is queued): one
        more try for each record still waiting. No callback runs after the event loop has
        ended, so the worker itself writes a failure on stderr."""
        folder = self.consents_dir
        for document_id, record in list(self._waiting.items()):
            def store(db, record=record, document_id=document_id):
                try:
                    return _store_abandoned(db, folder, record)
                except Exception as error:
                    _log_failure(f"kiosk: abandoned session {document_id} NOT stored at shut-down: {error}", error)
                    raise
            self.worker.run(store)

    def _try(self, document_id: str, attempt: int) -> None:
        record = self._waiting.get(document_id)
        if record is None:
            return
        folder = self.consents_dir
        self.worker.run(lambda db: _store_abandoned(db, folder, record), success=self._stored,
                        failure=lambda error: self._failed(document_id, attempt, error))

    def _stored(self, document_id: str) -> None:
        self._waiting.pop(document_id, None)

    def _failed(self, document_id: str, attempt: int, error: Exception) -> None:
        from PySide6.QtCore import QTimer

        self.failures += 1
        delay = self.retry_ms[min(attempt, len(self.retry_ms) - 1)]
        _log_failure(f"kiosk: abandoned session {document_id} not stored yet (try {attempt + 1}), "
                     f"trying again in {delay} ms: {error}", error)
        QTimer.singleShot(delay, self, lambda: self._try(document_id, attempt + 1))


def _store_abandoned(db, folder: Path, record: dict) -> str:
    """On the worker: store an abandoned record (no PDF); its document id."""
    from kiosk.finalise import PendingConsent, save_consent
    from kiosk.store import AlreadySavedError

    try:
        save_consent(db, folder, PendingConsent(record, None))
    except AlreadySavedError:  # an earlier try did commit: the record is safe
        pass
    return record["document_id"]


def _log_failure(message: str, error: Exception) -> None:
    """For the service log (stderr), with the traceback; safe on any thread."""
    import sys
    import traceback

    print(message, file=sys.stderr, flush=True)
    traceback.print_exception(error)
