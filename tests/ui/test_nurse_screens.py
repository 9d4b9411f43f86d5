"""Screens of the nurse station (saved with KIOSK_SCREENSHOTS=DIR): each must be on screen and
hold what a nurse needs at a glance."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.ui.widgets.keyboard import OnScreenKeyboard
from tests.ui.conftest import draw_signature, tap, type_on_keyboard
from tests.ui.test_nurse_station import create_admin, enter_pin, filled, filled_template, open_record, station  # noqa: F401


def shoot(widget, name):
    from PySide6.QtTest import QTest

    QTest.qWait(600)  # QPdfView renders its pages in the background
    assert (widget.width(), widget.height()) == (1920, 1080), f"{name}: the station grew past the screen"
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"nurse-{name}.png"))


def test_station_screens(station):
    shoot(station, "01-first-use")
    create_admin(station)
    from kiosk.store.nurses import create_nurse

    create_nurse(station.db, name="Sam Staff", pin="1357", by="Nora Nurse")
    station.sign_out()
    station.start()
    tap(next(iter(station.sign_in_page.name_buttons.values())))
    enter_pin(station.sign_in_page.pad, "99")
    shoot(station, "02-pin-pad")
    station.sign_in_page.pad.clear()
    enter_pin(station.sign_in_page.pad, "2468")
    tap(station.sign_in_page.ok_button)
    assert station.nurse is not None
    shoot(station, "03-queue")
    assert station.queue.help_buttons and station.queue.model.total == 4
    page = open_record(station, "Margaret Obrien")
    assert page.flags.isVisible() and page.document.pageCount() >= 3
    shoot(station, "04-consent-with-flags")
    tap(page.countersign_button)
    type_on_keyboard(page.actions.widget(2).findChildren(OnScreenKeyboard)[0], "Dr Kim")
    tap(page.role_buttons["Interventional radiologist"])
    draw_signature(page.clinician_pad)
    shoot(station, "05-countersignature")
    tap(page.countersign_confirm)
    shoot(station, "06-fully-signed")
    station.show_dashboard()
    shoot(station, "07-dashboard")
    assert station.dashboard.per_day.chart().series() and station.dashboard.missed.chart().series()
