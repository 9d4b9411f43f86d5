"""Call a nurse, honestly: "asked" only once the call is stored, whatever holds the database."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import tap
from tests.ui.journey import start


def shoot(window, name: str) -> None:
    """KIOSK_SCREENSHOTS=DIR saves the screen (see tests/ui/test_screens.py)."""
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        window.grab().save(str(Path(folder) / f"{name}.png"))


def refuse_calls(path):
    """A real trigger that makes every insert of a call fail, as a disk fault would; drop
    `refuse_calls` on the returned connection to end the trouble."""
    breaker = sqlite3.connect(path, isolation_level=None)
    breaker.execute("CREATE TRIGGER refuse_calls BEFORE INSERT ON help_requests"
                    " BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")
    return breaker


def stored_calls(path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM help_requests").fetchone()[0]


def test_a_call_made_while_another_connection_holds_the_lock_is_stored_and_only_then_called_asked(
        window, data_dir, qtbot, real_pack):
    start(window)
    path = data_dir / "kiosk.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the nurse station, say, in a long write
    at_release = []

    def release():  # 2 s later: what the screen said while the lock was held, then let go
        at_release.append((stored_calls(path), window.help_banner.text(), window.help_button.text()))
        shoot(window, "18-calling-a-nurse")
        holder.execute("COMMIT")

    QTimer.singleShot(2000, release)
    tap(window.help_button)
    assert window.help_banner.text() == real_pack.ui("call_nurse_calling")
    said_asked_before_stored = []

    def asked():
        if window.help_banner.text() != real_pack.ui("call_nurse_done"):
            return False
        said_asked_before_stored.append(stored_calls(path) == 0)
        return True

    qtbot.waitUntil(asked, timeout=8000)
    holder.close()
    calling = real_pack.ui("call_nurse_calling")
    assert at_release == [(0, calling, calling)]  # held 2 s: not stored, and the screen did not pretend
    assert said_asked_before_stored == [False]
    assert stored_calls(path) == 1
    assert window.help_button.text() == real_pack.ui("call_nurse_heard")
    shoot(window, "19-a-nurse-is-coming")


def test_a_second_tap_adds_no_request_and_the_button_shows_the_call_was_heard(window, data_dir, qtbot, real_pack):
    start(window)
    tap(window.help_button)
    qtbot.waitUntil(lambda: window.help_button.text() == real_pack.ui("call_nurse_heard"), timeout=5000)
    tap(window.help_button)
    tap(window.help_button)
    assert window.help_calls.waiting == 0  # nothing new was queued by the extra taps
    assert stored_calls(data_dir / "kiosk.db") == 1
    assert len(window.session.help_requests) == 1
    assert window.help_banner.text() == real_pack.ui("call_nurse_done")


def test_a_call_that_cannot_be_stored_is_retried_and_the_screen_says_it_has_not_reached_anyone(
        window, data_dir, qtbot, real_pack):
    path = data_dir / "kiosk.db"
    breaker = refuse_calls(path)
    window.help_problem_after_ms = 300
    start(window)
    tap(window.help_button)
    qtbot.waitUntil(lambda: window.help_banner.text() == real_pack.ui("call_nurse_problem"), timeout=5000)
    shoot(window, "20-call-not-stored-yet")
    assert stored_calls(path) == 0 and window.help_calls.problem and window.help_calls.waiting == 1
    breaker.execute("DROP TRIGGER refuse_calls")  # the trouble passes: the retry stores it
    breaker.close()
    qtbot.waitUntil(lambda: window.help_banner.text() == real_pack.ui("call_nurse_done"), timeout=8000)
    assert stored_calls(path) == 1 and window.help_calls.problem is None


def test_the_next_patient_sees_nothing_of_the_last_ones_call(window, qtbot, real_pack):
    start(window)
    tap(window.help_button)
    qtbot.waitUntil(lambda: window.help_button.text() == real_pack.ui("call_nurse_heard"), timeout=5000)
    window.end_session()
    start(window)
    assert window.help_button.text() == real_pack.ui("call_nurse")
    assert not window.help_banner.isVisible()


def test_every_call_state_fits_a_1280x800_tablet(make_window, data_dir, qtbot, real_pack):
    from kiosk.ui import theme

    window = make_window(scale=theme.screen_scale(800))
    window.resize(1280, 800)
    QApplication.processEvents()
    path = data_dir / "kiosk.db"
    breaker = refuse_calls(path)
    window.help_problem_after_ms = 200
    start(window)
    tap(window.help_button)
    qtbot.waitUntil(lambda: window.help_banner.text() == real_pack.ui("call_nurse_problem"), timeout=5000)
    QApplication.processEvents()
    shoot(window, "20-call-not-stored-yet-1280x800")
    for shown in (window, window.help_banner, window.help_button, window.current_page().back_button):
        assert shown.isVisible()
        corner = shown.mapTo(window, shown.rect().bottomRight()) if shown is not window else shown.rect().bottomRight()
        assert corner.x() < 1280 and corner.y() < 800, shown
    assert window.help_button.fontMetrics().horizontalAdvance(window.help_button.text()) < window.help_button.width()
    breaker.execute("DROP TRIGGER refuse_calls")
    breaker.close()
    qtbot.waitUntil(lambda: window.help_button.text() == real_pack.ui("call_nurse_heard"), timeout=8000)
    assert window.width() <= 1280 and window.height() <= 800
    assert window.help_button.fontMetrics().horizontalAdvance(window.help_button.text()) < window.help_button.width()
    shoot(window, "19-a-nurse-is-coming-1280x800")
