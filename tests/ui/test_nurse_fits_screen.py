"""Every nurse page fits its screen, at 1280x800 and 1920x1080, with 0, 3 and 30 open calls for
a nurse: inside the patient kiosk's window (touch only) and as the desk station. Sign-in,
first use, the queue (and its on-screen keys in the kiosk), one consent with each action
panel open, accounts and the dashboard: the window never grows past the screen and every
control is on it (or in a scroll area that reaches it). After visiting Accounts and signing
out, Sign in is still on screen; after leaving the station inside the kiosk, the patient's
name page still has Space, Delete and Next on screen.

Screenshots with KIOSK_SCREENSHOTS=DIR: nurse-fit-<where>-<size>-<calls>calls-<page>.png.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QScrollArea, QWidget

from kiosk.store import record_help_request
from kiosk.store.queue import open_help_requests
from kiosk.store.review import acknowledge_help
from kiosk.ui.pages.identity import NamePage
from kiosk.ui.theme import screen_scale
from tests.ui.conftest import page, tap
from tests.ui.test_fits_screen import misfits
from tests.ui import test_nurse_station as nurse_station
from tests.ui.test_nurse_station import SETTINGS, create_admin

filled_template, filled = nurse_station.filled_template, nurse_station.filled  # its fixtures, here too

SIZES = [(1280, 800), (1920, 1080)]
CALLS = [0, 3, 30]


def set_open_calls(db, n: int, ids: dict, now: datetime) -> None:
    """Exactly `n` open calls: some from saved consents (a name shows), some from sessions not
    saved yet, spread over today and the days before."""
    for request in open_help_requests(db):
        acknowledge_help(db, request["id"], nurse="Set-up", at=now.isoformat())
    names = list(ids.values())
    for i in range(n):
        session = names[i % len(names)] if i % 3 else str(uuid.UUID(int=i + 1))
        record_help_request(db, session_id=session, at=(now - timedelta(hours=7 * i)).isoformat(),
                            step_id="info.risks_leak")
    assert len(open_help_requests(db)) == n


@pytest.fixture
def data_dir(filled):  # make_window (tests/ui/conftest) opens the kiosk on the filled folder
    return filled[0]


def shoot(window, name: str) -> None:
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(folder) / f"nurse-fit-{name}.png"))


def fit_problems(window, size) -> list[str]:
    """`misfits`, less a table's header: it sits above the table's viewport by design, so the
    check "inside its scroll area's viewport" does not apply to it."""
    return [p for p in misfits(window, size) if not p.startswith("QHeaderView")]


KEY_BORDER_PX = 3  # the theme's QPushButton border: a label must fit inside it, not under it


def overflow_problems(root) -> list[str]:
    """What `misfits` lets through on a page that scrolls: content wider than its scroll
    area's viewport, a control whose right edge is under the vertical scrollbar or past the
    viewport (horizontal scrolling is off: nobody could reach it), and a key of an on-screen
    keyboard or pad whose label is wider than the key ("Clear", "عربي", "Delete" cut)."""
    QApplication.processEvents()
    problems = []
    for area in root.findChildren(QScrollArea):
        content = area.widget()
        if not area.isVisible() or content is None:
            continue
        viewport = area.viewport()
        if content.width() > viewport.width():
            problems.append(f"a scroll area's content is {content.width()} px wide, its viewport {viewport.width()}")
        bar = area.verticalScrollBar()
        room = area.width() - 2 * area.frameWidth() - (bar.width() if bar.isVisible() else bar.sizeHint().width())
        if content.minimumSizeHint().width() > room:  # fits now, but not once its scrollbar shows
            problems.append(f"a scroll area's content needs {content.minimumSizeHint().width()} px,"
                            f" {room} are left beside its scrollbar")
        for widget in content.findChildren(QWidget):
            if widget.isVisible() and isinstance(widget, (QPushButton, QLineEdit, QLabel)):
                right = widget.mapTo(viewport, QPoint(widget.width(), 0)).x()
                if right > viewport.width():
                    problems.append(f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()[:40]!r} ends at"
                                    f" {right} px, past its viewport's {viewport.width()} (under the scrollbar)")
    for key in root.findChildren(QPushButton):
        if key.isVisible() and key.property("role") == "key" and key.text():
            need = QFontMetrics(key.font()).horizontalAdvance(key.text())
            room = key.contentsRect().width() - 2 * KEY_BORDER_PX
            if need > room:
                problems.append(f"key {key.text()!r} is cut: its label needs {need} px, the key has {room}")
    return problems


def visit_every_page(station, window, size, tag: str, *, in_kiosk: bool) -> dict[str, list[str]]:
    """Walk every nurse page from first use to sign-out; what does not fit, per page. On the
    pages with a keyboard of their own (first use, accounts) also `overflow_problems`; Accounts
    with a locked nurse beside the administrator, so Unlock and Make administrator show."""
    seen: dict[str, list[str]] = {}

    def check(name):
        seen[name] = fit_problems(window, size)
        if name in ("first-use", "accounts"):
            seen[name] += overflow_problems(station.stack.currentWidget())
        shoot(window, f"{tag}-{name}")

    check("first-use")
    create_admin(station)
    lock_a_second_nurse(station)
    queue = station.queue
    check("queue")
    if in_kiosk:
        tap(queue.search)
        assert queue.keys is not None and queue.keys.isVisible()
        check("queue-search-keys")
        tap(queue.clear_button)
    station.open_consent(station.ids["Margaret Obrien"])
    consent = station.consent
    check("consent")
    for panel, opener in (("identity", consent.identity_button), ("countersign", consent.countersign_button),
                          ("void", consent.void_button), ("print", consent.print_button)):
        tap(opener)
        check(f"consent-{panel}")
        consent.show_panel(0)
    tap(station.accounts_button)
    check("accounts")
    tap(station.dashboard_button)
    check("dashboard")
    return seen


def lock_a_second_nurse(station) -> None:
    from kiosk.store.nurses import create_nurse
    from kiosk.store.nurses import sign_in as store_sign_in

    sam = create_nurse(station.db, name="Sam Staff", pin="1357", by=station.context.account.actor)
    for _ in range(5):
        store_sign_in(station.db, sam, "0000", now=station.now())


def _on_screen(widget, window, size) -> bool:
    return widget.isVisible() and QRect(0, 0, *size).contains(QRect(widget.mapTo(window, QPoint(0, 0)),
                                                                    widget.size()))


def report(seen: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {'; '.join(p)}" for name, p in seen.items() if p)


@pytest.mark.parametrize("calls", CALLS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_nurse_page_fits_inside_the_kiosk(make_window, filled, size, calls):
    _data, db, ids = filled
    width, height = size
    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(height))
    window.resize(width, height)
    QApplication.processEvents()
    set_open_calls(db, calls, ids, window.clock())
    window.open_nurse_station()
    station = window.nurse_station
    station.ids = ids
    seen = visit_every_page(station, window, size, f"kiosk-{width}x{height}-{calls}calls", in_kiosk=True)
    assert len(station.queue.help_buttons) == calls
    for ack in station.queue.help_buttons.values():
        assert ack.height() >= 72, "Acknowledge must be a finger's size"
    tap(station.sign_out_button)
    assert window.nurse_station is None
    window.open_nurse_station()  # the next nurse: Sign in, after Accounts was visited
    sign_in = window.nurse_station.sign_in_page
    seen["sign-in, after Accounts"] = fit_problems(window, size)
    shoot(window, f"kiosk-{width}x{height}-{calls}calls-sign-in")
    assert _on_screen(sign_in.ok_button, window, size), "Sign in is off the screen"
    tap(sign_in.cancel_button)
    tap(window.welcome.start_button)
    tap(page(window).choices["patient"])
    name_page = page(window)
    assert isinstance(name_page, NamePage)
    seen["patient's name page, after the station"] = fit_problems(window, size)
    for key in (name_page.keyboard.space_key, name_page.keyboard.backspace_key, name_page.next_button):
        assert _on_screen(key, window, size), f"{key.text()} is off the screen"
    assert not report(seen), "\n" + report(seen)


@pytest.mark.parametrize("calls", CALLS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_nurse_page_fits_on_a_desk(qtbot, filled, size, calls):
    from kiosk.flow.clock import make_clock
    from kiosk.ui import theme
    from kiosk.ui.nurse.station import NurseStation

    data, db, ids = filled
    width, height = size
    theme.install(QApplication.instance(), scale=screen_scale(height))
    clock = make_clock("Europe/London")
    set_open_calls(db, calls, ids, clock())
    station = NurseStation(settings=SETTINGS, data_dir=data, db=db, clock=clock)
    station.closed.connect(station.start)  # as `kiosk nurse` does
    qtbot.addWidget(station)
    station.resize(width, height)
    station.show()
    qtbot.waitExposed(station)
    station.ids = ids
    seen = visit_every_page(station, station, size, f"desk-{width}x{height}-{calls}calls", in_kiosk=False)
    tap(station.sign_out_button)
    seen["sign-in, after Accounts"] = fit_problems(station, size)
    shoot(station, f"desk-{width}x{height}-{calls}calls-sign-in")
    assert _on_screen(station.sign_in_page.ok_button, station, size), "Sign in is off the screen"
    assert not report(seen), "\n" + report(seen)


@pytest.mark.parametrize("calls", [3, 30])
def test_the_queue_keeps_room_for_its_rows_on_a_1280x800_tablet(make_window, filled, calls):
    """With calls open, three rows of filters left the table a row and a half at 1280x800
    (issue 11: "3 calls leave one queue row visible"). There the filters fold behind a
    Filters button: the table has room for four rows or more, and a filter chosen while they
    were shown still holds once they are folded again."""
    _data, db, ids = filled
    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(800))
    window.resize(1280, 800)
    QApplication.processEvents()
    set_open_calls(db, calls, ids, window.clock())
    window.open_nurse_station()
    station = window.nurse_station
    create_admin(station)
    queue = station.queue
    QApplication.processEvents()
    row = queue.table.verticalHeader().defaultSectionSize()
    assert not queue.filters.isVisible() and queue.filters_button.isVisible()
    assert queue.table.viewport().height() >= 4 * row, "fewer than four queue rows fit under the calls"
    assert (window.width(), window.height()) == (1280, 800)

    tap(queue.filters_button)
    assert queue.filters.isVisible() and queue.filters_button.text() == "Hide filters"
    assert (window.width(), window.height()) == (1280, 800), "showing the filters grew the window"
    assert _on_screen(queue.outcome_buttons["declined"], window, (1280, 800))
    tap(queue.outcome_buttons["declined"])
    assert queue.model.total == 1
    tap(queue.filters_button)
    assert not queue.filters.isVisible() and queue.model.total == 1, "the chosen filter still holds"
    assert queue.filters_button.text() == "Filters: on", "folded, the button must say a filter is on"
    QApplication.processEvents()
    assert queue.table.viewport().height() >= 4 * row, "folded again, the table did not take the room back"
    shoot(window, f"kiosk-1280x800-{calls}calls-queue-filters-folded")


def test_a_1920x1080_queue_shows_its_filters_without_a_button(make_window, filled):
    _data, db, ids = filled
    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(1080))
    set_open_calls(db, 3, ids, window.clock())
    window.open_nurse_station()
    create_admin(window.nurse_station)
    queue = window.nurse_station.queue
    QApplication.processEvents()
    assert queue.filters.isVisible() and not queue.filters_button.isVisible()
