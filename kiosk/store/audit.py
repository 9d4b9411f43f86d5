"""The audit trail: who did what at the nurse station, in a tamper-evident chain.

Every entry carries the hash of the entry before it:

    hash = sha256(prev_hash + canonical JSON of [id, at, actor, action, document_id, detail])

(canonical: keys sorted, no spaces, UTF-8; the first entry's prev_hash is 64 zeros). SQLite
triggers refuse UPDATE and DELETE on ``audit_log``, and ``verify_audit`` recomputes the chain,
so an entry changed, deleted or moved by someone who went around the kiosk - with the
``sqlite3`` shell, or by editing the file - is found and named.

The chain is anchored outside the database: after each commit, every new entry's id and
hash are appended to ``audit-anchor.txt`` beside ``kiosk.db`` (one line ``<id> <hash> <at>``,
fsync'ed, append-only), and each consent PDF carries the chain head of its time in its
metadata (``chain_head``). Someone who deletes the newest entries AND rewrites
``sqlite_sequence`` is still caught: the anchor names the entries that are missing. Someone
able to rewrite the database, the anchor file and every PDF alike is beyond what a kiosk can
prove; a copy of the anchor kept on another machine (a backup, syslog) closes that too.

Durability: an entry is committed (``synchronous=FULL``) before ``audit`` returns. The other
store functions write their entry with ``append_entry`` inside the same transaction as the
change it describes, so there is never a change without its entry, nor an entry without
its change. Threading: call from the thread that opened the database; an entry takes a
millisecond or two.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk.store.database import StoreError, database_file
from kiosk.store.files import FILE_MODE
from kiosk.store.outbox import add_entry
from kiosk.store.transactions import after_commit, reading, write_transaction

log = logging.getLogger(__name__)

ANCHOR_FILE = "audit-anchor.txt"

GENESIS = "0" * 64

# The actions the kiosk writes. Others are accepted (the column is free text), but a
# report reads best when everyone uses these.
ACTIONS = (
    "sign_in", "sign_in_failed", "sign_in_locked", "sign_out",
    "view_record", "print", "print_failed",
    "identity_checked", "countersigned", "voided",
    "nurse_added", "nurse_removed", "help_acknowledged", "export_csv",
    # written by the kiosk itself at recovery (kiosk.recovery):
    "permissions_tightened", "temporary_files_removed", "consent_recovered",
    "countersignature_recovered", "file_quarantined",
)  # fmt: skip

_GUARDS = ("audit_log_no_update", "audit_log_no_delete")
_COLUMNS = "id, at, actor, action, document_id, detail, prev_hash, hash"


@dataclass(frozen=True)
class AuditReport:
    """What ``verify_audit`` found. ``message`` is plain English for a nurse or IT."""

    ok: bool
    entries: int
    first_bad_id: int | None
    message: str


def audit(
    db: sqlite_utils.Database,
    *,
    actor: str,
    action: str,
    document_id: str | None = None,
    detail: dict | None = None,
    at: str | None = None,
) -> int:
    """Append one entry to the audit trail, committed before this returns; its id.

    ``at`` is ISO 8601 with an offset (default: now, in UTC). ``detail`` is any
    JSON-serialisable dictionary; never put a PIN in it.

    Example::

        audit(db, actor="Anna Lee", action="print", document_id=document_id,
              detail={"printer": "Ward 3", "copies": 2})
    """
    _checked(actor, action, document_id, detail, at)
    with write_transaction(db, f"the audit entry {action!r} was not written"):
        return append_entry(
            db, actor=actor, action=action, document_id=document_id, detail=detail, at=at
        )


def append_entry(
    db: sqlite_utils.Database,
    *,
    actor: str,
    action: str,
    document_id: str | None = None,
    detail: dict | None = None,
    at: str | None = None,
) -> int:
    """Append an entry inside the caller's ``write_transaction``; returns its id.

    The id is one more than the highest ever used (``sqlite_sequence``), not than the
    highest present: a deleted newest entry must stay a visible gap, never be papered over.
    """
    if not db.conn.in_transaction:
        raise StoreError(
            "An audit entry was appended outside a transaction; nothing was written. "
            "(Programming error: use audit(), or append_entry inside write_transaction.)"
        )
    at, detail = _checked(actor, action, document_id, detail, at)
    used = db.conn.execute(
        "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'"
    ).fetchone()
    newest = db.conn.execute(
        "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone()
    entry_id = (used[0] if used else 0) + 1
    prev_hash = newest[0] if newest else GENESIS
    entry = [entry_id, at, actor, action, document_id, detail]
    digest = entry_hash(prev_hash, entry)
    db.conn.execute(
        f"INSERT INTO audit_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [*entry[:5], _canonical(detail), prev_hash, digest],
    )
    add_entry(db, kind="event", document_id=document_id, audit_id=entry_id, at=at)  # for the outbox
    after_commit(db, lambda: _anchor(db, entry_id, digest, at))
    return entry_id


def anchor_path(db_file: str | Path) -> Path:
    """The anchor file that belongs to a database file: ``audit-anchor.txt`` beside it."""
    return Path(db_file).with_name(ANCHOR_FILE)


def chain_head(db: sqlite_utils.Database) -> tuple[int, str]:
    """(id, hash) of the newest audit entry; (0, GENESIS) for an empty trail."""
    with reading(db):
        row = db.conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def _anchor(db: sqlite_utils.Database, entry_id: int, digest: str, at: str) -> None:
    """Append one committed entry to the anchor file, durably. A failure is logged, never
    raised: the entry is committed and its change stands; the anchor only lags behind."""
    file = database_file(db)
    if not file or file.startswith("("):
        return  # an in-memory database has nothing beside it
    path = anchor_path(file)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
        try:
            os.write(fd, f"{entry_id} {digest} {at}\n".encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        log.error("Audit entry %d was not added to the anchor file %s", entry_id, path, exc_info=True)


def read_anchor(path: Path) -> dict[int, str] | None:
    """id -> hash from an anchor file; None when there is no such file. Lines that cannot
    be read (a torn last line after a power cut) are skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    anchored = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].isdigit() and len(parts[1]) == 64:
            anchored[int(parts[0])] = parts[1]
    return anchored


def entry_hash(prev_hash: str, entry: list) -> str:
    """sha256 of ``prev_hash`` + canonical JSON of [id, at, actor, action, document_id, detail]."""
    return hashlib.sha256((prev_hash + _canonical(entry)).encode("utf-8")).hexdigest()


def audit_history(db: sqlite_utils.Database, document_id: str) -> list[dict]:
    """Every entry about one consent, oldest first, with ``detail`` decoded."""
    with reading(db):
        rows = list(
            db.query(
                "SELECT id, at, actor, action, document_id, detail FROM audit_log"
                " WHERE document_id = ? ORDER BY id",
                [str(document_id)],
            )
        )
    for row in rows:
        row["detail"] = json.loads(row["detail"])
    return rows


def verify_audit(db: sqlite_utils.Database, anchor: Path | None = None) -> AuditReport:
    """Recompute the whole chain; report the first entry that was changed, deleted or moved.

    Checked in id order: no id is missing (else "deleted"); each entry links to the one
    before it (a link to another existing entry means "out of order"); each entry's hash
    matches its contents (else "changed"); no ids beyond the last were ever used (else the
    newest entries were deleted); the append-only triggers are still there.

    Example::

        report = verify_audit(db)
        if not report.ok:
            print(report.message)  # "Audit entry 17 was changed after it was written ..."
    """
    with reading(db):
        total = db.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        previous: tuple[int, str] | None = None
        for row in db.conn.execute(f"SELECT {_COLUMNS} FROM audit_log ORDER BY id"):
            problem = _broken_link(db, row, previous) or _changed(row)
            if problem:
                return AuditReport(False, total, *problem)
            previous = (row[0], row[7])
        file = database_file(db)
        if anchor is None and (not file or file.startswith("(")):
            anchored = None  # an in-memory database has no anchor beside it (never one in the cwd)
        else:
            anchored = read_anchor(anchor if anchor is not None else anchor_path(file))
        problem = (_newest_deleted(db, previous) or _against_anchor(db, anchored, previous)
                   or _guard_removed(db, total))
    if problem:
        return AuditReport(False, total, *problem)
    return AuditReport(True, total, None, f"Audit trail intact: {_entries(total)}.")


def _broken_link(
    db: sqlite_utils.Database, row: tuple, previous: tuple[int, str] | None
) -> tuple[int, str] | None:
    entry_id, prev_hash = row[0], row[6]
    expected_id = previous[0] + 1 if previous else 1
    if entry_id != expected_id:
        after = f"entry {entry_id} follows entry {previous[0]}" if previous else (
            f"the trail starts at entry {entry_id}"
        )
        return expected_id, f"{_missing(expected_id, entry_id - 1)} ({after})."
    if prev_hash == (previous[1] if previous else GENESIS):
        return None
    written_after = db.conn.execute(
        "SELECT id FROM audit_log WHERE hash = ? AND id <> ?", [prev_hash, entry_id]
    ).fetchone()
    if written_after:
        return entry_id, (
            f"Audit entry {entry_id} is out of order: it was written after entry "
            f"{written_after[0]} (entries were swapped or moved)."
        )
    if previous and _changed(row) is None:
        return previous[0], (
            f"Audit entry {previous[0]} was changed after it was written: entry {entry_id}, "
            "written after it, no longer matches it."
        )
    return entry_id, (
        f"Audit entry {entry_id} was changed after it was written: it no longer matches "
        "the entry before it."
    )


def _changed(row: tuple) -> tuple[int, str] | None:
    entry_id, at, actor, action, document_id, detail_text, prev_hash, stored = row
    try:
        detail = json.loads(detail_text)
    except (TypeError, ValueError):
        return entry_id, (
            f"Audit entry {entry_id} was changed after it was written: its detail is no "
            "longer readable."
        )
    entry = [entry_id, at, actor, action, document_id, detail]
    if entry_hash(str(prev_hash), entry) != stored:
        return entry_id, (
            f"Audit entry {entry_id} was changed after it was written: its contents no "
            "longer match its hash."
        )
    return None


def _newest_deleted(
    db: sqlite_utils.Database, previous: tuple[int, str] | None
) -> tuple[int, str] | None:
    used = db.conn.execute(
        "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'"
    ).fetchone()
    last = previous[0] if previous else 0
    if used and used[0] > last:
        return last + 1, f"{_missing(last + 1, used[0])} from the end of the trail."
    return None


def _against_anchor(
    db: sqlite_utils.Database, anchored: dict[int, str] | None, previous: tuple[int, str] | None
) -> tuple[int, str] | None:
    """The anchor file remembers every entry ever committed: each must still be there, with
    the hash it had. (Entries newer than the anchor are fine: its line may lag a crash.)"""
    if not anchored:
        return None
    last = previous[0] if previous else 0
    beyond = sorted(i for i in anchored if i > last)
    if beyond:
        first, final = beyond[0], beyond[-1]
        span = f"entry {first} is" if first == final else f"entries {first}-{final} are"
        return first, (
            f"Audit {span} missing: the anchor file beside the database recorded "
            f"{'it' if first == final else 'them'}, but the database no longer holds "
            f"{'it' if first == final else 'them'} (deleted from the end of the trail, and "
            "sqlite_sequence rewritten to hide it)."
        )
    for entry_id, digest in sorted(anchored.items()):
        row = db.conn.execute("SELECT hash FROM audit_log WHERE id = ?", [entry_id]).fetchone()
        if row is not None and row[0] != digest:
            return entry_id, (
                f"Audit entry {entry_id} does not match the anchor file beside the database: "
                "the trail was rewritten after it was written."
            )
    return None


def _guard_removed(db: sqlite_utils.Database, total: int) -> tuple[None, str] | None:
    present = {
        name for (name,) in db.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
        )
    }
    missing = [guard for guard in _GUARDS if guard not in present]
    if not missing:
        return None
    return None, (
        f"The {_entries(total)} of the audit trail {'is' if total == 1 else 'are'} intact, but the trigger that keeps it "
        f"append-only ({', '.join(missing)}) was removed: someone changed the database by "
        "hand. Ask IT to find out who."
    )


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"Audit entry {first} was deleted"
    return f"Audit entries {first} to {last} were deleted"


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _checked(
    actor: Any, action: Any, document_id: Any, detail: Any, at: Any
) -> tuple[str, dict]:
    """(at, detail) ready to store, or StoreError saying what is wrong."""
    for name, value in (("actor", actor), ("action", action)):
        if not isinstance(value, str) or not value.strip():
            raise StoreError(f"The audit entry was not written: it has no {name}.")
    if document_id is not None and not isinstance(document_id, str):
        raise StoreError("The audit entry was not written: its document id is not text.")
    if detail is None:
        detail = {}
    if not isinstance(detail, dict):
        raise StoreError("The audit entry was not written: its detail is not a dictionary.")
    try:
        detail = json.loads(_canonical(detail))
    except (TypeError, ValueError) as exc:
        raise StoreError(
            f"The audit entry was not written: its detail cannot be stored as JSON ({exc})."
        ) from exc
    if at is None:
        at = datetime.now(UTC).isoformat(timespec="milliseconds")
    elif not _is_time(at):
        raise StoreError(
            f"The audit entry was not written: {at!r} is not a time (ISO 8601 expected)."
        )
    return at, detail


def _is_time(value: Any) -> bool:
    try:
        return isinstance(value, str) and datetime.fromisoformat(value) is not None
    except ValueError:
        return False


def _canonical(value: Any) -> str:
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
