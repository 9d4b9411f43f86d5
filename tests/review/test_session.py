"""Sign-in gives the nurse's own ReviewContext; wrong PINs and the lock say so kindly."""

from __future__ import annotations

import pytest

from kiosk.review import ReviewError
from kiosk.review.session import sign_in, sign_out
from kiosk.store.nurses import LOCK_AFTER
from tests.review.conftest import SETTINGS


def _sign_in(data, clock, nurse_id, pin):
    return sign_in(data[1], nurse_id, pin, settings=SETTINGS, data_dir=data[0], now=clock)


def test_the_right_pin_gives_the_nurses_own_context(data, clock):
    result = _sign_in(data, clock, data[4], "1357")
    assert result.context is not None and result.message == ""
    assert (result.context.account.id, result.context.account.name, result.context.account.is_admin) == (
        data[4], "Ben Ode", False)
    assert result.context.data_dir == data[0] and result.context.now is clock


def test_a_wrong_pin_says_how_many_tries_are_left(data, clock):
    result = _sign_in(data, clock, data[4], "0000")
    assert result.context is None
    assert result.message == f"That PIN is not right. {LOCK_AFTER - 1} tries left before the account locks for five minutes."


def test_the_lock_says_until_when_and_who_can_help(data, clock):
    for _ in range(LOCK_AFTER - 1):
        _sign_in(data, clock, data[4], "0000")
    assert "locked until 15:05" in _sign_in(data, clock, data[4], "0000").message
    assert "an administrator can unlock it" in _sign_in(data, clock, data[4], "1357").message


def test_no_name_chosen(data, clock):
    assert _sign_in(data, clock, None, "1357").message == "Tap your name first."


def test_a_removed_account_is_a_review_error(data, clock, ctx):
    from kiosk.review.accounts import remove_account

    remove_account(ctx, data[4])
    with pytest.raises(ReviewError, match="no longer exists"):
        _sign_in(data, clock, data[4], "1357")


def test_sign_out_is_audited_as_the_account(ctx, entries):
    sign_out(ctx)
    [entry] = entries("sign_out")
    assert entry["actor"] == f"nurse:{ctx.account.id}"


# ----- before anyone signs in (StationContext) --------------------------------------------------

def _station(db, folder, clock):
    from kiosk.review.session import station_context

    return station_context(db, settings=SETTINGS, data_dir=folder, now=clock)


def test_the_station_lists_the_accounts_and_signs_in_with_what_it_knows(data, clock):
    from kiosk.review.session import accounts_to_sign_in, needs_first_administrator, sign_in_as

    station = _station(data[1], data[0], clock)
    assert not needs_first_administrator(station)
    assert [a.name for a in accounts_to_sign_in(station)] == ["Ben Ode", "Nora Nurse"]
    result = sign_in_as(station, data[3], "2468")
    assert result.context.account.name == "Nora Nurse" and result.context.account.is_admin
    assert sign_in_as(station, None, "2468").message == "Tap your name first."


def test_the_first_administrator_is_set_up_only_while_there_is_none(tmp_path, clock):
    from kiosk.review.session import create_first_administrator, needs_first_administrator
    from kiosk.store import open_database

    with open_database(tmp_path / "kiosk.db") as db:
        station = _station(db, tmp_path, clock)
        assert needs_first_administrator(station)
        with pytest.raises(ReviewError):
            create_first_administrator(station, "Nora Nurse", "12")  # a PIN has 4 to 8 digits
        context = create_first_administrator(station, "Nora Nurse", "2468")
        assert context.account.is_admin and context.account.name == "Nora Nurse"
        assert not needs_first_administrator(station)
        with pytest.raises(ReviewError, match="Only an administrator"):
            create_first_administrator(station, "Mallory", "1111")
