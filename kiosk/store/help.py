"""Recording that a patient pressed "Call a nurse".

Durability rule: the request is committed (``synchronous=FULL``) before
``record_help_request`` returns - long before the consent itself is saved, and whether or
not it ever is. One small transaction, a few milliseconds: fine on the UI thread (the thread
that opened the database).
"""

from __future__ import annotations

import sqlite_utils

from kiosk.store.database import StoreError
from kiosk.store.transactions import write_transaction


def record_help_request(
    db: sqlite_utils.Database, *, session_id: str, at: str, step_id: str
) -> None:
    """Store one press of "Call a nurse" during session ``session_id`` (the consent's
    document id), at time ``at`` (ISO 8601 with offset), on step ``step_id``.

    Example::

        record_help_request(db, session_id=record["document_id"],
                            at="2026-11-25T14:05:00+00:00", step_id="risks_leak")
    """
    for name, value in (("session_id", session_id), ("at", at), ("step_id", step_id)):
        if not isinstance(value, str) or not value.strip():
            raise StoreError(
                f"The call for a nurse could not be recorded: no {name} was given."
            )
    with write_transaction(db, "the call for a nurse was not recorded"):
        db.conn.execute(
            "INSERT INTO help_requests (session_id, at, step_id) VALUES (?, ?, ?)",
            [session_id, at, step_id],
        )


def list_help_requests(db: sqlite_utils.Database, *, open_only: bool = False) -> list[dict]:
    """Calls for a nurse, newest first; `open_only` keeps those nobody has acknowledged."""
    where = "where acknowledged_at is null" if open_only else ""
    return list(db.query(f"select * from help_requests {where} order by at desc, id desc"))
