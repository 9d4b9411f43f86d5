"""Every patient screen, at 1920x1080: body text at least 24 px, every button at least 72 px tall.

Set KIOSK_SCREENSHOTS=DIR to also save a PNG of each screen (the README's pictures come from
`KIOSK_SCREENSHOTS=docs/screenshots uv run pytest tests/ui/test_screens.py`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from kiosk.ui.pages.decision import DecisionPage, SignaturePage, StatementsPage
from kiosk.ui.pages.education import InfoPage
from kiosk.ui.pages.ending import DonePage, SaveFailedPage
from kiosk.ui.pages.questions import QuestionPage
from tests.ui.conftest import draw_signature, enter_date, page, tap, type_on_keyboard
from tests.ui.journey import Patient

MIN_TEXT_PX = 24
MIN_BUTTON_PX = 72


def too_small(window) -> list[str]:
    QApplication.processEvents()
    problems = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and widget.text().strip():
            px = QFontInfo(widget.font()).pixelSize()
            if px < MIN_TEXT_PX:
                problems.append(f"label {widget.text()[:30]!r}: {px}px text")
        if isinstance(widget, QPushButton):
            if widget.height() < MIN_BUTTON_PX:
                problems.append(f"button {widget.text()[:30]!r}: {widget.height()}px tall")
            if QFontInfo(widget.font()).pixelSize() < MIN_TEXT_PX:
                problems.append(f"button {widget.text()[:30]!r}: small text")
    return problems


class Screens:
    def __init__(self, window):
        self.window = window
        self.seen: dict[str, list[str]] = {}
        folder = os.environ.get("KIOSK_SCREENSHOTS")
        self.folder = Path(folder) if folder else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

    def check(self, name: str) -> None:
        self.seen[name] = too_small(self.window)
        if self.window.width() > 1920 or self.window.height() > 1080:
            self.seen[name].append(f"the window grew to {self.window.width()}x{self.window.height()}")
        if self.folder:
            self.window.grab().save(str(self.folder / f"{name}.png"))


def test_every_screen_is_large_enough(make_window, data_dir, real_pack, qtbot):
    blocker = data_dir / "blocked"
    blocker.write_text("x")
    window = make_window(consents_folder="blocked/consents", idle_timeout_seconds=3600)
    shots = Screens(window)
    shots.check("01-welcome")
    tap(window.welcome.start_button)
    shots.check("02-who-is-signing")
    tap(page(window).choices["representative"])
    type_on_keyboard(page(window).keyboard, "Margaret Obrien")
    shots.check("03-name")
    tap(page(window).next_button)
    enter_date(page(window).pad, "07", "03", "1948")
    shots.check("04-date-of-birth")
    tap(page(window).next_button)
    type_on_keyboard(page(window).keyboard, "Tom Obrien")
    tap(page(window).next_button)
    shots.check("05-relationship")
    tap(page(window).choices["son_daughter"])
    number = 0
    while isinstance(page(window), InfoPage):
        number += 1
        current = page(window)
        if current.more_button is not None and number == 1:
            tap(current.more_button)
            shots.check("06-education-tell-me-more")
            tap(current.more_button)
        shots.check(f"07-education-{number:02d}-{current.step.page_id}")
        tap(current.next_button)
    first = True
    while isinstance(page(window), QuestionPage):
        q_page = page(window)
        q = real_pack.question(q_page.question.id)
        if first:
            shots.check("08-question")
            tap(q_page.choices[next(c.id for c in q.choices if c.id != q.correct)])
            shots.check("09-question-wrong")
            tap(q_page.next_button)
            shots.check("10-review-page")
            tap(page(window).next_button)
            first = False
        tap(q_page.choices[q.correct])
        if q_page.question.id == real_pack.questions[1].id:
            shots.check("11-question-right")
        tap(q_page.next_button)
    assert isinstance(page(window), StatementsPage)
    tap(next(iter(page(window).ticks.values())))
    shots.check("12-statements")
    for tick in list(page(window).ticks.values())[1:]:
        tap(tick)
    tap(page(window).next_button)
    assert isinstance(page(window), DecisionPage)
    shots.check("13-decision")
    tap(page(window).options["consented"])
    assert isinstance(page(window), SignaturePage)
    draw_signature(page(window).pad)
    shots.check("14-signature")
    tap(page(window).next_button)
    assert isinstance(page(window), SaveFailedPage)
    shots.check("15-save-failed")
    blocker.unlink()
    tap(page(window).retry_button)
    assert isinstance(page(window), DonePage)
    shots.check("16-done")
    qtbot.waitUntil(lambda: page(window).ready, timeout=5000)  # Finish counts after a moment
    tap(page(window).next_button)
    tap(window.welcome.start_button)
    window.call_nurse()
    qtbot.waitUntil(lambda: window.help_calls.waiting == 0, timeout=5000)
    window._check_help_call()
    window.prompt.open()
    shots.check("17-still-there-and-help-called")

    assert len(shots.seen) >= 17 + len(real_pack.pages) - 1
    problems = {name: p for name, p in shots.seen.items() if p}
    assert not problems, problems


@pytest.mark.parametrize("width, height", [(1280, 800), (1920, 1080)])
def test_every_education_page_shows_its_picture(make_window, real_pack, width, height):
    """Each education page, at a 10-inch tablet size and at full HD: its picture (or the
    animation) is on screen, big enough to read, and the screen rules still hold."""
    from kiosk.ui.widgets.cement_animation import CementAnimation
    from kiosk.ui.widgets.picture import PictureView
    from tests.ui.journey import enter_identity, start

    from kiosk.ui.theme import screen_scale

    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(height))
    window.resize(width, height)
    shots = Screens(window)
    start(window)
    enter_identity(window, Patient())
    seen = []
    while isinstance(page(window), InfoPage):
        current = page(window)
        picture = current.picture
        assert picture.isVisible()
        assert picture.width() >= 0.3 * width and picture.height() >= 0.3 * height, picture.size()
        if isinstance(picture, PictureView):
            assert picture.name == real_pack.page(current.step.page_id).illustration
        else:
            assert isinstance(picture, CementAnimation)
        if shots.folder:
            window.grab().save(str(shots.folder / f"pictures-{width}x{height}-{current.step.number:02d}-"
                                                  f"{current.step.page_id}.png"))
        assert (window.width(), window.height()) == (width, height), "the window grew past the screen"
        if height >= 1080:
            assert not too_small(window), (current.step.page_id, too_small(window))
        seen.append(current.step.page_id)
        tap(current.next_button)
    assert seen == [p.id for p in real_pack.pages]


def test_animation_frames_start_middle_end(qtbot):
    from kiosk.ui.widgets.cement_animation import CementAnimation

    folder = os.environ.get("KIOSK_SCREENSHOTS")
    animation = CementAnimation(duration_ms=600)
    qtbot.addWidget(animation)
    animation.resize(800, 700)
    animation.show()
    images = {}
    for name, progress in (("start", 0.0), ("middle", 0.5), ("end", 1.0)):
        animation.set_progress(progress)
        images[name] = animation.grab().toImage()
        if folder:
            images[name].save(str(Path(folder) / f"animation-{name}.png"))
    assert images["start"] != images["middle"] != images["end"]


def test_pictures_stay_clear_in_high_contrast_and_large_text(make_window, real_pack):
    from kiosk.ui.widgets.picture import PictureView
    from tests.ui.journey import enter_identity, start

    window = make_window(idle_timeout_seconds=3600, high_contrast=True, large_text=True)
    shots = Screens(window)
    start(window)
    enter_identity(window, Patient())
    while isinstance(page(window), InfoPage):
        current = page(window)
        if isinstance(current.picture, PictureView):
            assert current.picture.style_.high_contrast
            assert current.picture.height() >= 300
        assert (window.width(), window.height()) == (1920, 1080)
        if shots.folder:
            window.grab().save(str(shots.folder / f"contrast-{current.step.number:02d}-{current.step.page_id}.png"))
        tap(current.next_button)


@pytest.mark.parametrize("width, height", [(1280, 800), (1920, 1080)])
def test_the_decision_check_is_large_enough(make_window, real_pack, width, height):
    """"You chose ... Is that right?" for both choices that end unsigned, on both screens: the
    window stays the screen's size, nothing is cut, the two answers are as big as the
    decision's own choices (at full HD also the 24 px / 72 px rules)."""
    from kiosk.ui.pages.decision_check import DecisionCheckPage
    from kiosk.ui.theme import screen_scale
    from tests.ui.test_decision_check import to_the_decision

    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(height))
    window.resize(width, height)
    shots = Screens(window)
    decision = to_the_decision(window, real_pack)
    if shots.folder:
        window.grab().save(str(shots.folder / f"13-decision-{width}x{height}.png"))
    for outcome in ("questions", "declined"):
        tap(decision.options[outcome])
        check = page(window)
        assert isinstance(check, DecisionCheckPage)
        QApplication.processEvents()
        for answer in (check.yes_button, check.no_button):
            assert answer.height() >= decision.options[outcome].height()
            assert answer.width() >= answer.sizeHint().width(), f"{answer.text()!r} is cut"
        for text in (check.choice, check.question, check.what_happens):
            assert text.height() >= text.heightForWidth(text.width()), f"{text.text()!r} is cut"
        assert check.what_happens.geometry().bottom() < check.no_button.geometry().top()
        assert (window.width(), window.height()) == (width, height), "the window grew past the screen"
        if height >= 1080:
            assert not too_small(window), too_small(window)
        if shots.folder:
            window.grab().save(str(shots.folder / f"13b-decision-check-{outcome}-{width}x{height}.png"))
        window.show_step(window.session.back())
