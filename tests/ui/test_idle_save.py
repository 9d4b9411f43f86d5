"""A session that times out ("Are you still there?" unanswered) is wiped from the screen at
once and its abandoned record stored by the store worker, off the UI thread; a failed store
is written on stderr and tried again until the row is in. An abandoned session has no PDF."""

from __future__ import annotations

import gc
import sqlite3
import threading

from PySide6.QtWidgets import QWidget

from kiosk.ui.pages.identity import SignerPage
from tests.ui.conftest import page, tap, visible_texts
from tests.ui.journey import Patient, enter_identity, start
from tests.ui.test_background_save import Heartbeat, hold_write_lock

NAME = "Beatrice Longbottom"


def rows_in_file(data_dir) -> list[tuple]:
    """The consents rows as a fresh connection to the real SQLite file sees them."""
    connection = sqlite3.connect(data_dir / "kiosk.db")
    try:
        return connection.execute("SELECT document_id, outcome, patient_name, pdf_path FROM consents").fetchall()
    finally:
        connection.close()


def walk_away(window) -> None:
    """The patient leaves: the idle wait and the prompt's countdown run on their own timers,
    shortened from seconds to 10 ms (the intervals are the kiosk's own, not waited out)."""
    window.prompt.tick.setInterval(10)
    window.idle.timer.setInterval(10)  # restarts the running idle timer


def assert_wiped(window) -> None:
    assert window.session is None and page(window) is window.welcome and not window.prompt.isVisible()
    assert not any("Beatrice" in t or "Longbottom" in t for t in visible_texts()), "a widget still holds the name"


def refuse_consents(data_dir) -> sqlite3.Connection:
    """A trigger in the real database file makes every consent insert fail, as a full disk would."""
    connection = sqlite3.connect(data_dir / "kiosk.db", isolation_level=None)
    connection.execute("CREATE TRIGGER refuse_consents BEFORE INSERT ON consents "
                       "BEGIN SELECT RAISE(ABORT, 'the disk is full (test)'); END")
    return connection


def timed_out_with_stores_refused(make_window, data_dir, qtbot, *, retry_ms=None):
    """A patient walks away while every store fails: once the first try has failed, the window,
    the connection holding the trigger (drop it to let stores through) and the document id."""
    window = make_window()
    start(window)
    enter_identity(window, Patient(name=NAME))
    refuse = refuse_consents(data_dir)
    document_id = window.session.id  # the record's document id
    window.time_out()
    assert_wiped(window)
    if retry_ms is not None:
        window.abandoned_saves.retry_ms = retry_ms
    qtbot.waitUntil(lambda: window.abandoned_saves.failures >= 1, timeout=10_000)
    return window, refuse, document_id


def test_the_time_out_wipes_the_screen_at_once_and_the_row_appears_in_the_database_file(
        make_window, data_dir, qtbot):
    window = make_window()
    start(window)
    enter_identity(window, Patient(name=NAME))
    wiped_with = []
    window.stack.currentChanged.connect(
        lambda _i: wiped_with.append(rows_in_file(data_dir)) if page(window) is window.welcome else None)
    walk_away(window)
    qtbot.waitUntil(lambda: window.session is None, timeout=5000)
    assert_wiped(window)
    assert wiped_with == [[]], "the screen was wiped before the record was stored, not after"
    qtbot.waitUntil(lambda: rows_in_file(data_dir) != [], timeout=10_000)
    [(document_id, outcome, name, pdf_path)] = rows_in_file(data_dir)
    assert (outcome, name, pdf_path) == ("abandoned", NAME, None)
    assert not list(data_dir.rglob("*.pdf")), "an abandoned session is stored without a PDF"
    qtbot.waitUntil(lambda: not window.store_worker.busy, timeout=5000)
    assert window.abandoned_saves.waiting == 0 and window.abandoned_saves.failures == 0
    gc.collect()
    holders = [o for o in gc.get_objects() if isinstance(o, dict) and o is not globals() and NAME in o.values()]
    assert holders == [], "once stored, nothing of the record is kept"
    tap(window.welcome.start_button)  # a new patient starts from nothing
    assert isinstance(page(window), SignerPage)


def test_time_out_returns_at_once_while_a_nurse_station_holds_the_write_lock(make_window, data_dir, qtbot):
    window = make_window()
    start(window)
    enter_identity(window, Patient(name=NAME))
    lock = hold_write_lock(data_dir / "kiosk.db")
    try:
        window.time_out()  # on the UI thread; it used to commit here, waiting up to 15 s for the lock
        assert_wiped(window)
        assert rows_in_file(data_dir) == [] and window.abandoned_saves.waiting == 1
        beat = Heartbeat()
        # The event loop keeps turning while the worker waits for the lock.
        qtbot.waitUntil(lambda: beat.beats >= 20, timeout=10_000)
        beat.stop()
        assert rows_in_file(data_dir) == [] and window.store_worker.busy, "the store did wait for the lock"
        assert window.store_worker.thread_ident != threading.get_ident()
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    qtbot.waitUntil(lambda: rows_in_file(data_dir) != [], timeout=20_000)
    assert [r[1:3] for r in rows_in_file(data_dir)] == [("abandoned", NAME)]


def test_a_failed_store_is_logged_and_tried_again_until_the_row_is_in(make_window, data_dir, qtbot, capfd):
    window, refuse, document_id = timed_out_with_stores_refused(make_window, data_dir, qtbot)
    try:
        qtbot.waitUntil(lambda: window.abandoned_saves.failures >= 2, timeout=10_000)  # first try and a retry
        assert rows_in_file(data_dir) == [] and window.abandoned_saves.waiting == 1, "kept for the next try"
        err = capfd.readouterr().err
        assert f"abandoned session {document_id} not stored yet" in err and "the disk is full (test)" in err
        assert "Traceback" in err
    finally:
        refuse.execute("DROP TRIGGER refuse_consents")
        refuse.close()
    qtbot.waitUntil(lambda: rows_in_file(data_dir) != [], timeout=20_000)
    assert [r[1:3] for r in rows_in_file(data_dir)] == [("abandoned", NAME)]
    qtbot.waitUntil(lambda: window.abandoned_saves.waiting == 0, timeout=5000)


def _widget_touches(into: list, thread_ident):
    """A profile hook: every widget method (C++ or Python) called on thread `thread_ident()`."""
    def hook(frame, event, arg):
        if threading.get_ident() != thread_ident():
            return
        if event == "c_call" and isinstance(getattr(arg, "__self__", None), QWidget):
            into.append(f"{type(arg.__self__).__name__}.{arg.__name__}")
        elif event == "call":
            into.append(frame.f_code.co_name)  # every Python function the thread runs
            if isinstance(frame.f_locals.get("self"), QWidget):
                into.append(f"WIDGET {type(frame.f_locals['self']).__name__}.{frame.f_code.co_name}")
    return hook


def test_the_store_worker_touches_no_widget(make_window, data_dir, qtbot):
    calls: list[str] = []
    holder = {}
    # The hook is inherited by threads started from now on: the window's store worker is one.
    threading.setprofile(_widget_touches(calls, lambda: holder.get("ident")))
    try:
        window = make_window()
    finally:
        threading.setprofile(None)
    holder["ident"] = window.store_worker.thread_ident
    start(window)
    enter_identity(window, Patient(name=NAME))
    walk_away(window)
    qtbot.waitUntil(lambda: rows_in_file(data_dir) != [], timeout=10_000)
    qtbot.waitUntil(lambda: not window.store_worker.busy, timeout=5000)
    assert "archive_consent" in calls, "the hook saw the worker store the record"
    touched = [c for c in calls if "." in c]
    assert touched == [], touched

    # The hook itself does see a widget touched from another thread.
    control: list[str] = []
    probe = threading.Thread(target=lambda: window.progress_label.objectName())
    holder["ident"] = None
    hook = _widget_touches(control, lambda: probe.ident)
    threading.setprofile(hook)
    try:
        probe.start()
    finally:
        threading.setprofile(None)
    probe.join(5)
    assert any(c.endswith(".objectName") for c in control), control


def test_closing_the_window_makes_one_last_try_for_a_record_still_waiting(make_window, data_dir, qtbot):
    window, refuse, _ = timed_out_with_stores_refused(make_window, data_dir, qtbot, retry_ms=(600_000,))
    refuse.execute("DROP TRIGGER refuse_consents")
    refuse.close()
    window.close()  # long before the next retry is due: the worker makes the last try, then stops
    assert [r[1:3] for r in rows_in_file(data_dir)] == [("abandoned", NAME)]


def test_a_last_try_that_fails_at_shut_down_is_written_on_stderr(make_window, data_dir, qtbot, capfd):
    window, refuse, document_id = timed_out_with_stores_refused(make_window, data_dir, qtbot)
    try:
        capfd.readouterr()
        window.close()
        err = capfd.readouterr().err
    finally:
        refuse.close()
    assert f"abandoned session {document_id} NOT stored at shut-down" in err and "the disk is full (test)" in err
    assert rows_in_file(data_dir) == []
