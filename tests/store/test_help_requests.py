"""record_help_request: a press of "Call a nurse" is on disk at once."""

import sqlite3

import pytest

from kiosk.store import StoreError, record_help_request

SESSION = "7d0c2c9e-6f0e-4a0e-9d61-2b7b0f0b7a11"


def _press(db, at="2026-11-25T14:05:00+00:00", step_id="risks_leak"):
    record_help_request(db, session_id=SESSION, at=at, step_id=step_id)


def test_persists_before_any_consent_is_saved(fresh_db):
    _press(fresh_db)
    path = fresh_db.execute("PRAGMA database_list").fetchone()[2]
    other = sqlite3.connect(path)  # another connection sees only what is committed
    try:
        assert other.execute(
            "SELECT session_id, step_id FROM help_requests"
        ).fetchall() == [(SESSION, "risks_leak")]
        assert other.execute("SELECT count(*) FROM consents").fetchone() == (0,)
    finally:
        other.close()


def test_stores_the_press_unacknowledged(fresh_db):
    _press(fresh_db)
    row = next(fresh_db.query("SELECT * FROM help_requests"))
    assert row == {
        "id": 1,
        "session_id": SESSION,
        "at": "2026-11-25T14:05:00+00:00",
        "step_id": "risks_leak",
        "acknowledged_at": None,
        "acknowledged_by": None,
    }


def test_every_press_is_kept(fresh_db):
    _press(fresh_db, at="2026-11-25T14:05:00+00:00", step_id="risks_leak")
    _press(fresh_db, at="2026-11-25T14:06:00+00:00", step_id="quiz_q_leak")
    steps = [
        r["step_id"]
        for r in fresh_db.query("SELECT step_id FROM help_requests ORDER BY id")
    ]
    assert steps == ["risks_leak", "quiz_q_leak"]


@pytest.mark.parametrize(
    "changes",
    [{"session_id": ""}, {"at": None}, {"step_id": "  "}, {"step_id": 3}],
)
def test_missing_details_are_refused(fresh_db, changes):
    details = {
        "session_id": SESSION,
        "at": "2026-11-25T14:05:00+00:00",
        "step_id": "risks_leak",
    }
    with pytest.raises(StoreError, match="call for a nurse"):
        record_help_request(fresh_db, **{**details, **changes})
    assert fresh_db["help_requests"].count == 0


def test_refused_inside_an_open_transaction(fresh_db):
    with pytest.raises(StoreError, match="transaction"), fresh_db.atomic():
        _press(fresh_db)
    assert fresh_db["help_requests"].count == 0


def test_database_failure_is_a_store_error(fresh_db):
    fresh_db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON help_requests"
        " BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises(
        StoreError, match="the call for a nurse was not recorded"
    ) as caught:
        _press(fresh_db)
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
