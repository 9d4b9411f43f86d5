"""The outbox's sender: each entry to each configured target, in order, until it arrives.

One background thread per kiosk process (``OutboxSender.start``), with its own SQLite
connection (a connection belongs to the thread that opened it). Each round, for each target:
take its head (the first entry it has not been sent); if a try is due, deliver it; on
success record it and go on to the next entry; on a failure that may pass (server down,
time-out) record the reason and try again later, waiting longer each time (``backoff``: 2 s,
4 s, 8 s ... at most 5 minutes); on a failure that will not pass by itself, mark the entry
failed and hold the target there until IT retries (``kiosk outbox retry``). Nothing is ever
skipped: the order of what a target receives is the order things happened on the kiosk.

Delivery is at least once (a crash between the target's answer and ``mark_sent`` sends the
entry again after a restart); targets are idempotent by ``OutboxItem.event_id``, so it
arrives exactly once. The patient's save never waits for any of this: it only adds the
entry, in its own transaction.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from kiosk.outbox.target import DeliveryError, Target
from kiosk.store import outbox as store

log = logging.getLogger(__name__)

BACKOFF_FIRST_SECONDS = 2.0
BACKOFF_MAX_SECONDS = 300.0
ROUND_SECONDS = 2.0  # how often the thread looks for new entries
BATCH = 200  # entries sent to one target per round at most, so every target gets its turn
# A consent made by `kiosk demo` for training (its record says "sample": true, every PDF page
# SAMPLE) never reaches a health record or the central queue; a target that marks training data
# as such (HL7 v2's MSH-11 "T") says so with `sends_samples = True`.
SAMPLE_KEPT_BACK = "a SAMPLE consent (kiosk demo): kept on this computer"


def backoff(attempts: int, *, first: float = BACKOFF_FIRST_SECONDS, most: float = BACKOFF_MAX_SECONDS) -> float:
    """Seconds to wait after the `attempts`-th failed try in a row."""
    return min(most, first * 2 ** max(0, attempts - 1))


def _distinct(targets: list[Target]) -> list[Target]:
    names = [target.name for target in targets]
    if len(set(names)) != len(names):
        raise ValueError(f"two outbox targets have the same name: {names}")
    return targets


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


class OutboxSender:
    """Delivers the outbox of the database that `open_db()` opens to `targets` (a list, or a
    function that makes it, called on first use: in the sender's thread once started).

    `clock` gives the time (UTC, aware), so a test can step over a back-off instead of
    waiting it out; `run_once` is one round, for tests and for ``kiosk outbox send``."""

    def __init__(self, open_db: Callable[[], object], targets: Sequence[Target], *, kiosk_id: str,
                 clock: Callable[[], datetime] = _now, round_seconds: float = ROUND_SECONDS,
                 first_backoff: float = BACKOFF_FIRST_SECONDS, lock_path=None):
        self.open_db = open_db
        self._make_targets = targets if callable(targets) else None
        self._targets = None if callable(targets) else _distinct(list(targets))
        self.kiosk_id = kiosk_id
        self.clock = clock
        self.round_seconds = round_seconds
        self.first_backoff = first_backoff
        self._db = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        # The kiosk and a nurse station on one data folder each run a sender; the one holding
        # this lock sends, the other waits for it, so no entry is delivered by both at once.
        self.lock_path = lock_path
        self._lock_file = None

    @property
    def targets(self) -> list[Target]:
        if self._targets is None:
            self._targets = _distinct(list(self._make_targets()))
        return self._targets

    # ----- one round -----------------------------------------------------------------------
    def run_once(self) -> int:
        """Deliver what is due now to every target; how many entries arrived."""
        db = self._database()
        sent = 0
        for target in self.targets:
            sent += self._serve(db, target)
        return sent

    def _serve(self, db, target: Target) -> int:
        sent = 0
        while sent < BATCH and not self._stop.is_set():
            first = store.head(db, target.name)
            if first is None or first.state == "failed":
                return sent
            now = self.clock()
            if first.next_attempt_at and first.next_attempt_at > _iso(now):
                return sent
            item = store.load_item(db, first.outbox_id, kiosk_id=self.kiosk_id)
            if item.record.get("sample") and not getattr(target, "sends_samples", False):
                store.mark_skipped(db, target.name, item.id, at=_iso(now), reason=SAMPLE_KEPT_BACK)
                continue
            try:
                receipt = target.deliver(item)
            except DeliveryError as error:
                wait = backoff(first.attempts + 1, first=self.first_backoff)
                store.mark_not_sent(db, target.name, item.id, at=_iso(now), error=str(error),
                                    permanent=error.permanent,
                                    next_attempt_at=_iso(now + timedelta(seconds=wait)))
                log.warning("outbox: entry %s to %s not sent (%s): %s", item.id, target.name,
                            "for good" if error.permanent else f"again in {wait:.0f} s", error)
                return sent
            except Exception as error:  # a target's own defect: shown as a reason, tried again later
                wait = backoff(first.attempts + 1, first=self.first_backoff)
                store.mark_not_sent(db, target.name, item.id, at=_iso(now),
                                    error=f"{type(error).__name__}: {error}", permanent=False,
                                    next_attempt_at=_iso(now + timedelta(seconds=wait)))
                log.exception("outbox: target %s failed on entry %s", target.name, item.id)
                return sent
            store.mark_sent(db, target.name, item.id, at=_iso(self.clock()), receipt=receipt)
            sent += 1
        return sent

    def _database(self):
        if self._db is None:
            self._db = self.open_db()
        return self._db

    # ----- the background thread -----------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="outbox-sender", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Something was stored: look now rather than at the end of the round."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _holds_lock(self) -> bool:
        if self.lock_path is None:
            return True
        if self._lock_file is None:
            import fcntl

            handle = open(self.lock_path, "a+b")  # noqa: SIM115 - held for the thread's life
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                return False
            self._lock_file = handle
        return True

    def run_forever(self) -> None:
        """Rounds in the calling thread until `stop` (what `start` runs in a thread of its own)."""
        self._loop()

    def _loop(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    if self._holds_lock():
                        self.run_once()
                except Exception:  # the database busy or unreadable: the next round tries again
                    log.exception("outbox: a round failed")
                    self._db = None
                self._wake.wait(self.round_seconds)
                self._wake.clear()
        finally:
            if self._db is not None:
                self._db.close()
                self._db = None
            if self._lock_file is not None:
                self._lock_file.close()  # the lock goes with it
                self._lock_file = None
