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

import os
import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from kiosk.store.files import explain_write_failure, fsync_file, fsync_folder, make_folders_durably


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


# Review columns: copies of what the nurse station did, for the queue. The audit_log holds
# who did what and when; these columns hold the current state.
_REVIEW_COLUMNS = (
    "mrn TEXT",
    "identity_checked_by TEXT",
    "identity_checked_at TEXT",
    "countersigned_pdf_path TEXT",
    "countersigned_pdf_sha256 TEXT",
    "countersigned_by TEXT",
    "countersigned_role TEXT",
    "countersigned_at TEXT",
    "countersignature_json TEXT"
    " CHECK (countersignature_json IS NULL OR json_valid(countersignature_json))",
    "void INTEGER NOT NULL DEFAULT 0",
    "void_reason TEXT",
    "voided_by TEXT",
    "voided_at TEXT",
)

# The queue sorts on the session's time: when it finished, else (abandoned) when it started.
# Every queue index leads with, or follows its key with, exactly this expression.
QUEUE_TIME = "coalesce(finished_at, started_at)"


@_schema_step
def m002_nurse_station(db: sqlite_utils.Database) -> None:
    """Review columns on consents, the queue's indexes and name search, nurse accounts and
    the append-only audit trail."""
    for column in _REVIEW_COLUMNS:
        db.execute(f"ALTER TABLE consents ADD COLUMN {column}")
    _create_queue_indexes(db)
    _create_name_search(db)
    # Covering index: the dashboard's "missed first time" reads no table rows.
    db.execute(
        "CREATE INDEX answers_question_first_try ON answers (question_id, first_try_correct)"
    )
    db.execute(
        """
        CREATE TABLE nurses (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (trim(name) <> ''),
            pin_hash TEXT NOT NULL CHECK (pin_hash LIKE '$argon2%'),
            is_admin INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL DEFAULT 1,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT,
            removed_at TEXT,
            removed_by TEXT
        )
        """
    )
    db.execute(
        "CREATE UNIQUE INDEX nurses_active_name ON nurses (name COLLATE NOCASE) WHERE active = 1"
    )
    db.execute(
        "CREATE TRIGGER nurses_are_never_deleted BEFORE DELETE ON nurses BEGIN"
        " SELECT RAISE(ABORT, 'nurse accounts are never deleted, only marked inactive'); END"
    )
    # AUTOINCREMENT: sqlite_sequence then remembers the highest id ever used, so deleting
    # the newest entries leaves a visible gap (see kiosk.store.audit.verify_audit).
    db.execute(
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            document_id TEXT,
            detail TEXT NOT NULL CHECK (json_valid(detail)),
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX audit_log_document_id ON audit_log (document_id)")
    for event, verb in (("UPDATE", "changed"), ("DELETE", "deleted")):
        db.execute(
            f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log BEGIN"
            f" SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be {verb}');"
            " END"
        )


def _create_queue_indexes(db: sqlite_utils.Database) -> None:
    """Indexes that answer every queue filter, sort and count without reading table rows
    (a row holds the whole record, ~18 KB: reading thousands of them is what is slow).

    Each index leads with what it selects or sorts on, then (time, document_id) - the
    queue's order - then the other filter columns, so any mix of filters is checked inside
    the index. Sorting on a column keeps the newest first within equal values in both
    directions, hence a second, ``_newest``, index with the time descending.
    """
    t = QUEUE_TIME
    filters = ["outcome", "review_state", "needs_doctor_count", "help_requested"]

    def index(name: str, leading: list[str], where: str = "") -> None:
        columns = leading + [c for c in filters if c not in leading]
        db.execute(f"CREATE INDEX consents_queue_{name} ON consents ({', '.join(columns)}){where}")

    index("time", [t, "document_id"])
    for name, key in (
        ("outcome", "outcome"),
        ("review_state", "review_state"),
        ("patient_name", "patient_name COLLATE NOCASE"),
    ):
        index(name, [key, t, "document_id"])
        index(f"{name}_newest", [key, f"{t} DESC", "document_id DESC"])
    index("needs_doctor", [t, "document_id"], " WHERE needs_doctor_count > 0")
    index("help", [t, "document_id"], " WHERE help_requested = 1")
    # A search finds document ids; this sorts and filters them without reading the rows.
    # Plain time columns, not the expression: SQLite 3.40 only counts columns as covered.
    index("by_id", ["document_id", "finished_at", "started_at", "patient_name COLLATE NOCASE"])


def _create_name_search(db: sqlite_utils.Database) -> None:
    """consents_fts: an FTS5 index of patient names (and document ids), kept in step
    with consents by triggers. It stores its own copy of both, joined to consents by
    document_id: consents has no INTEGER PRIMARY KEY, so its rowids may change on VACUUM
    and cannot be the link. remove_diacritics 2 makes "lopez" find "López"."""
    db.execute(
        """
        CREATE VIRTUAL TABLE consents_fts USING fts5(
            patient_name, document_id,
            tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
        )
        """
    )
    forget_old = (
        "DELETE FROM consents_fts WHERE rowid IN (SELECT rowid FROM consents_fts"
        " WHERE consents_fts MATCH 'document_id : \"' || replace(old.document_id, '\"', '\"\"') || '\"'"
        " AND document_id = old.document_id);"
    )
    add_new = (
        "INSERT INTO consents_fts (patient_name, document_id)"
        " VALUES (new.patient_name, new.document_id);"
    )
    db.execute(f"CREATE TRIGGER consents_fts_insert AFTER INSERT ON consents BEGIN {add_new} END")
    db.execute(f"CREATE TRIGGER consents_fts_delete AFTER DELETE ON consents BEGIN {forget_old} END")
    db.execute(
        "CREATE TRIGGER consents_fts_update AFTER UPDATE OF patient_name, document_id"
        f" ON consents BEGIN {forget_old} {add_new} END"
    )
    db.execute(
        "INSERT INTO consents_fts (patient_name, document_id)"
        " SELECT patient_name, document_id FROM consents"
    )


@_schema_step
def m003_name_search_in_queue_order(db: sqlite_utils.Database) -> None:
    """Name search fast for one letter (issue 11): the name index rebuilt with one-letter
    prefixes, and ``consents_fts_queue``, one row per consent linking its name-index rowid
    to its queue time and document id.

    A search then finds its matches as integers (no document id read per match, which cost
    ~1 us each: 20 ms for "m") and walks ``consents_fts_queue_time`` in the queue's order,
    stopping after the page. The rowid is ours, not consents' (which may change on VACUUM).
    Rebuilt from consents, in place; 100,000 consents take about 2 s."""
    for event in ("insert", "delete", "update"):
        db.execute(f"DROP TRIGGER consents_fts_{event}")
    db.execute("DROP TABLE consents_fts")
    db.execute(
        """
        CREATE VIRTUAL TABLE consents_fts USING fts5(
            patient_name, document_id,
            tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
        )
        """
    )
    db.execute(
        "CREATE TABLE consents_fts_queue (fts_rowid INTEGER PRIMARY KEY,"
        " queue_time TEXT, document_id TEXT NOT NULL UNIQUE)"
    )
    db.execute("CREATE INDEX consents_fts_queue_time ON consents_fts_queue (queue_time, document_id)")
    forget_old = (
        "DELETE FROM consents_fts WHERE rowid ="
        " (SELECT fts_rowid FROM consents_fts_queue WHERE document_id = old.document_id);"
        " DELETE FROM consents_fts_queue WHERE document_id = old.document_id;"
    )
    add_new = (
        "INSERT INTO consents_fts_queue (queue_time, document_id)"  # QUEUE_TIME of new
        " VALUES (coalesce(new.finished_at, new.started_at), new.document_id);"
        " INSERT INTO consents_fts (rowid, patient_name, document_id)"
        " SELECT fts_rowid, new.patient_name, new.document_id FROM consents_fts_queue"
        " WHERE document_id = new.document_id;"
    )
    db.execute(f"CREATE TRIGGER consents_fts_insert AFTER INSERT ON consents BEGIN {add_new} END")
    db.execute(f"CREATE TRIGGER consents_fts_delete AFTER DELETE ON consents BEGIN {forget_old} END")
    db.execute(
        "CREATE TRIGGER consents_fts_update"
        " AFTER UPDATE OF patient_name, document_id, finished_at, started_at"
        f" ON consents BEGIN {forget_old} {add_new} END"
    )
    # Read from m002's by_id index, which holds all three columns: the table's pages hold
    # the records (~18 KB each), and reading them made this 7 s instead of ~1 s.
    db.execute(
        f"INSERT INTO consents_fts_queue (queue_time, document_id)"
        f" SELECT {QUEUE_TIME}, document_id FROM consents INDEXED BY consents_queue_by_id"
    )
    db.execute(
        "INSERT INTO consents_fts (rowid, patient_name, document_id)"
        " SELECT q.fts_rowid, c.patient_name, c.document_id FROM consents_fts_queue q"
        " JOIN consents c INDEXED BY consents_queue_by_id ON c.document_id = q.document_id"
    )


# How long a write waits for another connection's write lock (the nurse station, a second
# kiosk process) before giving up. Every write takes the lock up front (BEGIN IMMEDIATE, see
# kiosk.store.transactions), so SQLite's busy handler really waits this long.
BUSY_TIMEOUT_SECONDS = 15.0


@_schema_step
def m004_outbox(db: sqlite_utils.Database) -> None:
    """The outbox (issue 14): every stored consent and every audit entry adds an entry in the
    same transaction (``kiosk.store.outbox.add_entry``); the sender delivers them, in order,
    to each configured target and keeps each target's progress in ``outbox_deliveries``
    (``sent_through`` in ``outbox_targets``: the entries up to it are all sent)."""
    db.execute(
        """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('consent', 'event')),
            event_id TEXT NOT NULL UNIQUE,
            document_id TEXT,
            audit_id INTEGER,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX outbox_document_id ON outbox (document_id)")
    db.execute(
        """
        CREATE TABLE outbox_deliveries (
            target TEXT NOT NULL,
            outbox_id INTEGER NOT NULL REFERENCES outbox (id),
            state TEXT NOT NULL CHECK (state IN ('waiting', 'sent', 'failed', 'skipped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_attempt_at TEXT,
            next_attempt_at TEXT,
            last_error TEXT,
            sent_at TEXT,
            receipt TEXT,
            PRIMARY KEY (target, outbox_id)
        )
        """
    )
    db.execute("CREATE TABLE outbox_targets (target TEXT PRIMARY KEY, sent_through INTEGER NOT NULL DEFAULT 0)")


def read_only_uri(path: Path) -> str:
    """The SQLite URI that reads ``path`` without writing anything beside it.

    ``mode=ro``; and when no -wal file exists, no writer is connected (a connected WAL writer
    always has its -wal), so ``immutable=1`` too: a plain read-only open of a WAL database
    would leave new -wal and -shm files behind, and fails in a folder it cannot write."""
    uri = f"{Path(path).absolute().as_uri()}?mode=ro"
    if not os.path.exists(f"{path}-wal"):
        uri += "&immutable=1"
    return uri


def open_database(path: Path, *, read_only: bool = False) -> sqlite_utils.Database:
    """Open (or create) the consent database at ``path``, ready to use.

    Creates the parent folder, checks the file is a healthy SQLite database, turns on WAL,
    ``synchronous=FULL``, foreign keys and a busy timeout of ``BUSY_TIMEOUT_SECONDS``, and
    applies pending migrations (re-running is a no-op). A new database is made ONLY where no
    file exists: an existing file that is empty (0 bytes), not a database, damaged, or made
    by a newer kiosk raises ``StoreError`` and is left exactly as it was.

    ``read_only=True`` (for checks such as ``kiosk audit verify``) opens with SQLite's
    ``mode=ro``: nothing is created, configured, migrated or checkpointed, and the file stays
    byte-identical. Any sqlite3 or decoding error while opening becomes a ``StoreError``.

    The returned database must be used from the thread that opened it.
    """
    path = Path(path)
    try:
        exists = os.path.lexists(path)
        if exists and not path.is_file():
            raise StoreError(
                f"The consent database {path} is not a file. Check the data folder; "
                "nothing was changed."
            )
        if exists and path.stat().st_size == 0:
            raise StoreError(
                f"The consent database {path} is an empty file (0 bytes), not a database. "
                "It has been left as it is: ask IT to restore it from a backup, or to move "
                "it aside if this kiosk has never stored a consent."
            )
        if not exists and read_only:
            raise StoreError(f"There is no consent database at {path}.")
        if not exists:
            make_folders_durably(path.parent)
            _create_whole(path)
            exists = True
    except OSError as exc:
        raise StoreError(
            explain_write_failure("the database folder", path.parent, exc)
        ) from exc
    uri = read_only_uri(path) if read_only else f"{path.absolute().as_uri()}?mode={'rw' if exists else 'rwc'}"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as exc:
        raise StoreError(
            f"The consent database {path} cannot be opened: {exc}"
        ) from exc
    try:
        db = sqlite_utils.Database(connection, execute_plugins=False)
        _check_healthy(db, path)
        if not read_only:
            _configure(db, path)
            _migrate(db, path)
    except BaseException as exc:
        connection.close()
        if isinstance(exc, (sqlite3.Error, UnicodeError, ValueError)):
            raise StoreError(
                f"The consent database {path} cannot be read ({exc}). It has been left as "
                "it is: ask IT to restore it from a backup."
            ) from exc
        raise
    return db


def _create_whole(path: Path) -> None:
    """A new database appears under its name complete, or not at all.

    Made under a private name, configured and migrated, checkpointed into its file and
    closed, then linked to `path` (``os.link`` never replaces a file: if another process,
    the outbox sender or a nurse station starting at the same moment, made it first, theirs
    is used). Before, SQLite created `path` empty and wrote its first pages into the WAL: for
    that moment another opener found a 0-byte file and refused it as damaged. Found by
    tests/test_outbox_cli.py: the sender the kiosk starts opened the database while the first
    save made it."""
    import uuid

    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.new")
    try:
        connection = sqlite3.connect(temporary, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            db = sqlite_utils.Database(connection, execute_plugins=False)
            _configure(db, temporary)
            _migrate(db, temporary)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        fsync_file(temporary)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # made meanwhile by another process: that one stands
        fsync_folder(path.parent)
    except sqlite3.Error as exc:
        raise StoreError(f"The consent database {path} could not be created: {exc}") from exc
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-wal"),
                         temporary.with_name(temporary.name + "-shm")):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass


def _check_healthy(db: sqlite_utils.Database, path: Path) -> None:
    # Read before anything writes: a damaged file must be reported, not "repaired".
    advice = "It has been left as it is: ask IT to restore it from a backup."
    try:
        problems = [row["quick_check"] for row in db.query("PRAGMA quick_check")]
        # The schema is parsed on first use: a damaged (or non-UTF-8) schema fails here.
        db.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        list(db.conn.execute("SELECT name, sql FROM sqlite_master"))
    except (sqlite3.Error, UnicodeError) as exc:
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
        if MIGRATIONS.pending(db):
            # Under the write lock: a nurse station starting at the same moment waits for
            # these migrations instead of failing (or applying them a second time).
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                MIGRATIONS.apply(db)
                db.conn.execute("COMMIT")
            except BaseException:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                raise
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
