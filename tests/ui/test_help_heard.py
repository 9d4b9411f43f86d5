"""Call a nurse shows it was heard (issue 10, item 5): the button changes at once ("Calling a
nurse…", then "A nurse is coming") and looks different, and no tap after the first, however
soon, adds a request."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import tap
from tests.ui.journey import start


def stored_calls(path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM help_requests").fetchone()[0]


def background(button) -> str:
    QApplication.processEvents()
    image = button.grab().toImage()
    return QColor(image.pixel(12, image.height() // 2)).name()  # inside the frame, left of the words


def test_a_double_tap_on_call_a_nurse_is_one_call_and_the_button_shows_it_was_heard(window, data_dir, qtbot,
                                                                                     real_pack):
    start(window)
    button = window.help_button
    before = background(button)
    tap(button)
    window.tap_clock.advance(60)
    QTest.mouseClick(button, Qt.LeftButton)  # the shaky second tap, 60 ms later, while it is stored
    assert button.text() == real_pack.ui("call_nurse_calling")
    assert background(button) != before, "the button looks different at once, not only worded so"
    qtbot.waitUntil(lambda: button.text() == real_pack.ui("call_nurse_heard"), timeout=5000)
    assert background(button) != before
    tap(button)  # and later taps, too, add nothing
    assert window.help_calls.waiting == 0
    assert stored_calls(data_dir / "kiosk.db") == 1 and len(window.session.help_requests) == 1
