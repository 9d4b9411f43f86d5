"""The small things a patient trips on (issue 10, item 6), each checked where the patient
meets it: wording, plurals, the date error beside the fields, the statement rows as tick
targets, a disabled Next that looks disabled, and one way back from a page shown again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea

from kiosk.ui.pages.decision import SignaturePage, StatementsPage
from kiosk.ui.pages.education import InfoPage
from kiosk.ui.pages.identity import BirthDatePage
from kiosk.ui.pages.questions import QuestionPage
from kiosk.ui.theme import PRIMARY
from tests.ui.conftest import enter_date, page, tap, type_on_keyboard
from tests.ui.journey import Patient, enter_identity, read_education, start, to_the_statements


def in_window(window, widget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("role, key", [("patient", "dob_title_own"), ("representative", "dob_title")])
def test_the_date_page_speaks_to_who_is_signing(window, real_pack, role, key):
    start(window)
    tap(page(window).choices[role])
    type_on_keyboard(page(window).keyboard, "Edith Clarke")
    tap(page(window).next_button)
    dob = page(window)
    assert isinstance(dob, BirthDatePage) and dob.title.text() == real_pack.ui(key)


def test_the_date_error_shows_right_under_the_boxes_above_the_keys(window, real_pack):
    start(window)
    tap(page(window).choices["patient"])
    type_on_keyboard(page(window).keyboard, "Edith Clarke")
    tap(page(window).next_button)
    dob = page(window)
    enter_date(dob.pad, "31", "02", "1948")
    tap(dob.next_button)
    QApplication.processEvents()
    assert dob.error.text() == real_pack.ui("dob_not_a_date") and dob.error.isVisible()
    error, boxes = in_window(window, dob.error), in_window(window, dob.pad.boxes["day"])
    keys = in_window(window, dob.pad.digit_keys["1"])
    assert boxes.bottom() < error.top() and error.bottom() < keys.top()
    assert error.top() - boxes.bottom() < 120, "beside the fields it is about"


def test_a_page_shown_again_has_one_way_back_and_promises_a_try_only_when_there_is_one(window, real_pack):
    first_question = real_pack.questions[0].id
    start(window)
    enter_identity(window, Patient())
    read_education(window)
    question = page(window)
    assert isinstance(question, QuestionPage) and question.question.id == first_question
    wrong = next(c.id for c in question.question.choices if c.id != question.question.correct)
    tap(question.choices[wrong])
    tap(question.next_button)  # "Show me again"
    review = page(window)
    assert isinstance(review, InfoPage) and review.review
    assert review.back_button is None and review.next_button.text() == real_pack.ui("back_to_question")
    assert review.intro.text() == real_pack.ui("review_intro")
    tap(review.next_button)
    tap(question.choices[wrong])  # wrong again: flagged, no more tries
    tap(question.next_button)
    tap(page(window).back_button)
    assert page(window) is question
    tap(question.back_button)
    assert page(window) is review
    assert review.intro.text() == real_pack.ui("review_intro_no_retry")
    assert "once more" not in review.intro.text()


def test_an_empty_signature_is_asked_for_not_called_too_small(window, real_pack):
    statements = to_the_statements(window, real_pack, Patient())
    for tick in statements.ticks.values():
        statements.findChild(QScrollArea).ensureWidgetVisible(tick)
        tap(tick)
    tap(statements.next_button)
    tap(page(window).options["consented"])
    signature = page(window)
    assert isinstance(signature, SignaturePage)
    tap(signature.next_button)
    assert page(window) is signature and signature.error.text() == real_pack.ui("signature_empty")


def test_the_countdown_says_one_second_not_one_seconds(window, real_pack):
    start(window)
    window.idle.idle.emit()
    prompt = window.prompt
    prompt.remaining = 2
    prompt._tick()  # one second passes, without waiting it
    assert prompt.countdown.text() == real_pack.ui("idle_countdown_one", seconds=1)
    assert "1 second " in prompt.countdown.text()
    tap(prompt.stay_button)


def test_each_statement_row_is_its_tick_target_and_a_double_tap_leaves_it_ticked(window, real_pack):
    statements = to_the_statements(window, real_pack, Patient())
    assert isinstance(statements, StatementsPage)
    sid, row = next(iter(statements.ticks.items()))
    QApplication.processEvents()
    assert row.height() >= 72 and statements.tick_box(sid).height() >= 44
    assert statements.tick_box(sid).text() == ""
    far_end = QPoint(row.width() - 12, row.height() // 2)  # nowhere near the box
    tap(row)
    QTest.mouseClick(row, Qt.LeftButton, Qt.NoModifier, far_end)  # the shaky second tap
    assert sid in statements.confirmed and row.isChecked() and statements.tick_box(sid).text() == "\u2714"
    window.tap_clock.advance(1000)
    QTest.mouseClick(row, Qt.LeftButton, Qt.NoModifier, far_end)  # a deliberate tap, later, at its end
    assert sid not in statements.confirmed and statements.tick_box(sid).text() == ""


def contrast(a: QColor, b: QColor) -> float:
    def lum(c):
        def ch(v):
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_a_disabled_next_looks_disabled_and_stays_readable(window, real_pack):
    start(window)
    enter_identity(window, Patient())
    read_education(window)
    question = page(window)
    assert isinstance(question, QuestionPage) and not question.next_button.isEnabled()
    QApplication.processEvents()
    image = question.next_button.grab().toImage()
    middle = QColor(image.pixel(8, image.height() // 2))  # inside the border, left of the word
    assert contrast(middle, QColor(PRIMARY)) > 3, "not the live blue of a button that works"
    colours = {QColor(image.pixel(x, y)).name() for x in range(image.width()) for y in range(image.height())}
    darkest = min((QColor(c) for c in colours), key=lambda c: c.lightness())
    assert contrast(darkest, middle) >= 4.5, "the word itself stays readable"
    tap(question.choices[question.question.correct])  # answered: Next is live, and looks it
    QApplication.processEvents()
    live = question.next_button.grab().toImage()
    assert QColor(live.pixel(8, live.height() // 2)).name() == QColor(PRIMARY).name()
