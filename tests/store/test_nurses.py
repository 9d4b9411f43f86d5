"""Nurse accounts: Argon2-hashed PINs, the first administrator, lockout, every attempt audited."""

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher

from kiosk.store import StoreError
from kiosk.store.nurses import (
    LOCK_AFTER,
    LOCK_MINUTES,
    create_nurse,
    has_admin,
    list_nurses,
    remove_nurse,
    sign_in,
)

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone(timedelta(hours=1)))
PIN = "73915846"


@pytest.fixture
def admin(fresh_db):
    return create_nurse(fresh_db, name="Anna Lee", pin=PIN, is_admin=True, by=None)


@pytest.fixture
def nurse(fresh_db, admin):
    return create_nurse(fresh_db, name="Ben Ode", pin="2468", by="Anna Lee")


def _wrong(db, nurse_id, times, now=NOW):
    return [sign_in(db, nurse_id, "0000", now=now) for _ in range(times)][-1]


def test_pin_is_stored_as_an_argon2_hash(fresh_db, admin):
    stored = fresh_db.execute("SELECT pin_hash FROM nurses").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert PasswordHasher().verify(stored, PIN)


def test_pin_is_nowhere_in_the_database_files(fresh_db, admin, tmp_path):
    sign_in(fresh_db, admin, PIN, now=NOW)
    sign_in(fresh_db, admin, "62840519", now=NOW)
    files = list((tmp_path / "database").iterdir())
    assert any(f.name.endswith("-wal") for f in files)
    for file in files:
        data = file.read_bytes()
        assert PIN.encode() not in data and b"62840519" not in data, file.name


@pytest.mark.parametrize(
    "pin", ["123", "123456789", "12a4", "", " 1234", "1234 ", "١٢٣٤", "12.4", None, 1234]
)
def test_bad_pins_are_refused(fresh_db, pin):
    with pytest.raises(StoreError, match="4 to 8 digits"):
        create_nurse(fresh_db, name="Anna Lee", pin=pin, is_admin=True, by=None)
    assert fresh_db["nurses"].count == 0


@pytest.mark.parametrize("pin", ["0000", "1234", "12345678"])
def test_good_pins_are_taken(fresh_db, pin):
    nurse_id = create_nurse(fresh_db, name="Anna Lee", pin=pin, is_admin=True, by=None)
    assert sign_in(fresh_db, nurse_id, pin, now=NOW).ok


def test_no_admin_before_the_first(fresh_db):
    assert has_admin(fresh_db) is False


def test_first_admin_needs_nobody(fresh_db, admin):
    assert has_admin(fresh_db) is True
    assert list_nurses(fresh_db) == [
        {"id": admin, "name": "Anna Lee", "is_admin": True, "locked_until": None}
    ]


def test_first_account_must_be_an_admin(fresh_db):
    with pytest.raises(StoreError, match="first account must be an administrator"):
        create_nurse(fresh_db, name="Ben Ode", pin="2468", by=None)


def test_a_second_account_needs_an_admin(fresh_db, admin):
    with pytest.raises(StoreError, match="already an administrator"):
        create_nurse(fresh_db, name="Ben Ode", pin="2468", is_admin=True, by=None)


@pytest.mark.parametrize("by", ["Ben Ode", "Nobody", ""])
def test_only_an_admin_adds_nurses(fresh_db, nurse, by):
    with pytest.raises(StoreError, match="Only an administrator"):
        create_nurse(fresh_db, name="Cy Dee", pin="1357", by=by)
    assert [n["name"] for n in list_nurses(fresh_db)] == ["Anna Lee", "Ben Ode"]


@pytest.mark.parametrize("name", ["Ben Ode", "ben ode", "  Ben   Ode "])
def test_names_are_unique_among_active_nurses(fresh_db, nurse, name):
    with pytest.raises(StoreError, match="already a nurse called"):
        create_nurse(fresh_db, name=name, pin="1357", by="Anna Lee")


def test_a_removed_nurses_name_can_be_used_again(fresh_db, nurse):
    remove_nurse(fresh_db, nurse, by="Anna Lee")
    again = create_nurse(fresh_db, name="Ben Ode", pin="1357", by="Anna Lee")
    assert again != nurse


@pytest.mark.parametrize("name", ["", "   ", None, "x" * 61])
def test_bad_names_are_refused(fresh_db, name):
    with pytest.raises(StoreError):
        create_nurse(fresh_db, name=name, pin="1357", is_admin=True, by=None)


def test_list_is_sorted_by_name_and_shows_admins(fresh_db, admin):
    for name in ("zoë Ward", "Carl Beck", "ben Ode"):
        create_nurse(fresh_db, name=name, pin="1357", by="Anna Lee")
    nurses = list_nurses(fresh_db)
    assert [n["name"] for n in nurses] == ["Anna Lee", "ben Ode", "Carl Beck", "zoë Ward"]
    assert [n["is_admin"] for n in nurses] == [True, False, False, False]


def test_removing_marks_inactive_and_keeps_the_row(fresh_db, nurse):
    remove_nurse(fresh_db, nurse, by="Anna Lee")
    assert [n["name"] for n in list_nurses(fresh_db)] == ["Anna Lee"]
    row = fresh_db["nurses"].get(nurse)
    assert (row["active"], row["removed_by"]) == (0, "Anna Lee")


def test_the_last_admin_cannot_be_removed(fresh_db, admin, nurse):
    with pytest.raises(StoreError, match="last administrator"):
        remove_nurse(fresh_db, admin, by="Anna Lee")
    assert has_admin(fresh_db)


def test_an_admin_can_be_removed_while_another_remains(fresh_db, admin):
    create_nurse(fresh_db, name="Cy Dee", pin="1357", is_admin=True, by="Anna Lee")
    remove_nurse(fresh_db, admin, by="Cy Dee")
    assert [n["name"] for n in list_nurses(fresh_db)] == ["Cy Dee"]


def test_only_an_admin_removes(fresh_db, nurse, admin):
    with pytest.raises(StoreError, match="Only an administrator"):
        remove_nurse(fresh_db, admin, by="Ben Ode")


def test_nurse_rows_are_never_deleted(fresh_db, nurse):
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        fresh_db.execute("DELETE FROM nurses WHERE id = ?", [nurse])


def test_right_pin_signs_in(fresh_db, nurse):
    result = sign_in(fresh_db, nurse, "2468", now=NOW)
    assert result.ok and result.locked_until is None and result.attempts_left == LOCK_AFTER
    assert result.nurse == {"id": nurse, "name": "Ben Ode", "is_admin": False, "locked_until": None}


@pytest.mark.parametrize("times, left", [(1, 4), (2, 3), (4, 1)])
def test_wrong_pin_counts_down(fresh_db, nurse, times, left):
    result = _wrong(fresh_db, nurse, times)
    assert (result.ok, result.nurse, result.locked_until, result.attempts_left) == (
        False, None, None, left,
    )  # fmt: skip


def test_five_wrong_pins_lock_for_five_minutes(fresh_db, nurse):
    result = _wrong(fresh_db, nurse, LOCK_AFTER)
    assert not result.ok and result.attempts_left == 0
    assert result.locked_until == NOW + timedelta(minutes=LOCK_MINUTES)
    assert result.locked_until.utcoffset() == NOW.utcoffset()
    assert list_nurses(fresh_db)[1]["locked_until"] == result.locked_until


@pytest.mark.parametrize("later", [timedelta(0), timedelta(minutes=4, seconds=59)])
def test_right_pin_fails_while_locked(fresh_db, nurse, later):
    _wrong(fresh_db, nurse, LOCK_AFTER)
    result = sign_in(fresh_db, nurse, "2468", now=NOW + later)
    assert not result.ok and result.nurse is None
    assert result.locked_until == NOW + timedelta(minutes=LOCK_MINUTES)


def test_wrong_pins_while_locked_do_not_extend_the_lock(fresh_db, nurse):
    _wrong(fresh_db, nurse, LOCK_AFTER)
    _wrong(fresh_db, nurse, 3, now=NOW + timedelta(minutes=1))
    assert sign_in(fresh_db, nurse, "2468", now=NOW + timedelta(minutes=LOCK_MINUTES)).ok


def test_unlocks_after_five_minutes(fresh_db, nurse):
    _wrong(fresh_db, nurse, LOCK_AFTER)
    result = sign_in(fresh_db, nurse, "2468", now=NOW + timedelta(minutes=LOCK_MINUTES))
    assert result.ok and result.locked_until is None


def test_after_the_lock_there_are_five_tries_again(fresh_db, nurse):
    _wrong(fresh_db, nurse, LOCK_AFTER)
    result = _wrong(fresh_db, nurse, 1, now=NOW + timedelta(minutes=LOCK_MINUTES))
    assert result.attempts_left == LOCK_AFTER - 1 and result.locked_until is None


def test_success_resets_the_count(fresh_db, nurse):
    _wrong(fresh_db, nurse, LOCK_AFTER - 1)
    assert sign_in(fresh_db, nurse, "2468", now=NOW).ok
    assert _wrong(fresh_db, nurse, 1).attempts_left == LOCK_AFTER - 1


def test_a_lock_is_per_account(fresh_db, admin, nurse):
    _wrong(fresh_db, nurse, LOCK_AFTER)
    assert sign_in(fresh_db, admin, PIN, now=NOW).ok


@pytest.mark.parametrize(
    "attempt, action",
    [
        (lambda db, n: sign_in(db, n, "2468", now=NOW), "sign_in"),
        (lambda db, n: sign_in(db, n, "9999", now=NOW), "sign_in_failed"),
        (lambda db, n: (_wrong(db, n, LOCK_AFTER), sign_in(db, n, "2468", now=NOW)), "sign_in_locked"),
    ],
    ids=["success", "failure", "locked"],
)
def test_every_attempt_is_audited(fresh_db, nurse, actions, attempt, action):
    attempt(fresh_db, nurse)
    assert actions()[-1] == (f"nurse:{nurse}", action, None)  # the account, not its (changeable) name


def test_each_wrong_pin_is_its_own_entry(fresh_db, nurse, actions):
    _wrong(fresh_db, nurse, LOCK_AFTER)
    assert [a for _, a, _ in actions()].count("sign_in_failed") == LOCK_AFTER


def test_adding_and_removing_are_audited(fresh_db, nurse, actions):
    remove_nurse(fresh_db, nurse, by="Anna Lee")
    assert actions() == [
        ("Anna Lee", "nurse_added", None),
        ("Anna Lee", "nurse_added", None),
        ("Anna Lee", "nurse_removed", None),
    ]


def test_a_removed_account_cannot_sign_in(fresh_db, nurse, actions):
    remove_nurse(fresh_db, nurse, by="Anna Lee")
    with pytest.raises(StoreError, match="no longer exists"):
        sign_in(fresh_db, nurse, "2468", now=NOW)
    assert actions()[-1][1] == "sign_in_failed"


def test_now_must_have_a_time_zone(fresh_db, nurse):
    with pytest.raises(ValueError, match="time zone"):
        sign_in(fresh_db, nurse, "2468", now=datetime(2026, 11, 25, 14, 0))
