"""The check after a choice that ends without a signature ("You chose ... Is that right?"),
on the model alone: where it leads, what "No, go back" keeps and what it withdraws."""

import pytest

from kiosk.flow.record import build_record
from kiosk.flow.results import DecisionResult, TaskResult
from kiosk.flow.steps import DecisionCheckStep, DecisionStep, DoneStep, SignatureStep
from kiosk.flow.task import DECISION, DECISION_CHECK
from tests.flow.sample import complete_session

UNSIGNED = ["questions", "declined"]


@pytest.fixture
def at_decision(real_pack):
    """Everything done up to the decision: identity, every page, every question, every statement."""
    session = complete_session(real_pack, abandon_at=DECISION)
    assert isinstance(session.current, DecisionStep)
    return session


def choose(session, outcome):
    session.set_result(DECISION, DecisionResult(outcome))
    return session.advance()


@pytest.mark.parametrize("outcome", UNSIGNED)
def test_a_choice_without_signature_is_checked_before_done(at_decision, outcome):
    step = choose(at_decision, outcome)
    assert isinstance(step, DecisionCheckStep) and step.id == DECISION_CHECK
    assert at_decision.current is step


def test_agreeing_goes_to_the_signature_past_the_check(at_decision):
    assert isinstance(choose(at_decision, "consented"), SignatureStep)


@pytest.mark.parametrize("outcome", UNSIGNED)
def test_yes_that_is_right_leads_to_done_with_that_outcome(at_decision, real_pack, outcome):
    choose(at_decision, outcome)
    assert isinstance(at_decision.advance(), DoneStep)
    record = build_record(at_decision, real_pack, time_zone="Europe/London")
    assert record["outcome"] == outcome and record["signature"] is None


@pytest.mark.parametrize("outcome", UNSIGNED)
def test_no_go_back_returns_to_the_decision_with_every_other_answer_kept(at_decision, outcome):
    before = dict(at_decision.results.by_step)
    choose(at_decision, outcome)
    assert isinstance(at_decision.back(), DecisionStep)
    assert at_decision.current.id == DECISION
    assert at_decision.results.get(DECISION) is None, "the unconfirmed choice is withdrawn"
    assert at_decision.results.by_step == before, "nothing else is lost"


@pytest.mark.parametrize("outcome", UNSIGNED)
def test_after_no_go_back_the_patient_can_agree_and_sign(at_decision, outcome):
    choose(at_decision, outcome)
    at_decision.back()
    assert isinstance(choose(at_decision, "consented"), SignatureStep)


def test_after_no_go_back_another_unsigned_choice_is_checked_again(at_decision):
    choose(at_decision, "declined")
    at_decision.back()
    assert isinstance(choose(at_decision, "questions"), DecisionCheckStep)
    assert isinstance(at_decision.advance(), DoneStep)
    assert at_decision.results.get(DECISION) == DecisionResult("questions")


def test_back_from_the_decision_check_twice_reaches_the_statements(at_decision):
    choose(at_decision, "declined")
    at_decision.back()
    assert at_decision.back().id == "statements"
    assert at_decision.results.get("statements") is not None


def test_back_from_the_signature_keeps_the_agreement(at_decision):
    """Only the check withdraws a choice; the agreeing path is as it was."""
    choose(at_decision, "consented")
    assert at_decision.back().id == DECISION
    assert at_decision.results.get(DECISION) == DecisionResult("consented")


@pytest.mark.parametrize("results", [{}, {DECISION: DecisionResult("consented")}])
def test_the_check_never_leads_to_done_without_an_unsigned_choice(real_pack, results):
    from kiosk.flow import build_consent_task

    task = build_consent_task(real_pack)
    assert task.step_after(DECISION_CHECK, TaskResult(dict(results))) is None


@pytest.mark.parametrize("step_id, withdrawn", [(DECISION_CHECK, (DECISION,)), (DECISION, ()),
                                                 ("signature", ()), ("statements", ()), ("quiz.q_leak", ())])
def test_only_the_check_withdraws_a_result_on_back(real_pack, step_id, withdrawn):
    from kiosk.flow import build_consent_task

    assert build_consent_task(real_pack).withdrawn_on_back(step_id) == withdrawn


def test_back_at_the_first_step_withdraws_nothing(real_pack):
    session = complete_session(real_pack, abandon_at="signer")
    session.set_result("signer", object())
    session.back()
    assert session.results.get("signer") is not None
