"""The pack's disclaimer (general information, not your doctor's advice) is read once, on the
first education page, in body-size type, whole and without scrolling on either screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QScrollArea

from kiosk.ui import theme
from kiosk.ui.pages.education import InfoPage
from tests.ui.conftest import page, tap
from tests.ui.journey import Patient, enter_identity, start


@pytest.mark.parametrize("width, height", [(1280, 800), (1920, 1080)])
def test_the_disclaimer_is_on_the_first_page_whole_and_large(make_window, real_pack, width, height):
    scale = theme.screen_scale(height)
    window = make_window(idle_timeout_seconds=3600, scale=scale)
    window.resize(width, height)
    start(window)
    enter_identity(window, Patient())
    first = page(window)
    assert isinstance(first, InfoPage) and first.step.number == 1
    QApplication.processEvents()
    notice = first.disclaimer
    assert notice is not None and notice.isVisible()
    assert notice.text() == real_pack.disclaimer.strip()
    assert QFontInfo(notice.font()).pixelSize() == QFontInfo(first.text.font()).pixelSize() \
        == round(theme.BODY_PX * scale), "as large as the page's own text"
    assert notice.height() >= notice.heightForWidth(notice.width()), "cut off"
    viewport = first.findChild(QScrollArea).viewport()
    bottom = notice.mapTo(viewport, QPoint(0, notice.height())).y()
    assert bottom <= viewport.height(), "it is read without scrolling"
    assert (window.width(), window.height()) == (width, height)
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        window.grab().save(str(Path(folder) / f"07-education-01-disclaimer-{width}x{height}.png"))
    seen = 1
    tap(first.next_button)
    while isinstance(page(window), InfoPage):
        assert page(window).disclaimer is None, page(window).step.page_id
        seen += 1
        tap(page(window).next_button)
    assert seen == len(real_pack.pages)


def test_a_review_of_the_first_page_does_not_repeat_it(qtbot, real_pack):
    from datetime import date

    from PySide6.QtCore import QLocale

    from kiosk.flow.steps import ReviewStep
    from kiosk.ui.pages.base import PageContext

    ctx = PageContext(real_pack, lambda: "2026-11-25T14:00:00+00:00", QLocale("en"), today=lambda: date(2026, 11, 25))
    review = InfoPage(ReviewStep("review.x", page_id=real_pack.pages[0].id, question_id="x"), ctx)
    qtbot.addWidget(review)
    assert review.disclaimer is None
