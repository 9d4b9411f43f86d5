"""kiosk.ui.operations: work on a worker thread, callbacks on the UI thread, one operation of a
kind at a time with its busy button, and the patient side's StoreWorker on the same engine."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from kiosk.ui.operations import BackgroundWorker, Operations
from kiosk.ui.saving import StoreWorker


@pytest.fixture
def operations():
    ops = Operations("test-operations")
    yield ops
    ops.close()


def test_work_runs_on_the_worker_and_its_callback_on_the_ui_thread(operations, qtbot):
    seen = {}

    def work():
        seen["work"] = threading.get_ident()
        return 42

    operations.run("sum", work, success=lambda value: seen.update(value=value, callback=threading.get_ident()))
    qtbot.waitUntil(lambda: "value" in seen, timeout=5000)
    assert seen["value"] == 42
    assert seen["work"] == operations.worker.thread_ident != threading.get_ident()
    assert seen["callback"] == threading.get_ident()


def test_a_failure_reaches_the_failure_callback_on_the_ui_thread(operations, qtbot):
    errors = []

    def work():
        raise ValueError("the printer caught fire")

    operations.run("print", work, success=lambda _v: pytest.fail("no success"),
                   failure=lambda error: errors.append((error, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert str(errors[0][0]) == "the printer caught fire" and errors[0][1] == threading.get_ident()
    assert not operations.running("print")


def test_one_operation_of_a_kind_at_a_time_with_its_button_busy_meanwhile(operations, qtbot):
    release = threading.Event()
    done = []
    button = QPushButton("Print")
    qtbot.addWidget(button)
    assert operations.run("print", release.wait, success=done.append, busy=(button, "Printing\u2026"))
    assert not operations.run("print", lambda: "again", success=done.append, busy=(button, "Printing\u2026"))
    assert button.text() == "Printing\u2026" and not button.isEnabled() and operations.running("print")
    assert operations.run("export", lambda: "other kind", success=done.append)  # another kind is not held up
    release.set()
    qtbot.waitUntil(lambda: len(done) == 2, timeout=5000)
    assert done == [True, "other kind"]  # the second "print" never ran
    assert button.text() == "Print" and button.isEnabled() and not operations.running("print")
    assert operations.run("print", lambda: "now", success=done.append)
    qtbot.waitUntil(lambda: done[-1] == "now", timeout=5000)


def test_the_event_loop_keeps_turning_while_the_work_waits(operations, qtbot):
    release = threading.Event()
    ticks = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1) if len(ticks) < 10 else release.set())
    done = []
    operations.run("slow", lambda: release.wait(10), success=done.append)
    timer.start()
    qtbot.waitUntil(lambda: bool(done), timeout=5000)  # the work ends only once the loop has ticked 10 times
    timer.stop()
    assert done == [True] and len(ticks) == 10


def test_a_busy_button_destroyed_meanwhile_is_left_alone(operations, qtbot):
    release = threading.Event()
    done = []
    button = QPushButton("Print")
    operations.run("print", release.wait, success=done.append, busy=(button, "Printing\u2026"))
    button.deleteLater()
    qtbot.waitUntil(lambda: not _alive(button), timeout=2000)
    release.set()
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done == [True] and not operations.running("print")


def _alive(widget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_the_patient_sides_store_worker_is_the_same_engine_with_its_own_connection(tmp_path, qtbot):
    from kiosk.store import open_database

    open_database(tmp_path / "kiosk.db").close()
    worker = StoreWorker(tmp_path / "kiosk.db")
    try:
        assert isinstance(worker, BackgroundWorker)
        seen = []
        worker.run(lambda db: (threading.get_ident(), db.execute("select 1").fetchone()[0]), success=seen.append)
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
        assert seen == [(worker.thread_ident, 1)] and not worker.busy
    finally:
        worker.close()


def test_while_any_worker_has_work_the_interpreter_is_shared_finely(qtbot):
    """A worker rendering in pure Python kept the UI thread waiting up to the 5 ms switch
    interval for each hand-back of the interpreter lock ("Saving your form…" stalled up to
    ~50 ms): while any worker has work, the interval is 0.5 ms, and afterwards as it was."""
    import sys
    import threading

    from kiosk.ui import operations

    usual = sys.getswitchinterval()
    first, second = operations.BackgroundWorker("first"), operations.BackgroundWorker("second")
    release_first, release_second = threading.Event(), threading.Event()
    delivered = []
    try:
        first.run(lambda: release_first.wait(10), success=delivered.append)
        second.run(lambda: release_second.wait(10), success=delivered.append)
        assert sys.getswitchinterval() == operations.WORKING_SWITCH_INTERVAL_S
        release_first.set()
        qtbot.waitUntil(lambda: len(delivered) == 1, timeout=5000)
        assert sys.getswitchinterval() == operations.WORKING_SWITCH_INTERVAL_S, "the other worker still works"
        release_second.set()
        qtbot.waitUntil(lambda: len(delivered) == 2, timeout=5000)
        assert sys.getswitchinterval() == usual
    finally:
        release_first.set()
        release_second.set()
        first.close()
        second.close()
        sys.setswitchinterval(usual)
