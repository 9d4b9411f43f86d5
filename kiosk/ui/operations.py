"""Slow work off the UI thread, for the patient side and the nurse station alike.

Shaped like Anki's ``CollectionOp`` / ``QueryOp`` (qt/aqt/operations): a page hands over a
piece of work with a ``success`` and a ``failure`` callback; the work runs on a background
thread, and the callbacks run later on the UI thread, delivered through a queued Qt signal,
so the event loop never waits for ReportLab, pyHanko, CUPS or a 100,000-row CSV.

THE THREADING RULE
- The work never touches a widget, and never the UI thread's database connection: a sqlite3
  connection belongs to the thread that opened it. Work that needs the database gets the
  worker's OWN connection (``BackgroundWorker(resource=...)``, as ``kiosk.ui.saving``'s
  ``StoreWorker`` does), or opens its own read-only one (``kiosk.review.export.write_export``).
- Audit entries and other quick SQLite writes of the nurse station stay on the UI thread, in
  the success or failure callback (``kiosk.review``'s ``record_*`` functions): they take
  milliseconds.
- Work runs one at a time per worker, in the order given; ``BackgroundWorker`` keeps nothing
  of a piece of work once its callback has run.

SHARING THE INTERPRETER: Python hands its lock from a busy thread to a waiting one only every
"switch interval" (5 ms by default). While a worker renders a consent in pure Python
(ReportLab), the UI thread waited up to that long each time it needed the lock back, many
times a frame: "Saving your form…" stalled for up to ~50 ms (bench/bench_save_stall.py, max
33-53 ms over six runs). While any worker has work, the interval is 0.5 ms (max 16-22 ms);
it goes back to what it was when the last result has been delivered.

``Operations`` adds what a page shows while it waits: one operation of a KIND at a time (a
double tap on Print starts one job, not two), and a busy state - the button that started it
disabled, its text a calm "Printing…" - put back when the result arrives.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


WORKING_SWITCH_INTERVAL_S = 0.0005
_usual_switch_interval: float | None = None  # while any worker has work: what to put back
_working = 0  # pieces of work given to any worker and not yet delivered (UI thread only)


def _work_given() -> None:
    global _working, _usual_switch_interval
    if _working == 0:
        _usual_switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(WORKING_SWITCH_INTERVAL_S)
    _working += 1


def _work_delivered() -> None:
    global _working
    _working -= 1
    if _working == 0 and _usual_switch_interval is not None:
        sys.setswitchinterval(_usual_switch_interval)


class _Delivery(QObject):
    """Lives on the UI thread; a signal emitted from the worker reaches it queued."""

    arrived = Signal(object)


class BackgroundWorker:
    """One background thread running work in order; callbacks on the UI thread.

    ``resource``, if given, is called ON THE WORKER THREAD before the first piece of work (for
    example to open the worker's own database connection); each piece of work is then called
    with it, ``work(resource)``, else ``work()``. It is closed (``.close()``) when the worker
    stops. ``run``, ``busy`` and ``close`` are for the UI thread (the thread that made it)."""

    def __init__(self, name: str, *, resource: Callable[[], object] | None = None):
        self.name = name
        self._resource = resource
        self._queue: queue.Queue = queue.Queue()
        self._busy = 0
        self._delivery = _Delivery()
        self._delivery.arrived.connect(self._deliver)
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    @property
    def busy(self) -> bool:
        """True while work is queued, running, or its callback not yet run."""
        return self._busy > 0

    @property
    def thread_ident(self) -> int | None:
        """The worker thread's ``threading.get_ident()``."""
        return self._thread.ident

    def run(self, work, *, success=None, failure=None) -> None:
        """Run ``work`` on the worker; then ``success(result)`` or ``failure(exception)`` on the
        UI thread. With no ``failure``, a failure is logged with its traceback."""
        self._busy += 1
        _work_given()
        self._queue.put((work, success, failure))

    def close(self, timeout: float = 5.0) -> None:
        """Finish what is queued (work in progress is never cut short), then stop."""
        self._queue.put(None)
        self._thread.join(timeout)

    def stop_soon(self) -> None:
        """As ``close``, without waiting for the thread (a callback still to come is delivered
        only while the event loop runs)."""
        self._queue.put(None)

    def _work(self) -> None:
        resource = None
        opened = False
        while True:
            item = self._queue.get()
            if item is None:
                break
            work, success, failure = item
            del item
            try:
                if self._resource is not None and not opened:
                    resource = self._resource()
                    opened = True
                outcome = (True, work(resource) if self._resource is not None else work())
            except Exception as error:  # noqa: BLE001 - reported to the UI thread, never lost
                outcome = (False, error)
            self._delivery.arrived.emit((outcome, success, failure))
            del work, success, failure, outcome  # nothing of a patient waits here for the next job
        if resource is not None:
            resource.close()

    def _deliver(self, message) -> None:
        (ok, value), success, failure = message
        self._busy -= 1
        _work_delivered()
        if ok:
            if success is not None:
                success(value)
        elif failure is not None:
            failure(value)
        else:
            log.error("A background operation (%s) failed: %s", self.name, value, exc_info=value)


class Operations:
    """What nurse pages use: ``run(kind, work, success=..., failure=..., busy=(button, text))``.

    One operation of a kind at a time: ``run`` returns False (and starts nothing) while one of
    the same kind is still out. While it is out, the ``busy`` button is disabled and shows
    ``text``; both come back before the callback runs, so a callback may start the next step
    of the same kind (the blank form: find the printer, then print). The work follows the
    threading rule of this module: no widget, no UI-thread database connection."""

    def __init__(self, name: str = "nurse-operations"):
        self.worker = BackgroundWorker(name)
        self._running: dict[str, tuple] = {}  # kind -> (button, its own text) while it is out

    def running(self, kind: str) -> bool:
        return kind in self._running

    @property
    def busy(self) -> bool:
        return self.worker.busy

    def run(self, kind: str, work: Callable[[], object], *, success=None, failure=None, busy=None) -> bool:
        if kind in self._running:
            return False
        button, text = busy if busy is not None else (None, None)
        self._running[kind] = (button, button.text() if button is not None else None)
        if button is not None:
            button.setEnabled(False)
            button.setText(text)
        self.worker.run(work, success=lambda value: self._finished(kind, success, value),
                        failure=lambda error: self._finished(kind, failure, error, failed=True))
        return True

    def _finished(self, kind: str, callback, value, *, failed: bool = False) -> None:
        button, text = self._running.pop(kind, (None, None))
        if button is not None:
            try:
                button.setText(text)
                button.setEnabled(True)
            except RuntimeError:  # the page was destroyed meanwhile (sign-out): nothing to put back
                pass
        if callback is not None:
            callback(value)
        elif failed:
            log.error("A background operation (%s) failed: %s", kind, value, exc_info=value)

    def close(self, timeout: float = 5.0) -> None:
        self.worker.close(timeout)

    def stop_soon(self) -> None:
        """Let the worker finish what is queued and stop, without waiting for it."""
        self.worker.stop_soon()
