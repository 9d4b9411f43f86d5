"""Nurse accounts in detail: the lockout's countdown and boundary, what each attempt writes to
the audit trail, and the exact words of every refusal.

PINs are hashed here with a cheap Argon2id (one pass over 8 KiB), swapped in for the module's
hasher: these tests are about the lockout and the records, not about the cost of a guess
(tests/store/test_nurses.py keeps the product's own hasher).
"""

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

import pytest
from argon2 import PasswordHasher

from kiosk.store import StoreError, nurses
from kiosk.store.nurses import (
    LOCK_AFTER,
    LOCK_MINUTES,
    SignIn,
    check_pin,
    create_nurse,
    has_admin,
    list_nurses,
    remove_nurse,
    sign_in,
)

CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PLUS_ONE = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 25, 14, 0, tzinfo=PLUS_ONE)
LOCK_ENDS = NOW + timedelta(minutes=5)
PIN = "2468"
WRONG = "0000"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    monkeypatch.setattr(nurses, "_HASHER", CHEAP)


@pytest.fixture
def admin(fresh_db):
    return create_nurse(fresh_db, name="Anna Lee", pin="1357", is_admin=True, by=None)


@pytest.fixture
def nurse(fresh_db, admin):
    return create_nurse(fresh_db, name="Ben Ode", pin=PIN, by="Anna Lee")


@pytest.fixture
def locked(fresh_db, nurse):
    """Ben Ode, locked at NOW by five wrong PINs."""
    for _ in range(LOCK_AFTER):
        sign_in(fresh_db, nurse, WRONG, now=NOW)
    return nurse


def _entries(db):
    return list(db.query("SELECT actor, action, at, document_id, detail FROM audit_log ORDER BY id"))


def _last_entry(db):
    return _entries(db)[-1]


def _refusal(call) -> str:
    with pytest.raises(StoreError) as refused:
        call()
    return str(refused.value)


# --- the countdown and the lock --------------------------------------------------------------


def test_a_right_pin_leaves_all_five_attempts(fresh_db, nurse):
    assert sign_in(fresh_db, nurse, PIN, now=NOW).attempts_left == 5


def test_an_admin_signs_in_as_an_admin(fresh_db, admin):
    assert sign_in(fresh_db, admin, "1357", now=NOW).nurse == {
        "id": admin, "name": "Anna Lee", "is_admin": True, "locked_until": None}  # fmt: skip


def test_wrong_pins_count_down_4_3_2_1_then_0_while_locked(fresh_db, nurse):
    left = [sign_in(fresh_db, nurse, WRONG, now=NOW).attempts_left for _ in range(7)]
    assert left == [4, 3, 2, 1, 0, 0, 0]


def test_the_fifth_wrong_pin_gives_the_lock(fresh_db, nurse):
    for _ in range(LOCK_AFTER - 1):
        sign_in(fresh_db, nurse, WRONG, now=NOW)
    assert sign_in(fresh_db, nurse, WRONG, now=NOW) == SignIn(False, None, LOCK_ENDS, 0)


@pytest.mark.parametrize("pin", [PIN, WRONG], ids=["right", "wrong"])
def test_while_locked_any_pin_is_refused_with_the_lock_end(fresh_db, locked, pin):
    assert sign_in(fresh_db, locked, pin, now=NOW + timedelta(minutes=2)) == SignIn(False, None, LOCK_ENDS, 0)


def test_a_right_pin_is_refused_a_microsecond_before_the_lock_ends(fresh_db, locked):
    result = sign_in(fresh_db, locked, PIN, now=LOCK_ENDS - timedelta(microseconds=1))
    assert result == SignIn(False, None, LOCK_ENDS, 0)


def test_a_right_pin_is_accepted_the_moment_the_lock_ends(fresh_db, locked):
    result = sign_in(fresh_db, locked, PIN, now=LOCK_ENDS)
    assert result == SignIn(True, {"id": locked, "name": "Ben Ode", "is_admin": False, "locked_until": None},
                            None, 5)  # fmt: skip


def test_the_lock_ends_exactly_five_minutes_after_the_fifth_wrong_pin(fresh_db, nurse):
    for minute in range(LOCK_AFTER):  # one wrong PIN a minute: the lock runs from the last
        result = sign_in(fresh_db, nurse, WRONG, now=NOW + timedelta(minutes=minute))
    assert result.locked_until == NOW + timedelta(minutes=4 + LOCK_MINUTES)


def test_after_the_lock_a_wrong_pin_leaves_four(fresh_db, locked):
    assert sign_in(fresh_db, locked, WRONG, now=LOCK_ENDS) == SignIn(False, None, None, 4)


def test_after_the_lock_five_more_wrong_pins_lock_again(fresh_db, locked):
    later = LOCK_ENDS + timedelta(minutes=1)
    results = [sign_in(fresh_db, locked, WRONG, now=later) for _ in range(LOCK_AFTER)]
    assert [r.attempts_left for r in results] == [4, 3, 2, 1, 0]
    assert results[-1].locked_until == later + timedelta(minutes=LOCK_MINUTES)


def test_the_lock_end_is_given_in_the_time_zone_of_now(fresh_db, locked):
    india = timezone(timedelta(hours=5, minutes=30))
    result = sign_in(fresh_db, locked, PIN, now=NOW.astimezone(india))
    assert result.locked_until == LOCK_ENDS and result.locked_until.utcoffset() == timedelta(hours=5, minutes=30)


def test_the_lock_is_listed_until_a_right_pin(fresh_db, locked):
    assert list_nurses(fresh_db)[1]["locked_until"] == LOCK_ENDS
    sign_in(fresh_db, locked, PIN, now=LOCK_ENDS)
    assert list_nurses(fresh_db)[1]["locked_until"] is None


def test_a_right_pin_clears_the_count_in_the_database(fresh_db, nurse):
    sign_in(fresh_db, nurse, WRONG, now=NOW)
    sign_in(fresh_db, nurse, PIN, now=NOW)
    assert fresh_db.execute("SELECT failed_attempts, locked_until FROM nurses WHERE id = ?", [nurse]).fetchone() == (0, None)


@pytest.mark.parametrize("pin", [2468, None, b"2468"], ids=["int", "none", "bytes"])
def test_a_pin_that_is_not_text_counts_as_wrong(fresh_db, nurse, pin):
    assert sign_in(fresh_db, nurse, pin, now=NOW) == SignIn(False, None, None, 4)


# --- the audit trail of each attempt ---------------------------------------------------------


def test_a_right_pin_is_audited_as_sign_in(fresh_db, nurse):
    sign_in(fresh_db, nurse, PIN, now=NOW)
    assert _last_entry(fresh_db) == {"actor": f"nurse:{nurse}", "action": "sign_in", "at": "2026-11-25T14:00:00+01:00",
                                     "document_id": None, "detail": f'{{"nurse_id":{nurse}}}'}  # fmt: skip


def test_a_wrong_pin_is_audited_with_the_attempts_left(fresh_db, nurse):
    sign_in(fresh_db, nurse, WRONG, now=NOW)
    assert _last_entry(fresh_db) == {"actor": f"nurse:{nurse}", "action": "sign_in_failed",
                                     "at": "2026-11-25T14:00:00+01:00", "document_id": None,
                                     "detail": f'{{"attempts_left":4,"nurse_id":{nurse}}}'}  # fmt: skip


def test_the_locking_pin_is_audited_with_the_lock_end(fresh_db, locked):
    assert _last_entry(fresh_db) == {"actor": f"nurse:{locked}", "action": "sign_in_failed",
                                     "at": "2026-11-25T14:00:00+01:00", "document_id": None,
                                     "detail": f'{{"locked_until":"2026-11-25T14:05:00+01:00","nurse_id":{locked}}}'}  # fmt: skip


def test_an_attempt_while_locked_is_audited_as_sign_in_locked(fresh_db, locked):
    sign_in(fresh_db, locked, PIN, now=NOW + timedelta(minutes=1))
    assert _last_entry(fresh_db) == {"actor": f"nurse:{locked}", "action": "sign_in_locked",
                                     "at": "2026-11-25T14:01:00+01:00", "document_id": None,
                                     "detail": f'{{"locked_until":"2026-11-25T14:05:00+01:00","nurse_id":{locked}}}'}  # fmt: skip


def test_an_attempt_on_a_removed_account_is_audited_then_refused(fresh_db, nurse):
    remove_nurse(fresh_db, nurse, by="Anna Lee")
    assert _refusal(lambda: sign_in(fresh_db, nurse, PIN, now=NOW)) == (
        "This nurse account no longer exists. Tap your name again.")  # fmt: skip
    assert _last_entry(fresh_db) == {"actor": f"nurse:{nurse}", "action": "sign_in_failed",
                                     "at": "2026-11-25T14:00:00+01:00", "document_id": None,
                                     "detail": f'{{"nurse_id":{nurse},"reason":"no such active account"}}'}  # fmt: skip


def test_adding_a_nurse_is_audited_with_who_and_whether_admin(fresh_db, nurse):
    assert _entries(fresh_db)[:2] == [
        {"actor": "Anna Lee", "action": "nurse_added", "at": _entries(fresh_db)[0]["at"], "document_id": None,
         "detail": '{"is_admin":true,"name":"Anna Lee","nurse_id":1}'},
        {"actor": "Anna Lee", "action": "nurse_added", "at": _entries(fresh_db)[1]["at"], "document_id": None,
         "detail": f'{{"is_admin":false,"name":"Ben Ode","nurse_id":{nurse}}}'},
    ]  # fmt: skip


def test_removing_a_nurse_is_audited_with_who(fresh_db, nurse):
    remove_nurse(fresh_db, nurse, by="Anna Lee")
    entry = _last_entry(fresh_db)
    assert (entry["actor"], entry["action"], entry["detail"]) == (
        "Anna Lee", "nurse_removed", f'{{"name":"Ben Ode","nurse_id":{nurse}}}')  # fmt: skip


# --- the rows --------------------------------------------------------------------------------


def _row(db, nurse_id):
    return db["nurses"].get(nurse_id)


def _is_utc_to_the_second(text) -> bool:
    return re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", text) is not None


def test_a_new_account_records_when_and_by_whom(fresh_db, nurse):
    before = datetime.now(UTC).replace(microsecond=0)
    row = _row(fresh_db, create_nurse(fresh_db, name="Cy Dee", pin="1357", is_admin=True, by="Anna Lee"))
    assert (row["name"], row["is_admin"], row["active"], row["created_by"]) == ("Cy Dee", 1, 1, "Anna Lee")
    assert _is_utc_to_the_second(row["created_at"]), row["created_at"]
    assert before <= datetime.fromisoformat(row["created_at"]) <= datetime.now(UTC)


def test_the_first_account_is_created_by_nobody(fresh_db, admin):
    assert _row(fresh_db, admin)["created_by"] is None


def test_a_removed_account_records_when_and_by_whom(fresh_db, nurse):
    before = datetime.now(UTC).replace(microsecond=0)
    remove_nurse(fresh_db, nurse, by="Anna Lee")
    row = _row(fresh_db, nurse)
    assert (row["active"], row["removed_by"]) == (0, "Anna Lee")
    assert _is_utc_to_the_second(row["removed_at"]) and before <= datetime.fromisoformat(row["removed_at"])


def test_a_name_is_stored_with_its_spaces_tidied(fresh_db, admin):
    nurse_id = create_nurse(fresh_db, name="  Ben \t  Ode ", pin=PIN, by="Anna Lee")
    assert _row(fresh_db, nurse_id)["name"] == "Ben Ode"


@pytest.mark.parametrize("length", [1, 60])
def test_a_name_of_up_to_60_letters_is_taken(fresh_db, length):
    nurse_id = create_nurse(fresh_db, name="x" * length, pin=PIN, is_admin=True, by=None)
    assert _row(fresh_db, nurse_id)["name"] == "x" * length


def test_the_list_shows_who_is_an_administrator(fresh_db, nurse):
    assert list_nurses(fresh_db) == [
        {"id": 1, "name": "Anna Lee", "is_admin": True, "locked_until": None},
        {"id": nurse, "name": "Ben Ode", "is_admin": False, "locked_until": None},
    ]


def test_has_admin_is_true_with_two(fresh_db, admin):
    create_nurse(fresh_db, name="Cy Dee", pin="1357", is_admin=True, by="Anna Lee")
    assert has_admin(fresh_db) is True


# --- rehashing -------------------------------------------------------------------------------


def _pin_hash(db, nurse_id):
    return _row(db, nurse_id)["pin_hash"]


def test_a_pin_hashed_at_the_current_cost_is_kept_as_it_is(fresh_db, nurse):
    before = _pin_hash(fresh_db, nurse)
    sign_in(fresh_db, nurse, PIN, now=NOW)
    assert _pin_hash(fresh_db, nurse) == before


def test_a_pin_hashed_at_an_older_cost_is_rehashed_at_sign_in(fresh_db, nurse, monkeypatch):
    dearer = PasswordHasher(time_cost=2, memory_cost=8, parallelism=1)
    monkeypatch.setattr(nurses, "_HASHER", dearer)
    assert sign_in(fresh_db, nurse, PIN, now=NOW).ok
    stored = _pin_hash(fresh_db, nurse)
    assert not dearer.check_needs_rehash(stored) and dearer.verify(stored, PIN)


def test_a_wrong_pin_never_rehashes(fresh_db, nurse, monkeypatch):
    before = _pin_hash(fresh_db, nurse)
    monkeypatch.setattr(nurses, "_HASHER", PasswordHasher(time_cost=2, memory_cost=8, parallelism=1))
    sign_in(fresh_db, nurse, WRONG, now=NOW)
    assert _pin_hash(fresh_db, nurse) == before


@pytest.mark.parametrize("damage", [lambda h: h[:-10], lambda h: "$argon2id$damaged", lambda h: "$argon2x" + h[9:]],
                         ids=["cut short", "not decodable", "unknown type"])  # fmt: skip
def test_a_damaged_pin_hash_is_explained_and_never_counts_as_a_wrong_pin(fresh_db, nurse, raw, damage):
    raw.execute("UPDATE nurses SET pin_hash = ? WHERE id = ?", [damage(_pin_hash(fresh_db, nurse)), nurse])
    assert _refusal(lambda: sign_in(fresh_db, nurse, PIN, now=NOW)) == (
        "The PIN stored for Ben Ode is damaged, so nobody can sign in as Ben Ode. An administrator can "
        "remove the account and add it again.")  # fmt: skip
    assert _row(fresh_db, nurse)["failed_attempts"] == 0


# --- the words of each refusal ---------------------------------------------------------------


class _NoOffset(tzinfo):
    """A time zone that does not know its offset."""

    def utcoffset(self, dt):
        return None


@pytest.mark.parametrize("now", [datetime(2026, 11, 25, 14, 0), datetime(2026, 11, 25, 14, 0, tzinfo=_NoOffset())],
                         ids=["naive", "zone without an offset"])  # fmt: skip
def test_now_without_an_offset_is_refused(fresh_db, nurse, now):
    with pytest.raises(ValueError) as refused:
        sign_in(fresh_db, nurse, PIN, now=now)
    assert str(refused.value) == "now must carry a time zone, e.g. datetime.now().astimezone()"


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", None, 1234])
def test_a_bad_pin_is_refused_saying_why(pin):
    assert _refusal(lambda: check_pin(pin)) == "A PIN is 4 to 8 digits, numbers only. Please choose another PIN."


@pytest.mark.parametrize("name, message", [("", "Type the nurse's name."), (None, "Type the nurse's name."),
                                           ("x" * 61, "A name can have at most 60 letters.")])  # fmt: skip
def test_a_bad_name_is_refused_saying_why(fresh_db, name, message):
    assert _refusal(lambda: create_nurse(fresh_db, name=name, pin=PIN, is_admin=True, by=None)) == message


def test_a_first_account_that_is_not_an_admin_is_refused_saying_why(fresh_db):
    assert _refusal(lambda: create_nurse(fresh_db, name="Ben Ode", pin=PIN, by=None)) == (
        "The first account must be an administrator.")  # fmt: skip


def test_a_second_first_admin_is_refused_saying_why(fresh_db, admin):
    assert _refusal(lambda: create_nurse(fresh_db, name="Ben Ode", pin=PIN, is_admin=True, by=None)) == (
        "There is already an administrator: an administrator must sign in to add a nurse.")  # fmt: skip


def test_a_taken_name_is_refused_saying_why(fresh_db, nurse):
    assert _refusal(lambda: create_nurse(fresh_db, name="BEN ODE", pin=PIN, by="Anna Lee")) == (
        "There is already a nurse called BEN ODE. Add something to tell them apart, such as an initial.")


@pytest.mark.parametrize("by, who", [("Ben Ode", "Ben Ode"), ("", "nobody"), ("  ", "  "), (7, "7")])
def test_only_an_admin_adds_saying_why(fresh_db, nurse, by, who):
    assert _refusal(lambda: create_nurse(fresh_db, name="Cy Dee", pin=PIN, by=by)) == (
        f"Only an administrator can add a nurse; {who} is not one.")  # fmt: skip


@pytest.mark.parametrize("by, who", [("Ben Ode", "Ben Ode"), ("", "nobody"), (None, "nobody")])
def test_only_an_admin_removes_saying_why(fresh_db, nurse, by, who):
    assert _refusal(lambda: remove_nurse(fresh_db, nurse, by=by)) == (
        f"Only an administrator can remove a nurse; {who} is not one.")  # fmt: skip
    assert _row(fresh_db, nurse)["active"] == 1


def test_an_admin_name_with_spaces_around_it_is_an_admin(fresh_db, nurse):
    remove_nurse(fresh_db, nurse, by="  anna lee ")
    assert _row(fresh_db, nurse)["active"] == 0


def test_the_last_admin_is_not_removed_saying_why(fresh_db, admin, nurse):
    assert _refusal(lambda: remove_nurse(fresh_db, admin, by="Anna Lee")) == (
        "Anna Lee is the last administrator and cannot be removed. Add another administrator first.")


@pytest.mark.parametrize("nurse_id", [99, 2], ids=["unknown", "removed"])
def test_removing_an_account_that_is_not_active_is_refused_saying_why(fresh_db, nurse, nurse_id):
    remove_nurse(fresh_db, nurse, by="Anna Lee")
    assert _refusal(lambda: remove_nurse(fresh_db, nurse_id, by="Anna Lee")) == (
        f"There is no active nurse account {nurse_id}; nothing was removed.")  # fmt: skip


# --- a database that cannot answer -----------------------------------------------------------


@pytest.fixture
def nurses_gone(fresh_db, nurse, raw):
    """The nurses table renamed away behind the kiosk's back: every query of it fails."""
    raw.execute("ALTER TABLE nurses RENAME TO nurses_gone")
    return raw.execute("PRAGMA database_list").fetchone()[2]


@pytest.mark.parametrize(
    "attempt, consequence",
    [(lambda db, n: sign_in(db, n, PIN, now=NOW), "the sign-in attempt was not recorded; try again"),
     (lambda db, n: remove_nurse(db, n, by="Anna Lee"), "the nurse account was not removed"),
     (lambda db, n: create_nurse(db, name="Cy Dee", pin=PIN, by="Anna Lee"), "the account for Cy Dee was not created")],
    ids=["sign in", "remove", "create"],
)  # fmt: skip
def test_a_failed_change_says_what_was_not_done(fresh_db, nurse, nurses_gone, attempt, consequence):
    assert _refusal(lambda: attempt(fresh_db, nurse)) == (
        f"The consent database {nurses_gone} refused the change (no such table: nurses): {consequence}.")


@pytest.mark.parametrize("read", [has_admin, list_nurses], ids=["has_admin", "list_nurses"])
def test_a_failed_read_names_the_database(fresh_db, nurses_gone, read):
    assert _refusal(lambda: read(fresh_db)) == f"The consent database {nurses_gone} cannot be read: no such table: nurses"
