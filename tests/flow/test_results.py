"""Results are plain data; the few rules they carry are checked here."""

import dataclasses

import pytest

from kiosk.flow.results import OUTCOMES, Attempt, DecisionResult, NameResult, QuestionResult, TaskResult


@pytest.mark.parametrize("outcome", ["consented", "questions", "declined"])
def test_a_decision_is_one_of_three(outcome):
    assert DecisionResult(outcome).outcome == outcome


@pytest.mark.parametrize("outcome", ["abandoned", "yes", ""])
def test_any_other_decision_is_refused_by_name(outcome):
    with pytest.raises(ValueError, match=f"^unknown outcome {outcome!r}$"):
        DecisionResult(outcome)


def test_outcomes_are_the_three_decisions():
    assert OUTCOMES == ("consented", "questions", "declined")


@pytest.mark.parametrize("correct, last", [((), False), ((False,), False), ((False, True), True),
                                           ((True, False), False), ((True,), True)])
def test_last_correct_is_the_last_attempt(correct, last):
    result = QuestionResult(("a", "b"), tuple(Attempt("a", ok, "t") for ok in correct))
    assert result.last_correct is last


def test_results_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        NameResult("Ada").full_name = "Bob"


def test_a_step_without_a_result_has_none():
    results = TaskResult({"patient_name": NameResult("Ada")})
    assert (results.get("patient_name"), results.get("birth_date")) == (NameResult("Ada"), None)
