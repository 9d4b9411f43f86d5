"""The statements screen speaks in the signer's voice: a patient confirms "my broken bone",
someone signing for them "the patient's broken bone", and that they may decide for them."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from kiosk.flow.results import SignerResult, StatementsResult, TaskResult
from kiosk.ui.pages.base import PageContext
from kiosk.ui.pages.decision import DecisionPage, StatementsPage
from tests.ui.conftest import page, tap
from tests.ui.journey import Patient, to_the_statements


def shown(statements: StatementsPage) -> list[tuple[str, str]]:
    """(id, words) of each tick, top to bottom (the tick mark is its own box beside them)."""
    return [(sid, tick.text()) for sid, tick in statements.ticks.items()]


def test_a_representative_confirms_the_representative_forms_and_the_right_to_decide(window, real_pack):
    statements = to_the_statements(window, real_pack, Patient(name="Edith Clarke", representative="Tom Clarke"))
    expected = real_pack.statements_for("representative")
    assert shown(statements) == [(s.id, s.text_for("representative")) for s in expected]
    assert any(s.representative_only for s in expected), "the representative says they may decide"
    assert any(s.text_for("representative") != s.text_for("patient") for s in expected)
    for tick in statements.ticks.values():
        tap_scrolled(statements, tick)
    assert set(dict(window.session.results.get("statements").confirmed)) == {s.id for s in expected}
    tap(statements.next_button)
    assert isinstance(page(window), DecisionPage)
    assert page(window).options["consented"].isEnabled(), "every statement shown to them is confirmed"


def test_a_patient_confirms_the_patient_forms_only(window, real_pack):
    statements = to_the_statements(window, real_pack, Patient())
    expected = real_pack.statements_for("patient")
    assert shown(statements) == [(s.id, s.text_for("patient")) for s in expected]
    assert not any(s.representative_only for s in expected)
    assert len(expected) < len(real_pack.statements), "the right to decide is not the patient's to confirm"
    for tick in statements.ticks.values():
        tap_scrolled(statements, tick)
    tap(statements.next_button)
    assert page(window).options["consented"].isEnabled()


def test_who_signs_changed_after_the_statements_shows_the_other_words_and_clears_the_ticks(qtbot, real_pack):
    results = TaskResult({"signer": SignerResult("patient")})
    ctx = PageContext(real_pack, lambda: "2026-11-25T14:00:00+00:00", QLocale("en"), today=lambda: date(2026, 11, 25))
    statements = StatementsPage(None, ctx, results)
    qtbot.addWidget(statements)
    reported = []
    statements.result_changed.connect(reported.append)
    first = next(iter(statements.ticks.values()))
    first.click()
    assert reported[-1].confirmed and statements.confirmed
    results.by_step["signer"] = SignerResult("representative")  # back to the start, then forward again
    statements.on_shown()
    assert shown(statements) == [(s.id, s.text_for("representative"))
                                 for s in real_pack.statements_for("representative")]
    assert reported[-1] == StatementsResult() and statements.confirmed == {}
    assert not any(tick.isChecked() for tick in statements.ticks.values())
    statements.on_shown()  # shown again, nobody changed anything: the ticks stay
    next(iter(statements.ticks.values())).click()
    count = len(reported)
    statements.on_shown()
    assert len(reported) == count and len(statements.confirmed) == 1


def tap_scrolled(statements: StatementsPage, tick) -> None:
    """Scroll the statement into view, as a finger would, then tap it."""
    from PySide6.QtWidgets import QScrollArea

    statements.findChild(QScrollArea).ensureWidgetVisible(tick)
    tap(tick)


@pytest.mark.parametrize("width, height", [(1280, 800), (1920, 1080)])
@pytest.mark.parametrize("representative", [None, "Tom Clarke"])
def test_every_statement_is_whole_on_both_screens(make_window, real_pack, width, height, representative):
    """Each statement wraps whole inside its tick; the list scrolls, the window never grows."""
    from PySide6.QtWidgets import QApplication

    from kiosk.ui import theme

    window = make_window(idle_timeout_seconds=3600, scale=theme.screen_scale(height))
    window.resize(width, height)
    statements = to_the_statements(window, real_pack, Patient(name="Edith Clarke", representative=representative))
    QApplication.processEvents()
    for tick in statements.ticks.values():
        words = tick.label()
        assert words.height() >= words.heightForWidth(words.width()), f"{words.text()[:40]!r} is cut"
        assert tick.height() >= 72 * theme.screen_scale(height)
    assert (window.width(), window.height()) == (width, height), "the window grew past the screen"
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        who = "representative" if representative else "patient"
        window.grab().save(str(Path(folder) / f"12-statements-{who}-{width}x{height}.png"))
