"""One patient's session on the model alone: its id and times, history, answers, help."""

import random
import uuid

import pytest

from kiosk.flow import Session, build_consent_task
from kiosk.flow.results import Attempt, HelpRequest, NameResult, QuestionResult, SignerResult
from kiosk.flow.steps import QuestionStep
from tests.flow.sample import START, complete_session, fixed_clock, ticking_clock

STAMP = "2026-11-25T14:00:05+00:00"


@pytest.fixture
def task(real_pack):
    return build_consent_task(real_pack)


@pytest.fixture
def question(task):
    return next(s for s in task.steps if isinstance(s, QuestionStep))


def new_session(task, **kw):
    return Session(task, clock=kw.pop("clock", fixed_clock), **kw)


def test_session_id_is_given(task):
    assert new_session(task, session_id="abc").id == "abc"


def test_session_id_is_a_new_uuid4_by_default(task):
    first, second = new_session(task).id, new_session(task).id
    assert uuid.UUID(first).version == 4 and str(uuid.UUID(first)) == first
    assert first != second


def test_started_at_is_stamped_on_the_clock(task):
    assert new_session(task).started_at == STAMP


def test_now_reads_the_clock_each_time(task):
    session = new_session(task, clock=ticking_clock())
    assert (session.started_at, session.now(), session.now()) == \
        (STAMP, "2026-11-25T14:00:06+00:00", "2026-11-25T14:00:07+00:00")


def test_a_new_session_is_at_the_first_step_with_nothing_done(task):
    session = new_session(task)
    assert (session.current.id, session.can_go_back, session.results.by_step, session.help_requests) == \
        ("signer", False, {}, [])


def test_sessions_do_not_share_help_requests(task):
    one, other = new_session(task), new_session(task)
    one.request_help()
    assert (len(one.help_requests), other.help_requests) == (1, [])


def test_set_result_replaces_the_earlier_one(task):
    session = new_session(task)
    session.set_result("patient_name", NameResult("Ada"))
    session.set_result("patient_name", NameResult("Ada Lovelace"))
    assert session.results.get("patient_name") == NameResult("Ada Lovelace")


def test_advance_moves_and_can_go_back(task):
    session = new_session(task)
    session.set_result("signer", SignerResult("patient"))
    assert session.advance().id == "patient_name"
    assert (session.current.id, session.can_go_back) == ("patient_name", True)


def test_advance_past_the_end_stays_put(real_pack):
    session = complete_session(real_pack)  # walked to Done
    assert session.advance() is None and session.current.id == "done"


def test_back_at_the_first_step_stays_there(task):
    session = new_session(task)
    assert session.back().id == "signer" and session.current.id == "signer"


def test_back_keeps_the_result(task):
    session = new_session(task)
    session.set_result("signer", SignerResult("representative"))
    session.advance()
    assert session.back().id == "signer"
    assert session.results.get("signer") == SignerResult("representative")


@pytest.mark.parametrize("seed", [1, 2, 7])
def test_shuffled_order_follows_the_sessions_rng(task, question, real_pack, seed):
    ids = tuple(c.id for c in real_pack.question(question.question_id).choices)
    one = new_session(task, rng=random.Random(seed)).shown_order(question, ids)
    other = new_session(task, rng=random.Random(seed)).shown_order(question, ids)
    expected = list(ids)
    random.Random(seed).shuffle(expected)
    assert one == other == tuple(expected)


def test_shuffling_without_an_rng_still_shows_every_choice(task, question):
    assert sorted(new_session(task).shown_order(question, ("a", "b", "c"))) == ["a", "b", "c"]


def test_showing_the_choices_starts_a_result_without_attempts(task, question):
    session = new_session(task, rng=random.Random(1))
    order = session.shown_order(question, ("a", "b", "c"))
    assert session.results.get(question.id) == QuestionResult(shown_order=order, attempts=())


def test_answer_before_the_choices_were_shown_is_refused(task, question):
    with pytest.raises(ValueError, match="^the question's choices were never shown$"):
        new_session(task).answer(question, "a", False)


def test_every_attempt_is_kept_in_order_with_its_time(task, question):
    session = new_session(task, rng=random.Random(1), clock=ticking_clock())
    order = session.shown_order(question, ("a", "b", "c"))
    session.answer(question, "a", False)
    result = session.answer(question, "b", True)
    assert result == QuestionResult(order, (Attempt("a", False, "2026-11-25T14:00:06+00:00"),
                                            Attempt("b", True, "2026-11-25T14:00:07+00:00")))
    assert session.results.get(question.id) == result


def test_help_request_says_when_and_where(task):
    session = new_session(task, clock=ticking_clock())
    session.set_result("signer", SignerResult("patient"))
    session.advance()
    request = session.request_help()
    assert request == HelpRequest(at="2026-11-25T14:00:06+00:00", step_id="patient_name")
    assert session.help_requests == [request]


def test_the_clock_is_the_sessions(task):
    assert new_session(task).clock() == START
