"""The screens issue 10 changed for items 1, 4, 5 and 6, at 1920x1080 and 1280x800: what they
added is shown whole. KIOSK_SCREENSHOTS=DIR saves each as a PNG
(docs/screenshots/issue10-*.png come from here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QScrollArea

from kiosk.flow.identity import MAX_NAME_LENGTH
from kiosk.ui import theme
from kiosk.ui.pages.education import InfoPage
from tests.ui.conftest import enter_date, page, tap, type_on_keyboard
from tests.ui.journey import Patient, answer_questions, read_education, start


def inside(window, widget, size) -> bool:
    box = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return QRect(0, 0, *size).contains(box)


class Shots:
    def __init__(self, window, size):
        self.window, self.size = window, size
        folder = os.environ.get("KIOSK_SCREENSHOTS")
        self.folder = Path(folder) if folder else None

    def take(self, name: str, *must_show) -> None:
        QApplication.processEvents()
        # That the window never outgrows the screen is checked page by page by the fitting tests
        # (issue 10, item 2); here: what these items added is shown whole inside the window.
        seen = (self.window.width(), self.window.height())
        for widget in must_show:
            assert widget.isVisible() and inside(self.window, widget, seen), f"{name}: {widget!r} is cut off"
        if self.folder:
            self.window.grab().save(str(self.folder / f"issue10-{name}-{self.size[0]}x{self.size[1]}.png"))


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)], ids=["1920x1080", "1280x800"])
def test_the_changed_screens_fit_and_are_saved(make_window, real_pack, qtbot, size):
    window = make_window(scale=theme.screen_scale(size[1]), idle_timeout_seconds=3600)
    window.resize(*size)
    shots = Shots(window, size)
    start(window)
    tap(page(window).choices["patient"])
    name = page(window)
    type_on_keyboard(name.keyboard, "Edith Clarke")
    name.field.setCursorPosition(5)
    shots.take("name-cursor-and-clear", name.keyboard.clear_key, name.keyboard.backspace_key, name.next_button)
    name.field.setText("A" * MAX_NAME_LENGTH)
    tap(name.keyboard.key_for("b"))
    shots.take("name-limit", name.error, name.next_button)
    tap(name.keyboard.clear_key)
    shots.take("name-put-it-back", name.keyboard.clear_key)
    tap(name.keyboard.clear_key)
    name.field.setText("Edith Clarke")
    tap(name.next_button)
    dob = page(window)
    enter_date(dob.pad, "31", "02", "1948")
    tap(dob.next_button)
    shots.take("date-own-with-error", dob.title, dob.error, dob.next_button)
    enter_date(dob.pad, "07", "03", "1948")
    tap(dob.next_button)
    assert isinstance(page(window), InfoPage)
    read_education(window, open_more_on_first=False)
    question = page(window)
    shots.take("question-next-disabled", question.next_button)
    wrong = next(c.id for c in question.question.choices if c.id != question.question.correct)
    tap(question.choices[wrong])
    tap(question.next_button)
    review = page(window)
    shots.take("review-one-way-back", review.intro, review.next_button)
    tap(review.next_button)
    tap(question.choices[wrong])
    tap(question.next_button)
    tap(page(window).back_button)
    tap(question.back_button)
    shots.take("review-no-retry", review.intro, review.next_button)
    tap(review.next_button)
    tap(question.next_button)

    answer_questions(window, Patient(), real_pack)
    statements = page(window)
    ticks = list(statements.ticks.values())
    for tick in ticks[:3]:
        statements.findChild(QScrollArea).ensureWidgetVisible(tick)
        tap(tick)
    statements.findChild(QScrollArea).ensureWidgetVisible(ticks[0])
    shots.take("statements-tick-boxes", statements.next_button)
    for tick in ticks[3:]:
        statements.findChild(QScrollArea).ensureWidgetVisible(tick)
        tap(tick)
    tap(statements.next_button)
    tap(page(window).options["consented"])
    signature = page(window)
    tap(signature.next_button)
    shots.take("signature-empty", signature.error, signature.next_button)
    tap(window.help_button)
    shots.take("nurse-calling", window.help_button)
    qtbot.waitUntil(lambda: window.help_button.text() == real_pack.ui("call_nurse_heard"), timeout=5000)
    shots.take("nurse-coming", window.help_button, signature.next_button)
    window.idle.idle.emit()
    window.prompt.remaining = 2
    window.prompt._tick()
    shots.take("still-there-1-second", window.prompt.stay_button)
    tap(window.prompt.stay_button)
