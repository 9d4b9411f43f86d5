"""Nurse accounts: names, PINs kept only as Argon2 hashes, and the lockout.

A PIN is 4 to 8 digits. It is hashed with argon2-cffi's ``PasswordHasher`` (Argon2id, its
default cost) and never stored, logged or audited as it was typed. Five wrong PINs in a row
lock that account for five minutes; a right PIN resets the count.

What this protects: the screen. A 4-digit PIN has 10,000 possibilities, so someone who
copies the database file could try them all offline - the hash only makes each try slow.
The lockout stops guessing at the screen; the database file itself must stay readable only
by the kiosk's account.

Durability: every change, and every sign-in attempt, is committed together with its audit
entry before the call returns. Threading: call from the thread that opened the database.
Hashing a PIN takes about 0.1 s (measured on the development VM), so ``create_nurse`` and
``sign_in`` take that long; the database's write lock is held meanwhile, making
concurrent sign-ins to one account count one after the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kiosk.store.audit import append_entry
from kiosk.store.database import StoreError
from kiosk.store.transactions import reading, write_transaction

LOCK_AFTER = 5
LOCK_MINUTES = 5
NAME_MAX = 60

_HASHER = PasswordHasher()
_PIN = re.compile(r"[0-9]{4,8}")  # not \d: that would take Arabic-Indic digits too


@dataclass(frozen=True)
class SignIn:
    """The answer to one sign-in attempt.

    ``nurse`` is the account (as in ``list_nurses``) when ``ok``; ``locked_until`` is set
    while the account is locked (in the time zone of the ``now`` given); ``attempts_left``
    counts the wrong PINs still allowed before the lock (0 while locked).
    """

    ok: bool
    nurse: dict | None
    locked_until: datetime | None
    attempts_left: int


def has_admin(db: sqlite_utils.Database) -> bool:
    """True once an active administrator exists (before that, the station asks for one)."""
    with reading(db):
        return _admin_count(db) > 0


def create_nurse(
    db: sqlite_utils.Database,
    *,
    name: str,
    pin: str,
    is_admin: bool = False,
    by: str | None,
) -> int:
    """Add an account and return its id.

    ``by`` is the name of the active administrator adding it; ``None`` only for the very
    first account, which must be an administrator. Names are unique among active nurses,
    ignoring case. Audited as ``nurse_added`` (the PIN is not in the entry).

    Example::

        first = create_nurse(db, name="Anna Lee", pin="4821", is_admin=True, by=None)
        create_nurse(db, name="Ben Ode", pin="907315", by="Anna Lee")
    """
    name = _checked_name(name)
    check_pin(pin)
    pin_hash = _HASHER.hash(pin)
    with write_transaction(db, f"the account for {name} was not created"):
        if by is None:
            if _admin_count(db):
                raise StoreError(
                    "There is already an administrator: an administrator must sign in to "
                    "add a nurse."
                )
            if not is_admin:
                raise StoreError("The first account must be an administrator.")
        else:
            _require_admin(db, by, "add a nurse")
        if _active_id(db, name) is not None:
            raise StoreError(
                f"There is already a nurse called {name}. Add something to tell them "
                "apart, such as an initial."
            )
        nurse_id = db.conn.execute(
            "INSERT INTO nurses (name, pin_hash, is_admin, created_at, created_by)"
            " VALUES (?, ?, ?, ?, ?)",
            [name, pin_hash, int(bool(is_admin)), _now_text(), by],
        ).lastrowid
        append_entry(
            db,
            actor=by or name,
            action="nurse_added",
            detail={"nurse_id": nurse_id, "name": name, "is_admin": bool(is_admin)},
        )
    return nurse_id


def remove_nurse(db: sqlite_utils.Database, nurse_id: int, *, by: str) -> None:
    """Mark an account inactive (it is never deleted: the audit trail names it).

    ``by`` must be an active administrator. The last active administrator cannot be
    removed. Audited as ``nurse_removed``.
    """
    with write_transaction(db, "the nurse account was not removed"):
        _require_admin(db, by, "remove a nurse")
        row = db.conn.execute(
            "SELECT name, is_admin FROM nurses WHERE id = ? AND active = 1", [nurse_id]
        ).fetchone()
        if row is None:
            raise StoreError(f"There is no active nurse account {nurse_id}; nothing was removed.")
        name, is_admin = row
        if is_admin and _admin_count(db) == 1:
            raise StoreError(
                f"{name} is the last administrator and cannot be removed. Add another "
                "administrator first."
            )
        db.conn.execute(
            "UPDATE nurses SET active = 0, removed_at = ?, removed_by = ? WHERE id = ?",
            [_now_text(), by, nurse_id],
        )
        append_entry(
            db, actor=by, action="nurse_removed", detail={"nurse_id": nurse_id, "name": name}
        )


def set_admin(db: sqlite_utils.Database, nurse_id: int, is_admin: bool, *, by: str) -> None:
    """Make an active nurse an administrator, or take that away; ``by`` must be an active
    administrator. The last active administrator can never be demoted. Audited as
    ``nurse_made_admin`` / ``nurse_admin_removed``; asking for what already is writes nothing.
    """
    what = "make a nurse an administrator" if is_admin else "take administrator rights away"
    with write_transaction(db, "the administrator rights were not changed"):
        _require_admin(db, by, what)
        name, was_admin = _active_account(db, nurse_id, "changed")
        if bool(was_admin) == bool(is_admin):
            return
        if not is_admin and _admin_count(db) == 1:
            raise StoreError(
                f"{name} is the last administrator, so their administrator rights stay. "
                "Make another nurse an administrator first."
            )
        db.conn.execute("UPDATE nurses SET is_admin = ? WHERE id = ?", [int(bool(is_admin)), nurse_id])
        append_entry(
            db, actor=by, action="nurse_made_admin" if is_admin else "nurse_admin_removed",
            detail={"nurse_id": nurse_id, "name": name},
        )  # fmt: skip


def unlock_nurse(db: sqlite_utils.Database, nurse_id: int, *, by: str, now: datetime) -> bool:
    """End an account's lockout (five wrong PINs) before its time; ``by`` must be an active
    administrator. True if it was locked at ``now`` (timezone-aware) and is unlocked now,
    audited as ``nurse_unlocked``; False (and nothing written) if it was not locked."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must carry a time zone, e.g. datetime.now().astimezone()")
    with write_transaction(db, "the account was not unlocked"):
        _require_admin(db, by, "unlock an account")
        name, _ = _active_account(db, nurse_id, "unlocked")
        locked = db.conn.execute(
            "SELECT locked_until FROM nurses WHERE id = ?", [nurse_id]
        ).fetchone()[0]
        until = _as_time(locked, now)
        if until is None or until <= now:
            return False
        db.conn.execute(
            "UPDATE nurses SET locked_until = NULL, failed_attempts = 0 WHERE id = ?", [nurse_id]
        )
        append_entry(
            db, actor=by, action="nurse_unlocked", at=now.isoformat(),
            detail={"nurse_id": nurse_id, "name": name, "was_locked_until": until.isoformat()},
        )  # fmt: skip
    return True


ACTOR_PREFIX = "nurse:"


def actor_for(nurse_id: int) -> str:
    """How an account is named as an actor (audit ``actor``, ``identity_checked_by``...):
    "nurse:<id>", so a renamed or removed nurse stays the same person. Entries written
    before this (a display name) stay as they were; ``actor_names`` shows both."""
    return f"{ACTOR_PREFIX}{int(nurse_id)}"


def account_id(actor: Any) -> int | None:
    """The account id in an actor written by ``actor_for``; None for anything else."""
    if isinstance(actor, str) and actor.startswith(ACTOR_PREFIX):
        rest = actor[len(ACTOR_PREFIX):]
        if rest.isascii() and rest.isdigit():
            return int(rest)
    return None


def actor_names(db: sqlite_utils.Database) -> dict[str, str]:
    """"nurse:<id>" -> the account's name, for every account ever made (removed ones too:
    the trail still names them)."""
    with reading(db):
        rows = db.conn.execute("SELECT id, name FROM nurses").fetchall()
    return {actor_for(nurse_id): name for nurse_id, name in rows}


def _active_account(db: sqlite_utils.Database, nurse_id: Any, what: str) -> tuple[str, int]:
    row = db.conn.execute(
        "SELECT name, is_admin FROM nurses WHERE id = ? AND active = 1", [nurse_id]
    ).fetchone()
    if row is None:
        raise StoreError(f"There is no active nurse account {nurse_id}; nothing was {what}.")
    return row


def list_nurses(db: sqlite_utils.Database) -> list[dict]:
    """Active accounts sorted by name: ``{"id", "name", "is_admin", "locked_until"}``.

    ``locked_until`` is a datetime or None. It is the last lock set and may lie in the
    past: compare it with the time now before showing an account as locked.
    """
    with reading(db):
        rows = db.conn.execute(
            "SELECT id, name, is_admin, locked_until FROM nurses WHERE active = 1"
            " ORDER BY name COLLATE NOCASE, id"
        ).fetchall()
    return [_nurse(*row) for row in rows]


def sign_in(db: sqlite_utils.Database, nurse_id: int, pin: str, *, now: datetime) -> SignIn:
    """Check a nurse's PIN at time ``now`` (timezone-aware); every attempt is audited.

    Outcomes: right PIN -> ok, count reset (``sign_in``); wrong PIN -> not ok, one attempt
    fewer, and the fifth in a row locks the account for ``LOCK_MINUTES``
    (``sign_in_failed``); any PIN while locked, even the right one -> not ok with
    ``locked_until`` (``sign_in_locked``). An account removed meanwhile raises
    ``StoreError`` (after auditing the attempt).

    Example::

        result = sign_in(db, nurse["id"], "4821", now=datetime.now().astimezone())
        if result.locked_until: ...  # "locked until 14:05"
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must carry a time zone, e.g. datetime.now().astimezone()")
    at = now.isoformat()
    with write_transaction(db, "the sign-in attempt was not recorded; try again"):
        row = db.conn.execute(
            "SELECT name, is_admin, pin_hash, failed_attempts, locked_until FROM nurses"
            " WHERE id = ? AND active = 1",
            [nurse_id],
        ).fetchone()
        if row is None:
            append_entry(
                db, actor=actor_for(nurse_id), action="sign_in_failed", at=at,
                detail={"nurse_id": nurse_id, "reason": "no such active account"},
            )  # fmt: skip
        else:
            return _attempt(db, nurse_id, row, pin, now)
    raise StoreError("This nurse account no longer exists. Tap your name again.")


def check_pin(pin: Any) -> None:
    """StoreError unless ``pin`` is 4 to 8 digits."""
    if not isinstance(pin, str) or not _PIN.fullmatch(pin):
        raise StoreError("A PIN is 4 to 8 digits, numbers only. Please choose another PIN.")


def _attempt(
    db: sqlite_utils.Database, nurse_id: int, row: tuple, pin: Any, now: datetime
) -> SignIn:
    """The sign-in decision, inside sign_in's transaction."""
    name, is_admin, pin_hash, failed, locked_text = row
    at = now.isoformat()
    locked_until = _as_time(locked_text, now)
    if locked_until is not None and locked_until > now:
        append_entry(
            db, actor=actor_for(nurse_id), action="sign_in_locked", at=at,
            detail={"nurse_id": nurse_id, "locked_until": locked_until.isoformat()},
        )  # fmt: skip
        return SignIn(False, None, locked_until, 0)
    if _pin_matches(pin_hash, pin, name):
        new_hash = _HASHER.hash(pin) if _HASHER.check_needs_rehash(pin_hash) else pin_hash
        db.conn.execute(
            "UPDATE nurses SET failed_attempts = 0, locked_until = NULL, pin_hash = ?"
            " WHERE id = ?",
            [new_hash, nurse_id],
        )
        append_entry(db, actor=actor_for(nurse_id), action="sign_in", at=at, detail={"nurse_id": nurse_id})
        return SignIn(True, _nurse(nurse_id, name, is_admin, None), None, LOCK_AFTER)
    failed += 1
    detail: dict[str, Any] = {"nurse_id": nurse_id}
    if failed >= LOCK_AFTER:
        # The count starts again after the lock: five more tries once it has passed.
        locked_until, failed = now + timedelta(minutes=LOCK_MINUTES), 0
        detail["locked_until"] = locked_until.isoformat()
    else:
        locked_until = None
        detail["attempts_left"] = LOCK_AFTER - failed
    db.conn.execute(
        "UPDATE nurses SET failed_attempts = ?, locked_until = ? WHERE id = ?",
        [failed, locked_until.isoformat() if locked_until else None, nurse_id],
    )
    append_entry(db, actor=actor_for(nurse_id), action="sign_in_failed", at=at, detail=detail)
    return SignIn(False, None, locked_until, 0 if locked_until else LOCK_AFTER - failed)


def _pin_matches(pin_hash: str, pin: Any, name: str) -> bool:
    if not isinstance(pin, str):
        return False
    try:
        return _HASHER.verify(pin_hash, pin)
    except VerifyMismatchError:
        return False
    # A hash that cannot be decoded (cut short, a character changed) raises VerificationError
    # rather than InvalidHashError: it must not pass for a wrong PIN and lock the nurse out.
    except (InvalidHashError, VerificationError) as exc:
        raise StoreError(
            f"The PIN stored for {name} is damaged, so nobody can sign in as {name}. "
            "An administrator can remove the account and add it again."
        ) from exc


def _nurse(nurse_id: int, name: str, is_admin: int, locked_until: str | None) -> dict:
    return {
        "id": nurse_id,
        "name": name,
        "is_admin": bool(is_admin),
        "locked_until": _as_time(locked_until),
    }


def _as_time(text: str | None, like: datetime | None = None) -> datetime | None:
    """A stored ISO time as a datetime (in ``like``'s time zone when given)."""
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    return value.astimezone(like.tzinfo) if like is not None else value


def _admin_count(db: sqlite_utils.Database) -> int:
    return db.conn.execute(
        "SELECT count(*) FROM nurses WHERE active = 1 AND is_admin = 1"
    ).fetchone()[0]


def _active_id(db: sqlite_utils.Database, name: str) -> int | None:
    row = db.conn.execute(
        "SELECT id FROM nurses WHERE active = 1 AND name = ? COLLATE NOCASE", [name]
    ).fetchone()
    return row[0] if row else None


def _require_admin(db: sqlite_utils.Database, by: Any, what: str) -> None:
    """``by``: an administrator's actor ("nurse:<id>", see ``actor_for``) or, as the nurse
    pages still pass it, their name."""
    row = None
    nurse_id = account_id(by)
    if nurse_id is not None:
        row = db.conn.execute(
            "SELECT 1 FROM nurses WHERE active = 1 AND is_admin = 1 AND id = ?", [nurse_id]
        ).fetchone()
    elif isinstance(by, str) and by.strip():
        row = db.conn.execute(
            "SELECT 1 FROM nurses WHERE active = 1 AND is_admin = 1 AND name = ? COLLATE NOCASE",
            [by.strip()],
        ).fetchone()
    if row is None:
        raise StoreError(f"Only an administrator can {what}; {by or 'nobody'} is not one.")


def _checked_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise StoreError("Type the nurse's name.")
    name = " ".join(name.split())
    if len(name) > NAME_MAX:
        raise StoreError(f"A name can have at most {NAME_MAX} letters.")
    return name


def _now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
