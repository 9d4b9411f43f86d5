"""What the nurse station's front page shows: open calls for help, sessions per day, and
which questions are missed first time."""

from datetime import date

import pytest

from kiosk.store import record_help_request
from kiosk.store.queue import missed_first_time, open_help_requests, sessions_per_day
from kiosk.store.review import acknowledge_help
from tests.store.queue_people import save_people

TODAY = date(2026, 11, 25)
UNSAVED = "11111111-2222-4333-8444-555555555555"


@pytest.fixture
def ids(fresh_db, pdf_dir, make_record, pdf):
    return save_people(fresh_db, pdf_dir, make_record, pdf)


@pytest.fixture
def calls(fresh_db, ids):
    """Three calls for help: two from saved sessions, the newest from one still running."""
    record_help_request(fresh_db, session_id=ids[0], at="2026-11-20T09:05:00+00:00", step_id="risks_leak")
    record_help_request(fresh_db, session_id=ids[3], at="2026-11-23T07:10:00+00:00", step_id="quiz_q_leak")
    record_help_request(fresh_db, session_id=UNSAVED, at="2026-11-25T14:00:00+00:00", step_id="welcome")
    return fresh_db


def test_open_calls_newest_first_with_the_patients_name(calls, ids):
    assert [(c["session_id"], c["patient_name"], c["step_id"]) for c in open_help_requests(calls)] == [
        (UNSAVED, None, "welcome"),
        (ids[3], "Anne Smith", "quiz_q_leak"),
        (ids[0], "Margaret O'Brien", "risks_leak"),
    ]


def test_open_calls_have_what_the_banner_needs(calls):
    assert set(open_help_requests(calls)[0]) == {"id", "session_id", "at", "step_id", "patient_name"}


def test_an_acknowledged_call_is_no_longer_open(calls, ids):
    newest = open_help_requests(calls)[0]["id"]
    acknowledge_help(calls, newest, nurse="Ben Ode", at="2026-11-25T14:01:00+00:00")
    assert [c["session_id"] for c in open_help_requests(calls)] == [ids[3], ids[0]]


def test_no_calls_no_banner(fresh_db):
    assert open_help_requests(fresh_db) == []


def test_sessions_per_day_counts_each_outcome(fresh_db, ids):
    rows = sessions_per_day(fresh_db, days=7, today=TODAY)
    found = {(day, outcome): n for day, outcome, n in rows if n}
    assert found == {
        ("2026-11-19", "consented"): 1,
        ("2026-11-20", "consented"): 1,
        ("2026-11-21", "declined"): 1,
        ("2026-11-22", "consented"): 1,
        ("2026-11-23", "questions"): 1,
        ("2026-11-24", "abandoned"): 1,
        ("2026-11-25", "consented"): 1,
    }


def test_sessions_per_day_has_every_day_and_outcome(fresh_db, ids):
    rows = sessions_per_day(fresh_db, days=3, today=TODAY)
    assert [(day, outcome) for day, outcome, _ in rows] == [
        (day, outcome)
        for day in ("2026-11-23", "2026-11-24", "2026-11-25")
        for outcome in ("consented", "questions", "declined", "abandoned")
    ]


@pytest.mark.parametrize("days, total", [(1, 1), (2, 2), (6, 6), (14, 7)])
def test_sessions_per_day_keeps_to_its_window(fresh_db, ids, days, total):
    assert sum(n for _, _, n in sessions_per_day(fresh_db, days=days, today=TODAY)) == total


def test_sessions_per_day_of_an_empty_archive_are_zeros(fresh_db):
    assert {n for _, _, n in sessions_per_day(fresh_db, today=TODAY)} == {0}


def test_missed_first_time_per_question(fresh_db, ids):
    # All seven sessions (the abandoned one too) answered the three questions of records.py;
    # q_cause is right first time, q_leak and q_rest wrong first time.
    assert missed_first_time(fresh_db) == [("q_leak", 7, 7), ("q_rest", 7, 7), ("q_cause", 0, 7)]


def test_unanswered_questions_count_as_not_answered(fresh_db, pdf_dir, make_record, pdf):
    from kiosk.store import archive_consent

    record = make_record()
    record["answers"][0]["attempts"] = []
    record["answers"][0]["status"] = "not_answered"
    archive_consent(fresh_db, pdf_dir, record, pdf)
    assert ("q_cause", 0, 0) in missed_first_time(fresh_db)


def test_missed_first_time_of_an_empty_archive(fresh_db):
    assert missed_first_time(fresh_db) == []
