"""Accounts through the review layer: only administrators change them, every change audited
as the administrator's account; grant, unlock, and the last administrator always stays."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.review import ReviewError
from kiosk.review.accounts import (
    create_account,
    grant_administrator,
    list_accounts,
    remove_account,
    set_administrator,
    unlock_account,
)
from kiosk.store.nurses import LOCK_AFTER, sign_in


def test_an_administrator_adds_a_nurse_audited_as_their_account(ctx, entries):
    nurse_id, message = create_account(ctx, "Cara Dunn", "9753")
    assert message == "Cara Dunn can now sign in."
    assert [a.name for a in list_accounts(ctx)] == ["Ben Ode", "Cara Dunn", "Nora Nurse"]
    entry = entries("nurse_added")[-1]
    assert entry["actor"] == f"nurse:{ctx.account.id}" and entry["detail"]["nurse_id"] == nurse_id


def test_a_nurse_who_is_not_an_administrator_changes_no_account(make_ctx, data, audit_count):
    ben = make_ctx(data[4])
    before = audit_count()
    for change in (lambda: create_account(ben, "Cara Dunn", "9753"), lambda: remove_account(ben, data[3]),
                   lambda: grant_administrator(ben, data[4]), lambda: unlock_account(ben, data[3])):
        with pytest.raises(ReviewError, match="Only an administrator"):
            change()
    assert audit_count() == before


def test_granting_administrator_is_stored_and_audited(ctx, data, entries, make_ctx):
    assert grant_administrator(ctx, data[4]) == "Ben Ode is now an administrator."
    assert {a.name: a.is_admin for a in list_accounts(ctx)} == {"Ben Ode": True, "Nora Nurse": True}
    [entry] = entries("nurse_made_admin")
    assert entry["actor"] == f"nurse:{ctx.account.id}" and entry["detail"] == {"nurse_id": data[4], "name": "Ben Ode"}
    create_account(make_ctx(data[4]), "Cara Dunn", "9753")  # Ben can manage accounts now


def test_a_demoted_administrator_whose_screen_still_says_admin_is_refused_by_the_store(ctx, data, make_ctx):
    grant_administrator(ctx, data[4])
    ben = make_ctx(data[4])  # signed in as an administrator
    set_administrator(ctx, data[4], False)  # ... and demoted meanwhile, on another station
    with pytest.raises(ReviewError, match="Only an administrator"):
        create_account(ben, "Cara Dunn", "9753")


def test_the_last_administrator_can_never_be_removed_or_demoted(ctx, data, audit_count):
    before = audit_count()
    with pytest.raises(ReviewError, match="Nora Nurse is the last administrator and cannot be removed"):
        remove_account(ctx, data[3])
    with pytest.raises(ReviewError, match="Nora Nurse is the last administrator, so their administrator rights stay"):
        set_administrator(ctx, data[3], False)
    assert audit_count() == before
    assert [a.is_admin for a in list_accounts(ctx) if a.name == "Nora Nurse"] == [True]


def test_with_a_second_administrator_the_first_can_step_down(ctx, data, entries):
    grant_administrator(ctx, data[4])
    assert set_administrator(ctx, data[3], False) == "Nora Nurse is no longer an administrator."
    assert entries("nurse_admin_removed")[0]["detail"]["nurse_id"] == data[3]


def test_removing_a_nurse_keeps_them_out_and_is_audited(ctx, data, entries):
    assert remove_account(ctx, data[4]) == "Ben Ode can no longer sign in."
    assert [a.name for a in list_accounts(ctx)] == ["Nora Nurse"]
    assert entries("nurse_removed")[0]["actor"] == f"nurse:{ctx.account.id}"


def test_an_administrator_unlocks_a_locked_account_and_the_nurse_signs_in(ctx, data, clock, entries):
    db, ben = data[1], data[4]
    for _ in range(LOCK_AFTER):
        sign_in(db, ben, "0000", now=clock())
    assert sign_in(db, ben, "1357", now=clock()).locked_until is not None  # locked: even the right PIN fails
    [row] = [a for a in list_accounts(ctx) if a.id == ben]
    assert row.locked
    assert unlock_account(ctx, ben) == "Ben Ode can sign in again."
    assert sign_in(db, ben, "1357", now=clock()).ok
    [entry] = entries("nurse_unlocked")
    assert entry["actor"] == f"nurse:{ctx.account.id}" and entry["detail"]["nurse_id"] == ben


def test_unlocking_an_account_that_is_not_locked_writes_nothing(ctx, data, audit_count, clock):
    db, ben = data[1], data[4]
    for _ in range(LOCK_AFTER):
        sign_in(db, ben, "0000", now=clock())
    clock.now += timedelta(minutes=6)  # the lock has run out by itself
    assert not [a for a in list_accounts(ctx) if a.locked]
    before = audit_count()
    assert unlock_account(ctx, ben) == "Ben Ode's account is not locked."
    assert audit_count() == before
