"""Screens of the nurse station (saved with KIOSK_SCREENSHOTS=DIR): each must be on screen and
hold what a nurse needs at a glance."""

from __future__ import annotations

import os

import pytest
from pathlib import Path

from kiosk.ui.widgets.keyboard import OnScreenKeyboard
from tests.ui.conftest import draw_signature, tap, type_on_keyboard
from tests.ui import test_nurse_station as nurse_station
from tests.ui.test_nurse_station import create_admin, enter_pin, open_record

# The station's fixtures, shared with tests/ui/test_nurse_station.py.
filled_template, filled, station = nurse_station.filled_template, nurse_station.filled, nurse_station.station


def _pdf_drawn(view) -> bool:
    """QPdfView renders its pages in the background: true once dark text shows in the view."""
    image = view.grab().toImage()
    step = max(1, image.width() // 80)
    return any(image.pixelColor(x, y).lightness() < 100
               for y in range(0, image.height(), step) for x in range(0, image.width(), step))


def shoot(widget, name, qtbot=None):
    from PySide6.QtPdfWidgets import QPdfView

    for view in widget.findChildren(QPdfView):
        if view.isVisible() and view.document() is not None and view.document().pageCount() > 0:
            qtbot.waitUntil(lambda view=view: _pdf_drawn(view), timeout=10_000)
    assert (widget.width(), widget.height()) == (1920, 1080), f"{name}: the station grew past the screen"
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"nurse-{name}.png"))


def test_station_screens(station, qtbot):
    shoot(station, "01-first-use", qtbot)
    create_admin(station)
    from kiosk.store.nurses import create_nurse

    create_nurse(station.db, name="Sam Staff", pin="1357", by="Nora Nurse")
    station.sign_out()
    station.start()
    tap(next(iter(station.sign_in_page.name_buttons.values())))
    enter_pin(station.sign_in_page.pad, "99")
    shoot(station, "02-pin-pad", qtbot)
    station.sign_in_page.pad.clear()
    enter_pin(station.sign_in_page.pad, "2468")
    tap(station.sign_in_page.ok_button)
    assert station.nurse is not None
    shoot(station, "03-queue", qtbot)
    assert station.queue.help_buttons and station.queue.model.total == 4
    page = open_record(station, "Margaret Obrien")
    assert page.flags.isVisible() and page.document.pageCount() >= 3
    shoot(station, "04-consent-with-flags", qtbot)
    tap(page.countersign_button)
    type_on_keyboard(page.panels["countersign"].findChildren(OnScreenKeyboard)[0], "Dr Kim")
    tap(page.role_buttons["interventional_radiologist"])
    draw_signature(page.clinician_pad)
    shoot(station, "05-countersignature", qtbot)
    tap(page.countersign_confirm)
    qtbot.waitUntil(lambda: page.message.isVisible(), timeout=15_000)  # sealed on the worker
    shoot(station, "06-fully-signed", qtbot)
    station.show_dashboard()
    shoot(station, "07-dashboard", qtbot)
    assert station.dashboard.per_day.chart().series() and station.dashboard.missed.chart().series()


SIZES = [(1280, 800), (1920, 1080)]


def shoot_at(widget, name, size, qtbot):
    """As `shoot`, at `size`: saved as nurse-review-<w>x<h>-<name>.png with KIOSK_SCREENSHOTS."""
    from PySide6.QtPdfWidgets import QPdfView
    from PySide6.QtWidgets import QApplication

    for view in widget.findChildren(QPdfView):
        if view.isVisible() and view.document() is not None and view.document().pageCount() > 0:
            qtbot.waitUntil(lambda view=view: _pdf_drawn(view), timeout=10_000)
    assert (widget.width(), widget.height()) == size, f"{name}: the station grew past the screen"
    # the layout settled first: grabbed in the same turn as a tap, a page just shown was drawn
    # with its scroll area's scrollbar over content not yet resized to the narrower viewport
    QApplication.processEvents()
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"nurse-review-{size[0]}x{size[1]}-{name}.png"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_review_pages_at_both_screen_sizes(filled, qtbot, size):
    from PySide6.QtWidgets import QApplication

    from kiosk.ui import theme
    from kiosk.ui.nurse.station import NurseStation
    from kiosk.ui.theme import screen_scale
    from tests.ui.test_nurse_station import PACK, SETTINGS, Clock

    data, db, ids = filled
    theme.install(QApplication.instance(), scale=screen_scale(size[1]))  # as the station sizes itself to its screen
    desk = NurseStation(settings=SETTINGS, data_dir=data, db=db, pdf_labels=PACK.pdf_labels, clock=Clock())
    qtbot.addWidget(desk)
    desk.resize(*size)
    desk.show()
    desk.ids = ids
    _review_pages(desk, qtbot, size)


def _review_pages(station, qtbot, size):
    from kiosk.store.nurses import create_nurse
    from kiosk.store.nurses import sign_in as store_sign_in
    from tests.ui.test_nurse_station import choose_printer, cups_ready

    shoot_at(station, "first-use", size, qtbot)
    create_admin(station)
    sam = create_nurse(station.db, name="Sam Staff", pin="1357", by=station.context.account.actor)
    for _ in range(5):
        store_sign_in(station.db, sam, "0000", now=station.now())  # locked: Accounts offers Unlock
    tap(station.sign_out_button)
    station.start()
    tap(next(iter(station.sign_in_page.name_buttons.values())))
    enter_pin(station.sign_in_page.pad, "24")
    shoot_at(station, "sign-in", size, qtbot)
    enter_pin(station.sign_in_page.pad, "68")
    tap(station.sign_in_page.ok_button)
    page = open_record(station, "Edith Clarke")
    tap(page.zoom_in_button)
    shoot_at(station, "consent-zoomed", size, qtbot)
    tap(page.fit_width_button)
    tap(page.identity_button)
    for char in "AB-405":
        tap(page.mrn_keypad.keys[char])
    shoot_at(station, "identity-mrn-keypad", size, qtbot)
    tap(page.identity_confirm)
    shoot_at(station, "identity-stored", size, qtbot)
    tap(page.void_button)
    type_on_keyboard(page.panels["void"].findChildren(OnScreenKeyboard)[0], "wrong patient")
    tap(page.void_confirm)
    shoot_at(station, "voided", size, qtbot)
    if cups_ready():
        tap(page.print_button)
        choose_printer(page, qtbot)
        shoot_at(station, "print-panel", size, qtbot)
        tap(page.print_confirm)
        qtbot.waitUntil(lambda: bool(page.message.text() or page.print_error.text()), timeout=30_000)
        shoot_at(station, "printed-void-copy", size, qtbot)
    page = open_record(station, "Margaret Obrien")
    tap(page.countersign_button)
    shoot_at(station, "countersign-top", size, qtbot)
    tap(station.accounts_button)
    shoot_at(station, "accounts-unlock-make-admin", size, qtbot)
    from tests.ui.test_nurse_fits_screen import overflow_problems

    assert not overflow_problems(station.accounts), "\n".join(overflow_problems(station.accounts))
