"""The nurse station speaks the nurse's language, chosen at sign-in; the next nurse starts in
the hospital's working language (`staff_language`)."""

from __future__ import annotations

from kiosk.review.texts import load_texts
from tests.ui.conftest import tap
from tests.ui.test_nurse_station import create_admin, enter_pin, filled, filled_template, station  # noqa: F401


def test_the_station_starts_in_the_staff_language_and_the_nurse_chooses_hers(station):
    create_admin(station)
    english, spanish = load_texts("en"), load_texts("es")
    tap(station.sign_out_button)
    station.start()
    page = station.sign_in_page
    assert page.title.text() == english("sign_in.title")
    tap(page.language_button)
    assert page.language_holder.isVisible() and not page.pad.isVisible()
    tap(page.language_buttons["es"])

    page = station.sign_in_page  # made again, in Spanish
    assert page.title.text() == spanish("sign_in.title")
    assert station.texts.language == "es" and station.queue_button.text() == spanish("station.queue")
    tap(next(iter(page.name_buttons.values())))
    enter_pin(page.pad, "2468")
    tap(page.ok_button)
    assert station.nurse is not None and station.page.review.texts.language == "es"
    assert station.sign_out_button.text() == spanish("station.sign_out")

    tap(station.sign_out_button)  # the next nurse: the ward's language again
    assert station.texts.language == "en"
    assert station.sign_in_page.title.text() == english("sign_in.title")


def test_back_from_the_languages_shows_the_names_and_pad_again(station):
    create_admin(station)
    tap(station.sign_out_button)
    station.start()
    page = station.sign_in_page
    tap(page.language_button)
    tap(page.language_button)
    assert not page.language_holder.isVisible() and page.pad.isVisible()


def test_an_arabic_nurse_gets_the_station_mirrored_and_the_next_nurse_does_not(station):
    from pathlib import Path

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    create_admin(station)
    tap(station.sign_out_button)
    station.start()
    assert station.layoutDirection() == Qt.LeftToRight
    size = (station.width(), station.height())
    tap(station.sign_in_page.language_button)
    QApplication.processEvents()
    assert (station.width(), station.height()) == size, "the list of languages does not grow the window"
    tap(station.sign_in_page.language_buttons["ar"])
    page = station.sign_in_page
    assert station.layoutDirection() == Qt.RightToLeft and page.isRightToLeft()
    tap(next(iter(page.name_buttons.values())))
    enter_pin(page.pad, "2468")
    tap(page.ok_button)
    assert station.nurse is not None and station.isRightToLeft()
    QApplication.processEvents()
    assert (station.width(), station.height()) == size, "no window larger than its screen"
    header = [station.queue_button, station.sign_out_button]
    assert header[0].mapTo(station, header[0].rect().topLeft()).x() > header[1].mapTo(
        station, header[1].rect().topLeft()).x(), "the header reads from the right"
    QApplication.processEvents()
    shots = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if shots.is_dir():
        station.grab().save(str(shots / "nurse-ar.png"))
    tap(station.sign_out_button)  # the ward's language again: left to right
    assert station.texts.language == "en" and station.layoutDirection() == Qt.LeftToRight
