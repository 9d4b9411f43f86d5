"""One write transaction that takes the database's write lock up front; reading with
plain messages.

Why ``BEGIN IMMEDIATE``: every nurse-station change appends to the audit chain, and an entry's
hash depends on the entry before it. Two connections (the kiosk and the nurse station, say)
that both read the newest entry and then write would fork the chain. Taking the write lock
before reading makes the read-then-append one step; a second writer waits (up to sqlite3's
5-second busy timeout) instead of failing half-way.

Durability and threading are the database's (see ``kiosk.store.database``): a commit is on
disk when ``write_transaction`` returns; use it from the thread that opened the database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import sqlite_utils

from kiosk.store.database import (
    StoreError,
    database_file,
    explain_database_failure,
    require_no_open_transaction,
)


@contextmanager
def write_transaction(db: sqlite_utils.Database, consequence: str) -> Iterator[None]:
    """Run the block in one ``BEGIN IMMEDIATE`` transaction; commit when it ends.

    ``consequence`` finishes the sentence of a failure ("the identity check was not
    stored"). A sqlite3 error anywhere (including the commit) rolls everything back and
    becomes a ``StoreError`` with a plain message; any other exception rolls back and
    passes through unchanged.

    Example::

        with write_transaction(db, "the consent was not marked void"):
            db.execute("UPDATE consents SET void = 1 WHERE document_id = ?", [document_id])
            append_entry(db, actor=nurse, action="voided", document_id=document_id)
    """
    require_no_open_transaction(db, "A nurse-station change")
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise StoreError(explain_database_failure(db, exc, consequence)) from exc
    try:
        yield
        db.conn.execute("COMMIT")
    except BaseException as exc:
        if db.conn.in_transaction:
            with suppress(sqlite3.Error):  # never mask the error that got us here
                db.conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise StoreError(explain_database_failure(db, exc, consequence)) from exc
        raise


@contextmanager
def reading(db: sqlite_utils.Database) -> Iterator[None]:
    """Turn a failed read inside the block into a StoreError naming the database file."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(
            f"The consent database {database_file(db)} cannot be read: {exc}"
        ) from exc
