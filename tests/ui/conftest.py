"""Drive the real kiosk window as a patient would: taps, on-screen keys, drags."""

from __future__ import annotations

import math
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton

from kiosk.settings import Settings
from kiosk.ui.pages.base import SETTLE_MS
from tests.ui.taps import TapClock
from kiosk.store import open_database

TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def no_widget_outlives_its_test(qapp):
    """Delete every top-level widget a test left behind, for real.

    pytest-qt closes and deleteLater()s the widgets it was given, but a DeferredDelete posted
    at this loop level is never delivered by processEvents: every window of every test stayed
    alive (3,500 widgets after 40 tests), and each `theme.install` restyled them all, so a
    window took 8 s to build by the end of a module. Deleting them here keeps each test's set-up
    as cheap as the first one's, and proves no test leans on a window another test made."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    QCoreApplication.processEvents()


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def make_window(qtbot, data_dir):
    from kiosk.ui import theme
    from kiosk.ui.window import KioskWindow

    def make(*, scale=1.0, nurse_hold_ms=None, **overrides):
        settings = Settings(hospital_name="St Elsewhere Hospital", time_zone="Europe/London", **overrides)
        theme.install(QApplication.instance(), scale=scale, high_contrast=settings.high_contrast,
                      large_text=settings.large_text)
        db = open_database(data_dir / "kiosk.db")
        window = KioskWindow(settings=settings, data_dir=data_dir, db=db, today=lambda: TODAY,
                             nurse_hold_ms=nurse_hold_ms, tap_clock=TapClock())
        qtbot.addWidget(window)
        window.resize(1920, 1080)
        window.show()
        qtbot.waitExposed(window)
        window.db_for_tests = db
        return window

    return make


@pytest.fixture
def window(make_window):
    return make_window()


def look_first(widget):
    """What a calm patient does before touching `widget`: the screen is drawn (a finger aims
    at what is painted), then looked at for longer than a page ignores taps for."""
    QApplication.processEvents()
    clock = getattr(widget.window(), "tap_clock", None)
    if isinstance(clock, TapClock):
        clock.advance(SETTLE_MS)


def tap(widget):
    """A calm patient's tap on what is on screen (see `look_first`)."""
    look_first(widget)
    assert widget.isVisible(), f"{widget!r} {getattr(widget, 'text', lambda: '')()} is not on screen"
    assert widget.isEnabled(), f"{widget.text() if hasattr(widget, 'text') else widget} is disabled"
    QTest.mouseClick(widget, Qt.LeftButton)
    wait_for_saves()


def wait_for_saves(timeout_ms: int = 30000):
    """A tap on Sign (or "Yes, that is right", or Try again) saves in the background behind
    "Saving your form…": wait, with the event loop running, until Done or the failed page."""
    from PySide6.QtCore import QDeadlineTimer

    deadline = QDeadlineTimer(timeout_ms)
    import time

    while any(getattr(w, "saving", False) is True for w in QApplication.topLevelWidgets()):
        assert not deadline.hasExpired(), "a save did not finish"
        QApplication.processEvents()
        time.sleep(0.005)  # lets the worker thread have the GIL


def page(window):
    return window.current_page()


def type_on_keyboard(keyboard, text: str):
    """Tap the on-screen keys for `text`, switching layouts and Shift as a person would."""
    for char in text:
        if char == " ":
            tap(keyboard.space_key)
            continue
        layout = next(name for name, spec in keyboard.layouts.items()
                      if any(char.lower() in row or char in row for row in spec["rows"]))
        if keyboard.current_layout != layout:
            tap(keyboard.layout_buttons[layout])
        key = keyboard.key_for(char)
        wants_upper = char != char.lower()
        for _ in range(2):  # Shift at a word's start keeps the capital; a second tap drops it
            if key.text() != (char if wants_upper or char.upper() == char else char.lower()):
                tap(keyboard.shift_key)
        tap(key)


def enter_date(pad, day: str, month: str, year: str):
    for name, digits in (("day", day), ("month", month), ("year", year)):
        tap(pad.boxes[name])
        for digit in digits:
            tap(pad.digit_keys[digit])


def draw_signature(pad, *, scale: float = 1.0):
    """A looping, handwriting-like drag across most of the pad."""
    w, h = pad.width(), pad.height()
    look_first(pad)
    points = [QPoint(int(w * (0.15 + 0.6 * scale * i / 60)), int(h * (0.5 + 0.25 * scale * math.sin(i / 4))))
              for i in range(61)]
    QTest.mousePress(pad, Qt.LeftButton, Qt.NoModifier, points[0])
    for point in points[1:]:
        QTest.mouseMove(pad, point)
    QTest.mouseRelease(pad, Qt.LeftButton, Qt.NoModifier, points[-1])


def draw_dot(pad):
    look_first(pad)
    centre = QPoint(pad.width() // 2, pad.height() // 2)
    QTest.mousePress(pad, Qt.LeftButton, Qt.NoModifier, centre)
    QTest.mouseRelease(pad, Qt.LeftButton, Qt.NoModifier, centre)


def visible_texts(root=None) -> list[str]:
    """Every text any live widget holds (shown or not): labels, fields, buttons."""
    texts = []
    widgets = QApplication.allWidgets() if root is None else root.findChildren(QLabel) + \
        root.findChildren(QLineEdit) + root.findChildren(QPushButton)
    for widget in widgets:
        if isinstance(widget, (QLabel, QLineEdit, QPushButton)):
            texts.append(widget.text())
    return texts
