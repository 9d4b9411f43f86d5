"""HelpCalls on its own (no Qt): a call is "stored" only after its commit, waits out another
writer's lock, is retried until it is in, in the order made, and says why meanwhile."""

import logging
import sqlite3
import threading
from concurrent.futures import TimeoutError as FutureTimeout

import pytest

from kiosk.store import HelpCalls, list_help_requests, open_database

SESSION = "9b2f8a52-1111-4c1c-9a55-000000000001"
AT = "2026-11-25T14:05:00+00:00"


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "kiosk.db"
    open_database(path).close()
    return path


@pytest.fixture
def calls(db_path):
    made = []

    def make(**kwargs):
        made.append(HelpCalls(db_path, **kwargs))
        return made[-1]

    yield make
    for help_calls in made:
        help_calls.close()


def _stored(db_path):
    with open_database(db_path, read_only=True) as db:
        return [(r["session_id"], r["at"], r["step_id"]) for r in reversed(list_help_requests(db))]


def test_a_call_is_resolved_only_once_it_is_committed(db_path, calls):
    help_calls = calls()
    future = help_calls.call(session_id=SESSION, at=AT, step_id="info.risks_leak")
    assert future.result(timeout=10) is True
    assert _stored(db_path) == [(SESSION, AT, "info.risks_leak")]  # readable by another connection
    assert help_calls.waiting == 0 and help_calls.problem is None


def test_calls_are_stored_in_the_order_they_were_made(db_path, calls):
    help_calls = calls()
    futures = [help_calls.call(session_id=SESSION, at=f"2026-11-25T14:0{i}:00+00:00", step_id=f"step{i}")
               for i in range(5)]
    assert [f.result(timeout=10) for f in futures] == [True] * 5
    assert [step for _, _, step in _stored(db_path)] == [f"step{i}" for i in range(5)]


def test_a_call_waits_for_another_writers_lock_and_is_stored_after_it(db_path, calls):
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the nurse station mid-write
    help_calls = calls(retry_delays=(0.05,))
    future = help_calls.call(session_id=SESSION, at=AT, step_id="statements")
    with pytest.raises(FutureTimeout):
        future.result(timeout=0.3)  # not "asked" while it is not stored
    assert help_calls.waiting == 1 and _stored(db_path) == []
    holder.execute("COMMIT")
    holder.close()
    assert future.result(timeout=20) is True
    assert help_calls.waiting == 0 and _stored(db_path) == [(SESSION, AT, "statements")]


class _Tries(logging.Handler):
    """Counts the worker's "not stored yet" log lines: the test waits for tries, not for time."""

    def __init__(self):
        super().__init__()
        self.messages: list[str] = []
        self.changed = threading.Condition()

    def emit(self, record):
        with self.changed:
            self.messages.append(record.getMessage())
            self.changed.notify_all()

    def wait_for(self, count, timeout=10.0):
        with self.changed:
            return self.changed.wait_for(lambda: len(self.messages) >= count, timeout)


@pytest.fixture
def tries():
    handler = _Tries()
    logger = logging.getLogger("kiosk.store.help")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def test_a_refused_call_is_retried_with_its_reason_shown_until_it_is_in(db_path, calls, tries):
    raw = _refuse_calls(db_path, "the disk says no")
    help_calls = calls(retry_delays=(0.01,))
    future = help_calls.call(session_id=SESSION, at=AT, step_id="decision")
    assert tries.wait_for(2), "the call was not retried"
    assert not future.done() and help_calls.waiting == 1
    assert "the disk says no" in help_calls.problem
    raw.execute("DROP TRIGGER refuse")
    raw.close()
    assert future.result(timeout=10) is True
    assert help_calls.problem is None and help_calls.waiting == 0
    assert _stored(db_path) == [(SESSION, AT, "decision")]
    assert tries.messages[0].startswith("A call for a nurse is not stored yet (try 1): ")
    assert tries.messages[1].startswith("A call for a nurse is not stored yet (try 2): ")


def test_the_pause_grows_then_stays_at_the_last_delay(db_path, calls, tries):
    """Delays (0, 0, 60): two quick retries, then a minute's pause (not a fourth try at once)."""
    raw = _refuse_calls(db_path)
    help_calls = calls(retry_delays=(0, 0, 60))
    help_calls.call(session_id=SESSION, at=AT, step_id="x")
    assert tries.wait_for(3)
    assert not tries.wait_for(4, timeout=0.5)  # now pausing for the last delay
    help_calls.close()  # ends the pause at once
    raw.close()
    assert not help_calls._thread.is_alive() and len(tries.messages) == 3


def _refuse_calls(db_path, reason="no"):
    raw = sqlite3.connect(db_path, isolation_level=None)
    raw.execute(f"CREATE TRIGGER refuse BEFORE INSERT ON help_requests BEGIN SELECT RAISE(ABORT, '{reason}'); END")
    return raw


def _until(condition, seconds=10):
    done = threading.Event()
    for _ in range(int(seconds * 100)):
        if condition():
            return True
        done.wait(0.01)
    return condition()


def test_a_database_that_cannot_be_opened_is_a_problem_not_a_crash(tmp_path):
    (tmp_path / "afile").write_text("a file where the data folder should be")
    help_calls = HelpCalls(tmp_path / "afile" / "kiosk.db", retry_delays=(0.01,))
    try:
        future = help_calls.call(session_id=SESSION, at=AT, step_id="x")
        assert _until(lambda: help_calls.problem is not None)
        assert "afile" in help_calls.problem and not future.done() and help_calls.waiting == 1
    finally:
        help_calls.close()
    assert not help_calls._thread.is_alive()


def test_close_stops_the_worker_and_leaves_an_unstored_call_unresolved(db_path, calls):
    raw = _refuse_calls(db_path)
    help_calls = calls(retry_delays=(0.01,))
    future = help_calls.call(session_id=SESSION, at=AT, step_id="x")
    assert _until(lambda: help_calls.problem is not None)
    help_calls.close(timeout=10)
    raw.close()
    assert not help_calls._thread.is_alive()
    assert not future.done() and help_calls.waiting == 1  # never claimed stored
    assert _stored(db_path) == []


def test_list_help_requests_newest_first_and_open_only(db_path, calls):
    help_calls = calls()
    for i, at in enumerate(["2026-11-25T14:00:00+00:00", "2026-11-25T15:00:00+00:00", "2026-11-25T15:00:00+00:00"]):
        help_calls.call(session_id=SESSION, at=at, step_id=f"s{i}").result(timeout=10)
    with open_database(db_path) as db:
        assert [r["step_id"] for r in list_help_requests(db)] == ["s2", "s1", "s0"]  # ties: the later call first
        db.execute("UPDATE help_requests SET acknowledged_at = ? WHERE step_id = 's1'", [AT])
        assert [r["step_id"] for r in list_help_requests(db, open_only=True)] == ["s2", "s0"]
        assert len(list_help_requests(db, open_only=False)) == 3
