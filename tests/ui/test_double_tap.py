"""Taps that land once (issue 10): two taps 60 ms apart on whatever moves a page on, on every
page of a whole journey, move exactly one step; a report from a page already left changes
nothing; a page counts as seen only once it has been painted.

The first tap of each pair is a calm one (`tap` moves the window's tap clock on); the second
comes 60 ms later on the tap clock, at the same spot on the screen, on whatever the screen
shows there by then, as a shaky finger's second tap does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea

from kiosk.flow.results import PageResult
from kiosk.store import get_consent, list_consents
from kiosk.ui.pages.decision import DecisionPage, SignaturePage, StatementsPage
from kiosk.ui.pages.education import InfoPage
from kiosk.ui.pages.ending import DonePage
from kiosk.ui.pages.identity import BirthDatePage, NamePage, SignerPage
from kiosk.ui.pages.questions import QuestionPage
from tests.ui.conftest import draw_signature, enter_date, page, tap, type_on_keyboard, wait_for_saves
from tests.ui.journey import Patient, enter_identity, start

GAP_MS = 60


def double_tap(window, widget) -> None:
    """A calm tap on `widget`, then a second tap GAP_MS later at the same spot; the new page
    is drawn in between (a frame is 17 ms), as on a real screen."""
    spot = widget.mapTo(window, widget.rect().center())
    tap(widget)
    QApplication.processEvents()
    window.tap_clock.advance(GAP_MS)
    under = window.childAt(spot)
    if under is not None:
        QTest.mouseClick(under, Qt.LeftButton, Qt.NoModifier, under.mapFrom(window, spot))
    wait_for_saves()


def one_step(window, widget) -> None:
    """Double-tap `widget`: the journey moves on by exactly one step, and a stale report from
    the page left behind (a navigation request, a result) is dropped as well."""
    left = page(window)
    before = window.session.history
    double_tap(window, widget)
    after = window.session.history
    assert after[:-1] == before and len(after) == len(before) + 1, (before[-1], after[-2:])
    assert page(window) is window._pages[after[-1]], "the page shown is the current step's"
    kept = dict(window.session.results.by_step)
    left.result_changed.emit(PageResult("stale"))  # as if delivered after the page turn
    left.finished.emit("forward")
    left.finished.emit("back")
    assert window.session.history == after and window.session.results.by_step == kept


def test_a_double_tap_on_every_page_moves_exactly_one_step_and_the_record_lists_what_was_shown(
        window, real_pack):
    double_tap(window, window.welcome.start_button)  # the second tap lands on the two choices
    assert isinstance(page(window), SignerPage) and window.session.history == ("signer",)
    one_step(window, page(window).choices["patient"])
    name = page(window)
    assert isinstance(name, NamePage)
    type_on_keyboard(name.keyboard, "Edith Clarke")
    one_step(window, name.next_button)
    dob = page(window)
    assert isinstance(dob, BirthDatePage)
    enter_date(dob.pad, "07", "03", "1948")
    one_step(window, dob.next_button)
    shown_pages = []
    while isinstance(page(window), InfoPage):
        shown_pages.append(page(window).step.page_id)
        one_step(window, page(window).next_button)
    assert shown_pages == [p.id for p in real_pack.pages], "no page was skipped"
    first = True
    while isinstance(page(window), QuestionPage):
        question = page(window)
        q = real_pack.question(question.question.id)
        if first:  # wrong, "Show me again", the page again, "Back to the question", right
            first = False
            tap(question.choices[next(c.id for c in q.choices if c.id != q.correct)])
            one_step(window, question.next_button)
            review = page(window)
            assert isinstance(review, InfoPage) and review.review and review.back_button is None
            one_step(window, review.next_button)
            assert page(window) is question
        tap(question.choices[q.correct])
        one_step(window, question.next_button)
    statements = page(window)
    assert isinstance(statements, StatementsPage)
    for tick in statements.ticks.values():
        statements.findChild(QScrollArea).ensureWidgetVisible(tick)
        tap(tick)
    one_step(window, statements.next_button)
    decision = page(window)
    assert isinstance(decision, DecisionPage)
    one_step(window, decision.options["consented"])
    signature = page(window)
    assert isinstance(signature, SignaturePage)
    assert signature.pad.is_empty(), "the second tap on 'I agree' drew no dot"
    draw_signature(signature.pad)
    one_step(window, signature.next_button)
    done = page(window)
    assert isinstance(done, DonePage)

    record = get_consent(window.db_for_tests, list_consents(window.db_for_tests)[0]["document_id"])["record"]
    seen = [p["id"] for s in record["sections"] for p in s["pages"] if p["seen_at"]]
    assert sorted(seen) == sorted(shown_pages)
    assert len(record["signature"]["strokes"]) == 1
    double_tap(window, done.next_button)  # Finish: Welcome, and the second tap starts nothing
    assert window.session is None and page(window) is window.welcome


def test_a_page_counts_as_seen_only_once_it_has_been_painted(window, real_pack):
    tap(window.welcome.start_button)
    tap(page(window).choices["patient"])
    type_on_keyboard(page(window).keyboard, "Edith Clarke")
    tap(page(window).next_button)
    enter_date(page(window).pad, "07", "03", "1948")
    tap(page(window).next_button)
    first = page(window)
    assert isinstance(first, InfoPage)
    QApplication.processEvents()
    step = window.session.task.step_after(first.step.id, window.session.results)
    window.session.advance(first.step.id)
    window.show_step(step)  # made current, not yet drawn
    assert window.session.results.get(step.id) is None
    assert not page(window).ready, "nor does a tap count on a page nobody has seen"
    QApplication.processEvents()  # drawn
    assert isinstance(window.session.results.get(step.id), PageResult)


def test_a_double_tap_on_tell_me_more_leaves_it_open_and_a_later_tap_closes_it(window, real_pack):
    start(window)
    enter_identity(window, Patient(name="Edith Clarke"))
    while isinstance(page(window), InfoPage) and page(window).more_button is None:
        tap(page(window).next_button)
    info = page(window)
    assert isinstance(info, InfoPage) and info.more_button is not None, "a page with 'Tell me more'"
    step = info.step.id
    double_tap(window, info.more_button)  # two taps 60 ms apart on the tap clock
    assert page(window) is info and info.more.isVisible(), "the second tap closed what the first opened"
    assert info.more_button.text() == real_pack.ui("show_less")
    assert window.session.results.get(step).more_opened is True
    tap(info.more_button)  # a calm tap, a moment later: closes it
    assert not info.more.isVisible() and info.more_button.text() == real_pack.ui("tell_me_more")
    assert window.session.results.get(step).more_opened is True, "it was opened; the record keeps that"
