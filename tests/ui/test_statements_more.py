"""On a small screen the statements do not all fit: the page says there are more below until
the list has been slid to its end (a sentence cut at the fold looked like the last one)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from kiosk.ui.theme import screen_scale
from tests.ui.journey import Patient, to_the_statements


def test_more_below_shows_until_the_list_is_at_its_end(make_window, real_pack):
    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(800))
    window.resize(1280, 800)
    QApplication.processEvents()
    statements = to_the_statements(window, real_pack, Patient())
    QApplication.processEvents()
    bar = statements.scroll.verticalScrollBar()
    assert bar.maximum() > 0, "seven statements do not fit at 1280x800"
    assert statements.more_below.isVisible()
    assert statements.more_below.text() == real_pack.ui("statements_more")
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    assert not statements.more_below.isVisible()
    bar.setValue(0)
    assert statements.more_below.isVisible()


def test_no_hint_when_everything_fits(make_window, real_pack):
    window = make_window(idle_timeout_seconds=3600)
    window.resize(1920, 1080)
    QApplication.processEvents()
    statements = to_the_statements(window, real_pack, Patient())
    QApplication.processEvents()
    bar = statements.scroll.verticalScrollBar()
    assert statements.more_below.isVisible() == (bar.maximum() > 0)
