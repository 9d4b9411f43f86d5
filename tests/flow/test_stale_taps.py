"""Taps that land once, on the model alone: a request made on a step that is no longer current
(the second tap of a double tap, delivered after the first has moved on) changes nothing."""

import random

import pytest

from kiosk.flow import Session, build_consent_task
from kiosk.flow.results import Attempt, BirthDateResult, NameResult, PageResult, QuestionResult, SignerResult
from kiosk.flow.steps import DoneStep, InfoStep, QuestionStep
from kiosk.flow.task import can_try_again
from tests.flow.sample import fixed_clock


@pytest.fixture
def session(real_pack):
    return Session(build_consent_task(real_pack), clock=fixed_clock, rng=random.Random(3))


def to_the_pages(session):
    session.set_result("signer", SignerResult("patient")); session.advance("signer")
    session.set_result("patient_name", NameResult("Ada Lovelace")); session.advance("patient_name")
    session.set_result("birth_date", BirthDateResult("1940-01-02"))
    return session.advance("birth_date")


def test_only_the_current_step_is_accepted(session):
    assert session.accepts("signer")
    assert not session.accepts("patient_name") and not session.accepts(None)
    session.set_result("signer", SignerResult("patient"))
    session.advance("signer")
    assert session.accepts("patient_name") and not session.accepts("signer")


def test_two_forward_requests_from_one_step_move_exactly_one_step(session):
    first_page = to_the_pages(session)
    assert isinstance(first_page, InfoStep) and first_page.number == 1
    session.set_result(first_page.id, PageResult("t"))
    second = session.advance(first_page.id)
    assert session.advance(first_page.id) is None, "the second tap was made on a page already left"
    assert session.current == second and second.number == 2


def test_a_stale_back_moves_nothing(session):
    first_page = to_the_pages(session)
    assert session.back(first_page.id).id == "birth_date"
    assert session.back(first_page.id) is None
    assert session.current.id == "birth_date"


def test_a_stale_request_from_the_date_does_not_skip_to_step_two(session):
    """The walk found: from the date of birth straight to step 2. Each request names its step."""
    first_page = to_the_pages(session)
    assert session.advance("birth_date") is None
    assert session.current == first_page


def test_every_step_double_requested_is_walked_once(session, real_pack):
    """Forward twice from every step of a whole journey: the history holds each step once."""
    step = to_the_pages(session)
    seen = []
    while step is not None and not isinstance(step, DoneStep):
        seen.append(step.id)
        if isinstance(step, QuestionStep):
            q = real_pack.question(step.question_id)
            session.shown_order(step, tuple(c.id for c in q.choices))
            session.answer(step, q.correct, True)
        elif isinstance(step, InfoStep):
            session.set_result(step.id, PageResult("t"))
        else:
            break  # the statements: the model's own decision tests walk on from here
        step = session.advance(step.id)
        assert session.advance(seen[-1]) is None
    expected = [f"info.{p.id}" for p in real_pack.pages] + [f"quiz.{q.id}" for q in real_pack.questions]
    assert seen == expected + ["statements"]


@pytest.mark.parametrize("attempts, again", [
    ((), False), ((False,), True), ((True,), False), ((False, True), False), ((False, False), False)])
def test_a_question_is_asked_again_only_after_one_wrong_answer(attempts, again):
    from kiosk.flow.results import TaskResult

    result = QuestionResult(("a", "b"), tuple(Attempt("a", ok, "t") for ok in attempts))
    assert can_try_again(TaskResult({"quiz.q": result}), "quiz.q") is again
