"""Opening the consent database and keeping its schema up to date.

Durability: the database runs in WAL mode with ``synchronous=FULL``. A consent is a legal
record, so a commit must be on disk when it returns: with ``NORMAL`` (WAL's usual setting) a
power cut can lose the last commits even though the kiosk already told the patient
"your consent is saved". ``FULL`` costs one more fsync per commit - a few milliseconds.
WAL lets a nurse station read while the kiosk writes.

Threading: a ``Database`` belongs to the thread that opened it (Python's sqlite3 refuses to
use a connection from another thread). The kiosk opens it on the UI thread and calls the
store from there; every store call is one short transaction (see ``archive_consent`` for the
measured time).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from kiosk.store.files import explain_write_failure, make_folders_durably


class StoreError(Exception):
    """The store could not do what was asked.

    The message is plain English for a nurse or IT ("The consent folder /x cannot be
    written to: Permission denied"); ``__cause__`` is the original OSError or sqlite3 error.
    """


MIGRATIONS = Migrations("kiosk_store")
_KNOWN_STEPS: set[str] = set()


def _schema_step(step):
    """Register a numbered migration; each runs in its own transaction, once."""
    _KNOWN_STEPS.add(step.__name__)
    return MIGRATIONS()(step)


@_schema_step
def m001_consents_answers_help_requests(db: sqlite_utils.Database) -> None:
    # The record_json column is the legal record; every other column is a copy made for
    # searching and counting. So columns copied from the record are nullable: a missing
    # field must never stop a consent from being saved.
    db.execute(
        """
        CREATE TABLE consents (
            document_id TEXT PRIMARY KEY NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            saved_at TEXT NOT NULL,
            outcome TEXT NOT NULL
                CHECK (outcome IN ('consented', 'questions', 'declined', 'abandoned')),
            patient_name TEXT,
            patient_dob TEXT,
            representative_name TEXT,
            representative_relationship TEXT,
            signer_name TEXT,
            signed_at TEXT,
            language TEXT,
            content_id TEXT,
            content_version TEXT,
            content_sha256 TEXT,
            pdf_path TEXT,
            pdf_sha256 TEXT,
            pdf_size INTEGER,
            flags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(flags)),
            needs_doctor_count INTEGER NOT NULL DEFAULT 0,
            help_requested INTEGER NOT NULL DEFAULT 0,
            record_json TEXT NOT NULL CHECK (json_valid(record_json)),
            review_state TEXT NOT NULL DEFAULT 'new',
            CHECK (outcome = 'abandoned'
                   OR (pdf_path IS NOT NULL AND pdf_sha256 IS NOT NULL AND pdf_size IS NOT NULL))
        )
        """
    )
    for column in (
        "finished_at",
        "saved_at",
        "outcome",
        "review_state",
        "patient_name",
    ):
        db.execute(f"CREATE INDEX consents_{column} ON consents ({column})")
    db.execute(
        """
        CREATE TABLE answers (
            document_id TEXT NOT NULL REFERENCES consents (document_id),
            position INTEGER NOT NULL,
            question_id TEXT,
            first_try_correct INTEGER,
            attempts INTEGER NOT NULL,
            status TEXT,
            PRIMARY KEY (document_id, position)
        )
        """
    )
    db.execute("CREATE INDEX answers_question_id ON answers (question_id)")
    db.execute(
        """
        CREATE TABLE help_requests (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            at TEXT NOT NULL,
            step_id TEXT NOT NULL,
            acknowledged_at TEXT,
            acknowledged_by TEXT
        )
        """
    )
    db.execute("CREATE INDEX help_requests_session_id ON help_requests (session_id)")
    db.execute(
        "CREATE INDEX help_requests_acknowledged_at ON help_requests (acknowledged_at)"
    )


def open_database(path: Path) -> sqlite_utils.Database:
    """Open (or create) the consent database at ``path``, ready to use.

    Creates the parent folder, checks the file is a healthy SQLite database, turns on WAL,
    ``synchronous=FULL`` and foreign keys, and applies pending migrations (re-running is a
    no-op). A file that is not a database, is damaged, or was made by a newer kiosk raises
    ``StoreError`` and is left exactly as it was: it is never recreated over.

    The returned database must be used from the thread that opened it.
    """
    path = Path(path)
    try:
        make_folders_durably(path.parent)
    except OSError as exc:
        raise StoreError(
            explain_write_failure("the database folder", path.parent, exc)
        ) from exc
    if path.exists() and not path.is_file():
        raise StoreError(
            f"The consent database {path} is not a file. Check the database setting."
        )
    try:
        db = sqlite_utils.Database(path, execute_plugins=False)
    except sqlite3.Error as exc:
        raise StoreError(
            f"The consent database {path} cannot be opened: {exc}"
        ) from exc
    try:
        _check_healthy(db, path)
        _configure(db, path)
        _migrate(db, path)
    except BaseException:
        db.close()
        raise
    return db


def _check_healthy(db: sqlite_utils.Database, path: Path) -> None:
    # Read before anything writes: a damaged file must be reported, not "repaired".
    advice = "It has been left as it is: ask IT to restore it from a backup."
    try:
        problems = [row["quick_check"] for row in db.query("PRAGMA quick_check")]
    except sqlite3.Error as exc:
        raise StoreError(
            f"The consent database {path} cannot be read ({exc}). {advice}"
        ) from exc
    if problems != ["ok"]:
        raise StoreError(
            f"The consent database {path} is damaged ({problems[0]}). {advice}"
        )


def _configure(db: sqlite_utils.Database, path: Path) -> None:
    try:
        db.enable_wal()
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        journal_mode = db.journal_mode
    except sqlite3.Error as exc:
        raise StoreError(
            f"The consent database {path} cannot be written to: {exc}"
        ) from exc
    if journal_mode != "wal":
        raise StoreError(
            f"The consent database {path} cannot use write-ahead logging (it is in "
            f"{journal_mode!r} mode); keep the database on a local disk."
        )


def _migrate(db: sqlite_utils.Database, path: Path) -> None:
    try:
        newer = {step.name for step in MIGRATIONS.applied(db)} - _KNOWN_STEPS
        if newer:
            raise StoreError(
                f"The consent database {path} was updated by a newer version of the kiosk "
                f"software ({', '.join(sorted(newer))}). Update this kiosk before using it."
            )
        MIGRATIONS.apply(db)
    except sqlite3.Error as exc:
        raise StoreError(
            f"The consent database {path} could not be prepared: {exc}"
        ) from exc


def database_file(db: sqlite_utils.Database) -> str:
    """The database's file name, for messages; never raises."""
    try:
        for row in db.query("PRAGMA database_list"):
            if row["name"] == "main":
                return row["file"] or "(in memory)"
    except sqlite3.Error:
        pass
    return "(file unknown)"


def explain_database_failure(
    db: sqlite_utils.Database, exc: sqlite3.Error, consequence: str
) -> str:
    """A sentence for a nurse or IT about a failed write, ending with its ``consequence``
    (e.g. "consent … was not saved; try again")."""
    file = database_file(db)
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF  # primary result code
    if code == sqlite3.SQLITE_FULL:
        return f"The disk holding the consent database {file} is full ({exc}): {consequence}."
    if code in (
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_PERM,
    ):
        return (
            f"The consent database {file} cannot be written to ({exc}): {consequence}."
        )
    return f"The consent database {file} refused the change ({exc}): {consequence}."


def require_no_open_transaction(db: sqlite_utils.Database, action: str) -> None:
    """Refuse to run inside a caller's transaction: our commit would then not be a commit,
    and "saved" would be a lie until (and unless) the caller commits."""
    if db.conn.in_transaction:
        raise StoreError(
            f"{action} was asked while another database transaction was open; "
            "nothing was saved. (Programming error: call it outside db.atomic().)"
        )
