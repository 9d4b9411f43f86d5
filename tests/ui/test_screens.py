"""Every patient screen, at 1920x1080: body text at least 24 px, every button at least 72 px tall.

Set KIOSK_SCREENSHOTS=DIR to also save a PNG of each screen (the README's pictures come from
`KIOSK_SCREENSHOTS=docs/screenshots uv run pytest tests/ui/test_screens.py`).
"""

from __future__ import annotations

import os
from pathlib import Path

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
    tap(page(window).next_button)
    tap(window.welcome.start_button)
    window.call_nurse()
    window.prompt.open()
    shots.check("17-still-there-and-help-called")

    assert len(shots.seen) >= 17 + len(real_pack.pages) - 1
    problems = {name: p for name, p in shots.seen.items() if p}
    assert not problems, problems
