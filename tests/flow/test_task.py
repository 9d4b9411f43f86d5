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
from kiosk.flow.steps import (
    DecisionCheckStep,
    InfoStep,
    QuestionStep,
    ReviewStep,
    SignatureStep,
    Step,
)
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
    with pytest.raises(DuplicateStepError, match=r"^step id 'a' is used twice$"):
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


@pytest.mark.parametrize("outcome, expected", [("consented", SignatureStep), ("questions", DecisionCheckStep),
                                               ("declined", DecisionCheckStep)])
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


def test_the_journey_opens_with_who_signs_and_who_the_patient_is(real_pack):
    opening = [(type(s).__name__, s.id, getattr(s, "whose", None)) for s in build_consent_task(real_pack).steps[:5]]
    assert opening == [("SignerStep", "signer", None), ("NameStep", "patient_name", "patient"),
                       ("BirthDateStep", "birth_date", None), ("NameStep", "representative_name", "representative"),
                       ("RelationshipStep", "relationship", None)]


def test_each_education_page_is_a_step_with_its_section_and_place(real_pack):
    infos = [s for s in build_consent_task(real_pack).steps if isinstance(s, InfoStep)]
    assert [(s.id, s.page_id, s.section_id, s.number, s.total) for s in infos] == \
        [(f"info.{p.id}", p.id, p.section_id, i, len(real_pack.pages)) for i, p in enumerate(real_pack.pages, start=1)]
    assert (infos[0].section_id, infos[-1].section_id) == ("fracture", "after")


def test_each_question_is_followed_by_the_page_that_explains_it(real_pack):
    steps = build_consent_task(real_pack).steps
    quiz = [s for s in steps if isinstance(s, (QuestionStep, ReviewStep))]
    expected = []
    for i, q in enumerate(real_pack.questions, start=1):
        expected += [("QuestionStep", f"quiz.{q.id}", q.id, i, len(real_pack.questions)),
                     ("ReviewStep", f"review.{q.id}", q.id, q.explained_by, None)]
    assert [(type(s).__name__, s.id, s.question_id, *((s.number, s.total) if isinstance(s, QuestionStep)
                                                      else (s.page_id, None))) for s in quiz] == expected


def test_the_journey_closes_with_statements_decision_its_check_signature_done(real_pack):
    closing = [(type(s).__name__, s.id) for s in build_consent_task(real_pack).steps[-5:]]
    assert closing == [("StatementsStep", "statements"), ("DecisionStep", "decision"),
                       ("DecisionCheckStep", "decision_check"), ("SignatureStep", "signature"),
                       ("DoneStep", "done")]


def test_a_step_is_found_by_its_id(real_pack):
    task = build_consent_task(real_pack)
    third = real_pack.questions[2].id
    assert task.step(f"quiz.{third}") == QuestionStep(f"quiz.{third}", question_id=third, number=3,
                                                      total=len(real_pack.questions))
    assert task.first_step.id == "signer"


def test_no_decision_yet_ends_nothing(session):
    assert session.task.step_after("decision", session.results) is None


def test_a_review_page_is_never_reached_by_going_forward(session, real_pack):
    """Right first time: from one question straight to the next, past its review page."""
    first = walk_to_first_question(session)
    seen = [first.id]
    step = first
    while isinstance(step, QuestionStep):
        step = answer(session, step, True, real_pack)
        seen.append(step.id)
    assert seen == [f"quiz.{q.id}" for q in real_pack.questions] + ["statements"]


def test_a_question_shown_but_not_answered_leads_on_without_review(session, real_pack):
    first = walk_to_first_question(session)
    session.shown_order(first, tuple(c.id for c in real_pack.question(first.question_id).choices))
    assert session.task.step_after(first.id, session.results).id == f"quiz.{real_pack.questions[1].id}"


@pytest.mark.parametrize("results, role", [
    ({}, "patient"),
    ({"signer": SignerResult("patient")}, "patient"),
    ({"signer": SignerResult("representative")}, "representative"),
    ({"signer": NameResult("representative")}, "patient"),  # not a signer result: nobody said so
])
def test_signer_role_is_read_from_the_signer_step_alone(results, role):
    from kiosk.flow.results import TaskResult
    from kiosk.flow.task import signer_role

    assert signer_role(TaskResult(dict(results))) == role


def test_the_disclaimer_is_on_the_first_education_page_alone(real_pack):
    infos = [s for s in build_consent_task(real_pack).steps if isinstance(s, InfoStep)]
    assert [s.page_id for s in infos if s.disclaimer] == [real_pack.pages[0].id]
