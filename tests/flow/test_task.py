"""Navigation rules on the model alone, no Qt (ResearchKit style)."""

import random
from datetime import datetime, timezone

import pytest

from kiosk.flow import DuplicateStepError, Session, build_consent_task
from kiosk.flow.results import (
    BirthDateResult,
    DecisionResult,
    NameResult,
    PageResult,
    RelationshipResult,
    SignerResult,
)
from kiosk.flow.steps import DoneStep, InfoStep, QuestionStep, ReviewStep, SignatureStep, Step
from kiosk.flow.task import ConsentTask


def fixed_clock():
    return datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)


@pytest.fixture
def session(real_pack):
    return Session(build_consent_task(real_pack), clock=fixed_clock, rng=random.Random(7))


def walk_identity(session, role="patient"):
    session.set_result("signer", SignerResult(role)); session.advance()
    session.set_result("patient_name", NameResult("Ada Lovelace")); session.advance()
    session.set_result("birth_date", BirthDateResult("1940-01-02")); return session.advance()


def walk_to_first_question(session):
    step = walk_identity(session)
    while isinstance(step, InfoStep):
        session.set_result(step.id, PageResult("t"))
        step = session.advance()
    return step


def test_duplicate_step_ids_are_refused():
    with pytest.raises(DuplicateStepError, match="twice"):
        ConsentTask((Step("a"), Step("a")))


def test_patient_signing_skips_representative_steps(session, real_pack):
    step = walk_identity(session, "patient")
    assert isinstance(step, InfoStep) and step.page_id == real_pack.pages[0].id


def test_representative_signing_asks_for_their_name_and_relationship(session):
    step = walk_identity(session, "representative")
    assert step.id == "representative_name"
    session.set_result(step.id, NameResult("Tom Lovelace")); step = session.advance()
    assert step.id == "relationship"
    session.set_result(step.id, RelationshipResult("Son or daughter")); step = session.advance()
    assert isinstance(step, InfoStep)


def test_every_education_page_is_shown_in_order_with_its_number(session, real_pack):
    step = walk_identity(session)
    seen = []
    while isinstance(step, InfoStep):
        seen.append((step.page_id, step.number, step.total))
        step = session.advance()
    assert [p for p, _, _ in seen] == [p.id for p in real_pack.pages]
    assert [n for _, n, _ in seen] == list(range(1, len(real_pack.pages) + 1))
    assert isinstance(step, QuestionStep) and step.number == 1


def answer(session, step, correct, real_pack):
    q = real_pack.question(step.question_id)
    choice = q.correct if correct else next(c.id for c in q.choices if c.id != q.correct)
    session.shown_order(step, tuple(c.id for c in q.choices))
    session.answer(step, choice, correct)
    return session.advance()


def test_right_answer_goes_to_the_next_question(session, real_pack):
    first = walk_to_first_question(session)
    following = answer(session, first, True, real_pack)
    assert isinstance(following, QuestionStep) and following.number == 2


def test_wrong_answer_goes_to_the_explaining_page_then_back_to_the_question(session, real_pack):
    first = walk_to_first_question(session)
    review = answer(session, first, False, real_pack)
    assert isinstance(review, ReviewStep)
    assert review.page_id == real_pack.question(first.question_id).explained_by
    again = session.advance()
    assert again.id == first.id


def test_wrong_twice_moves_on(session, real_pack):
    first = walk_to_first_question(session)
    answer(session, first, False, real_pack)
    session.advance()
    following = answer(session, first, False, real_pack)
    assert isinstance(following, QuestionStep) and following.number == 2


@pytest.mark.parametrize("outcome, expected", [("consented", SignatureStep), ("questions", DoneStep),
                                               ("declined", DoneStep)])
def test_decision_routes_only_consent_to_the_signature(session, outcome, expected):
    session.set_result("decision", DecisionResult(outcome))
    assert isinstance(session.task.step_after("decision", session.results), expected)


def test_back_returns_through_history_including_review(session, real_pack):
    first = walk_to_first_question(session)
    answer(session, first, False, real_pack)
    assert isinstance(session.current, ReviewStep)
    assert session.back().id == first.id


def test_done_is_the_end(session):
    assert session.task.step_after("done", session.results) is None


def test_shuffled_order_is_stable_within_a_session_and_varies_between_sessions(real_pack):
    task = build_consent_task(real_pack)
    step = next(s for s in task.steps if isinstance(s, QuestionStep))
    ids = tuple(c.id for c in real_pack.question(step.question_id).choices)
    orders = set()
    for seed in range(12):
        s = Session(task, clock=fixed_clock, rng=random.Random(seed))
        first = s.shown_order(step, ids)
        assert s.shown_order(step, ids) == first
        assert sorted(first) == sorted(ids)
        orders.add(first)
    assert len(orders) > 1
