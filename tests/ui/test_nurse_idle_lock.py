"""The nurse station locks itself `idle_seconds` after the LAST touch, every time it is signed
into - also after a previous sign-out on a desk station (where `closed` shows the sign-in again).
Before the fix, the first sign-out removed the touch watch for good: taps no longer reset the
timer, and the station locked two minutes after the previous sign-out whatever the nurse did."""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import tap
from tests.ui import test_nurse_station as nurse_station
from tests.ui.test_nurse_station import SETTINGS, create_admin, enter_pin

filled_template, filled = nurse_station.filled_template, nurse_station.filled  # the station's data-folder fixtures

IDLE_SECONDS = 1  # injected: the real station waits 120 s


def desk_station(qtbot, filled):
    from kiosk.ui import theme
    from kiosk.ui.nurse.station import NurseStation

    data, db, _ids = filled
    theme.install(QApplication.instance())
    station = NurseStation(settings=SETTINGS, data_dir=data, db=db, idle_seconds=IDLE_SECONDS)
    station.closed.connect(station.start)  # as `kiosk nurse` does on a desk
    qtbot.addWidget(station)
    station.resize(1920, 1080)
    station.show()
    return station


def sign_in(station, pin="2468"):
    page = station.sign_in_page
    tap(next(iter(page.name_buttons.values())))
    enter_pin(page.pad, pin)
    tap(page.ok_button)
    assert station.context is not None


def touch(station):
    """A finger on the queue: a press and release, as a tap anywhere would be."""
    target = station.queue
    QTest.mousePress(target, Qt.LeftButton, Qt.NoModifier, QPoint(5, 5))
    QTest.mouseRelease(target, Qt.LeftButton, Qt.NoModifier, QPoint(5, 5))


def test_touches_keep_the_station_open_and_it_locks_idle_seconds_after_the_last_one_after_a_sign_out(qtbot, filled):
    station = desk_station(qtbot, filled)
    create_admin(station)
    tap(station.sign_out_button)
    assert station.context is None and station.stack.currentWidget() is station.sign_in_page
    sign_in(station)
    timer = station.idle.timer
    interval = timer.interval()
    assert interval == IDLE_SECONDS * 1000 and timer.isActive()
    closed = []
    station.closed.connect(lambda: closed.append(time.monotonic()))
    # Three times: let most of the wait pass, then touch; each touch starts the wait again.
    for _ in range(3):
        qtbot.waitUntil(lambda: timer.remainingTime() < interval * 0.4, timeout=interval * 2)
        touch(station)
        assert timer.remainingTime() > interval * 0.8, "a touch did not restart the idle timer"
        assert not closed and station.context is not None
    last_touch = time.monotonic()
    qtbot.waitUntil(lambda: bool(closed), timeout=interval * 3)
    assert closed[0] - last_touch >= IDLE_SECONDS * 0.9  # from the last touch, not from the sign-in
    assert station.context is None and station.stack.currentWidget() is station.sign_in_page


def test_a_second_sign_out_and_sign_in_still_watches_touches(qtbot, filled):
    station = desk_station(qtbot, filled)
    create_admin(station)
    for _ in range(2):
        tap(station.sign_out_button)
        sign_in(station)
    timer = station.idle.timer
    qtbot.waitUntil(lambda: timer.remainingTime() < timer.interval() * 0.5, timeout=timer.interval() * 2)
    touch(station)
    assert timer.remainingTime() > timer.interval() * 0.8
