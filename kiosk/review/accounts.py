"""Nurse accounts, for administrators: add, remove, make administrator, unlock. No Qt here.

Each change is done by the signed-in account (``ctx.account``), which must be an active
administrator - checked again by the store inside the change's transaction, so an account
demoted a moment ago on another station cannot act - and is audited as that account
("nurse:<id>"). The last administrator can never be removed or demoted: somebody must always
be able to manage the accounts.

Threading: call from the thread that opened ``ctx.db``. ``create_account`` hashes the PIN
(Argon2, about 0.1 s); the others take milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.review.context import ReviewContext
from kiosk.review.rows import ReviewError, through_store
from kiosk.store import nurses as store_nurses


@dataclass(frozen=True)
class AccountRow:
    """One account on the accounts page: whether it is an administrator, and locked now."""

    id: int
    name: str
    is_admin: bool
    locked_until: datetime | None  # set only while the lock lasts

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


def list_accounts(ctx: ReviewContext) -> list[AccountRow]:
    """Active accounts, sorted by name; ``locked_until`` only for a lock that lasts now."""
    now = ctx.now()
    rows = []
    for nurse in store_nurses.list_nurses(ctx.db):
        until = nurse["locked_until"]
        if until is not None and until.astimezone(now.tzinfo) <= now:
            until = None
        rows.append(AccountRow(nurse["id"], nurse["name"], nurse["is_admin"], until))
    return rows


def create_account(ctx: ReviewContext, name: str, pin: str, *, is_admin: bool = False) -> tuple[int, str]:
    """Add a nurse (name unique among active nurses; PIN 4 to 8 digits): (id, message)."""
    _require_admin(ctx)
    nurse_id = through_store(store_nurses.create_nurse, ctx.db, name=name, pin=pin, is_admin=is_admin,
                       by=ctx.account.actor)
    return nurse_id, ctx.texts("message.account_added", name=_name(ctx, nurse_id))


def remove_account(ctx: ReviewContext, account_id: int) -> str:
    """Mark an account inactive (never deleted: the trail names it). Never the last admin."""
    _require_admin(ctx)
    row = _account(ctx, account_id)
    admins = [a for a in list_accounts(ctx) if a.is_admin]
    if row.is_admin and len(admins) == 1:
        raise ReviewError(ctx.texts("message.last_admin_remove", name=row.name))
    through_store(store_nurses.remove_nurse, ctx.db, account_id, by=ctx.account.actor)
    return ctx.texts("message.account_removed", name=row.name)


def set_administrator(ctx: ReviewContext, account_id: int, is_admin: bool = True) -> str:
    """Make a nurse an administrator (or, ``is_admin=False``, take it away - never from the
    last administrator). Audited as ``nurse_made_admin`` / ``nurse_admin_removed``."""
    _require_admin(ctx)
    row = _account(ctx, account_id)
    if not is_admin and row.is_admin and len([a for a in list_accounts(ctx) if a.is_admin]) == 1:
        raise ReviewError(ctx.texts("message.last_admin_demote", name=row.name))
    through_store(store_nurses.set_admin, ctx.db, account_id, is_admin, by=ctx.account.actor)
    return ctx.texts("message.made_admin" if is_admin else "message.admin_removed", name=row.name)


def grant_administrator(ctx: ReviewContext, account_id: int) -> str:
    """Make a nurse an administrator (``set_administrator(..., True)``)."""
    return set_administrator(ctx, account_id, True)


def unlock_account(ctx: ReviewContext, account_id: int) -> str:
    """End a lockout (five wrong PINs) now; audited as ``nurse_unlocked``. An account that is
    not locked is left as it is (nothing written) and the message says so."""
    _require_admin(ctx)
    row = _account(ctx, account_id)
    if not through_store(store_nurses.unlock_nurse, ctx.db, account_id, by=ctx.account.actor, now=ctx.now()):
        return ctx.texts("message.not_locked", name=row.name)
    return ctx.texts("message.unlocked", name=row.name)


def _require_admin(ctx: ReviewContext) -> None:
    if not ctx.account.is_admin:
        raise ReviewError(ctx.texts("message.only_admin"))


def _account(ctx: ReviewContext, account_id: int) -> AccountRow:
    found = next((a for a in list_accounts(ctx) if a.id == account_id), None)
    if found is None:
        raise ReviewError(f"There is no active nurse account {account_id}; nothing was changed.")
    return found


def _name(ctx: ReviewContext, account_id: int) -> str:
    return store_nurses.actor_names(ctx.db).get(store_nurses.actor_for(account_id), "")

