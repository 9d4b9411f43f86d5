"""Finding a consent in the queue on a touch screen: inside the kiosk the search field brings
up the patient side's on-screen keyboard (there is no other), the window stays inside its
screen, and Search finds the row and puts the keys away. Also: the day filters cover what
they say, and the chosen filter is drawn filled, not only framed."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.ui.theme import screen_scale
from tests.ui import test_nurse_station as nurse_station
from tests.ui.conftest import tap, type_on_keyboard
from tests.ui.test_nurse_station import create_admin

filled_template, filled, station = nurse_station.filled_template, nurse_station.filled, nurse_station.station


@pytest.fixture
def data_dir(filled):  # make_window (tests/ui/conftest) opens the kiosk on the filled folder
    return filled[0]


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_typing_a_name_on_the_on_screen_keys_finds_the_row(make_window, filled, size):
    _data, _db, ids = filled
    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(size[1]))
    window.resize(*size)
    QApplication.processEvents()
    window.open_nurse_station()
    create_admin(window.nurse_station)
    queue = window.nurse_station.queue
    assert queue.keys is None or not queue.keys.isVisible()
    tap(queue.search)
    assert queue.keys.isVisible()
    type_on_keyboard(queue.keys, "Perez")
    assert queue.search.text() == "Perez"
    assert (window.width(), window.height()) == size, "the keys pushed the window past the screen"
    assert queue.search_button.isVisible() and queue.clear_button.isVisible()
    tap(queue.search_button)
    assert [r.patient_name for r in queue.model.rows] == ["José Pérez"]
    assert not queue.keys.isVisible() and queue.table.isVisible() and queue.filters.isVisible()
    assert queue.count_label.text() == "1 consent"
    tap(queue.search)
    tap(queue.clear_button)
    assert not queue.keys.isVisible() and queue.model.total == len(ids)
    assert (window.width(), window.height()) == size


def test_a_desk_station_has_a_keyboard_and_shows_no_keys(station):
    create_admin(station)
    queue = station.queue
    tap(queue.search)
    assert queue.keys is None


def test_today_and_the_last_7_days_cover_what_they_say(station):
    create_admin(station)
    queue = station.queue  # the station's clock: 25 November 2026, 15:00
    tap(queue.day_buttons[7])
    assert (queue.filter.date_from, queue.filter.date_to) == ("2026-11-19", "2026-11-25"), "7 days with today"
    assert queue.model.total == 4
    tap(queue.day_buttons[1])
    assert (queue.filter.date_from, queue.filter.date_to) == ("2026-11-25", "2026-11-25")
    tap(queue.day_buttons[None])
    assert (queue.filter.date_from, queue.filter.date_to) == (None, None)


def test_the_chosen_filter_is_filled_and_readable(station):
    """The checked button's own pixels: a dark fill with light text (contrast at least 4.5:1),
    the others light; a thin border alone did not show which filter was on."""
    from PySide6.QtGui import QColor

    create_admin(station)
    queue = station.queue
    tap(queue.outcome_buttons["declined"])
    QApplication.processEvents()

    def luminance(colour: QColor) -> float:
        def channel(c):
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())

    def fill(button) -> QColor:
        image = button.grab().toImage()
        return image.pixelColor(image.width() // 8, image.height() // 2)  # inside the border, left of the text

    chosen, other = fill(queue.outcome_buttons["declined"]), fill(queue.outcome_buttons["consented"])
    assert luminance(chosen) < 0.2 < luminance(other), (chosen.name(), other.name())
    text = QColor("white")
    assert (luminance(text) + 0.05) / (luminance(chosen) + 0.05) >= 4.5
