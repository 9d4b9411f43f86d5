"""The check after "I have questions for my doctor first" or "I do not want this treatment",
in the real window: it appears, "No, go back" keeps everything and saves nothing, "Yes"
saves, and a double tap on the choice never confirms it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest

from kiosk.store import list_consents
from kiosk.ui.pages.decision import DecisionPage, SignaturePage, StatementsPage
from kiosk.ui.pages.decision_check import DecisionCheckPage
from kiosk.ui.pages.ending import DonePage
from tests.ui.conftest import page, tap
from tests.ui.journey import Patient, confirm, to_the_statements

UNSIGNED = ["questions", "declined"]


def to_the_decision(window, pack, patient=None):
    statements = to_the_statements(window, pack, patient or Patient())
    for tick in statements.ticks.values():
        tap(tick)
    tap(statements.next_button)
    assert isinstance(page(window), DecisionPage)
    return page(window)


def saved(window) -> list:
    return list_consents(window.db_for_tests)


def in_window(window, widget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("outcome", UNSIGNED)
def test_the_check_shows_the_choice_and_saves_nothing_yet(window, real_pack, outcome):
    decision = to_the_decision(window, real_pack)
    tap(decision.options[outcome])
    check = page(window)
    assert isinstance(check, DecisionCheckPage)
    assert real_pack.ui(f"decision_{outcome}") in check.choice.text()
    assert check.question.text() == real_pack.ui("decision_check.is_that_right")
    assert check.what_happens.text() == real_pack.ui(f"decision_check.after_{outcome}")
    assert check.yes_button.text() == real_pack.ui("decision_check.yes")
    assert check.no_button.text() == real_pack.ui("decision_check.no")
    assert check.yes_button.isVisible() and check.no_button.isVisible()
    assert saved(window) == [], "nothing is saved before Yes"
    assert window.session.results.get("decision").outcome == outcome


@pytest.mark.parametrize("outcome", UNSIGNED)
def test_no_go_back_returns_with_nothing_lost_and_nothing_saved(window, real_pack, qtbot, outcome):
    decision = to_the_decision(window, real_pack)
    kept = {k: v for k, v in window.session.results.by_step.items()}
    tap(decision.options[outcome])
    confirm(window, qtbot, "no")
    assert page(window) is decision
    assert saved(window) == []
    assert window.session.results.by_step == kept, "every answer kept, the unconfirmed choice withdrawn"
    assert decision.options["consented"].isEnabled(), "the statements are still all confirmed"
    tap(decision.back_button)
    statements = page(window)
    assert isinstance(statements, StatementsPage)
    assert all(tick.isChecked() for tick in statements.ticks.values())
    tap(statements.next_button)
    tap(page(window).options["consented"])
    assert isinstance(page(window), SignaturePage)
    assert saved(window) == []


@pytest.mark.parametrize("outcome", UNSIGNED)
def test_yes_saves_the_outcome_then_says_so(window, real_pack, qtbot, outcome):
    decision = to_the_decision(window, real_pack)
    tap(decision.options[outcome])
    confirm(window, qtbot, "yes")
    assert isinstance(page(window), DonePage)
    rows = saved(window)
    assert [row["outcome"] for row in rows] == [outcome]
    from tests.ui.conftest import visible_texts

    assert real_pack.ui(f"done_{outcome}") in visible_texts(page(window))


def test_after_no_another_choice_is_checked_again_and_saved_as_chosen(window, real_pack, qtbot):
    decision = to_the_decision(window, real_pack)
    tap(decision.options["declined"])
    confirm(window, qtbot, "no")
    tap(decision.options["questions"])
    check = page(window)
    assert real_pack.ui("decision_questions") in check.choice.text()
    assert check.what_happens.text() == real_pack.ui("decision_check.after_questions")
    confirm(window, qtbot, "yes")
    assert [row["outcome"] for row in saved(window)] == ["questions"]


@pytest.mark.parametrize("outcome", UNSIGNED)
def test_two_taps_in_a_row_on_the_choice_do_not_confirm(window, real_pack, qtbot, outcome):
    """The second tap lands where the choice was, a moment later: on whatever the check shows
    there, and on Yes itself; neither confirms. After a calm pause Yes does."""
    decision = to_the_decision(window, real_pack)
    option = decision.options[outcome]
    spot = option.mapTo(window, option.rect().center())
    tap(option)  # the first tap, a calm one
    check = page(window)
    assert isinstance(check, DecisionCheckPage)
    under = window.childAt(spot)
    assert under is not None
    QTest.mouseClick(under, Qt.LeftButton, Qt.NoModifier, under.mapFrom(window, spot))
    QTest.mouseDClick(under, Qt.LeftButton, Qt.NoModifier, under.mapFrom(window, spot))
    QTest.mouseClick(check.yes_button, Qt.LeftButton)  # even a second tap right on Yes
    assert page(window) is check and not check.ready
    assert saved(window) == []
    assert window.session.results.get("decision").outcome == outcome
    confirm(window, qtbot, "yes")
    assert [row["outcome"] for row in saved(window)] == [outcome]


@pytest.mark.parametrize("width, height", [(1280, 800), (1920, 1080)])
def test_yes_is_never_under_the_finger_that_chose(make_window, real_pack, width, height):
    """Nothing that confirms sits where "questions" or "declined" was, on either screen."""
    from kiosk.ui.theme import screen_scale

    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(height))
    window.resize(width, height)
    decision = to_the_decision(window, real_pack)
    for outcome in UNSIGNED:
        where = [in_window(window, decision.options[o]) for o in UNSIGNED]
        tap(decision.options[outcome])
        check = page(window)
        yes = in_window(window, check.yes_button)
        assert not any(yes.intersects(rect) for rect in where), (yes, where)
        assert (window.width(), window.height()) == (width, height)
        window.show_step(window.session.back())


def test_a_double_tap_on_yes_does_not_skip_the_news_that_it_is_saved(window, real_pack, qtbot):
    """Finish sits where Yes was: the second tap is ignored; later, Finish returns to Welcome."""
    decision = to_the_decision(window, real_pack)
    tap(decision.options["declined"])
    yes_spot = in_window(window, page(window).yes_button)
    confirm(window, qtbot, "yes")
    done = page(window)
    assert isinstance(done, DonePage)
    assert in_window(window, done.next_button).intersects(yes_spot)
    QTest.mouseClick(done.next_button, Qt.LeftButton)
    assert page(window) is done and window.session is not None
    qtbot.waitUntil(lambda: done.ready, timeout=5000)
    tap(done.next_button)
    assert page(window) is window.welcome and window.session is None
