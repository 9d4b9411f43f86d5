"""The outbox's tables: what must leave this kiosk, and how far each target has got.

An entry is added in the SAME transaction as what it reports (``add_entry``, called by
``archive_consent`` and by ``audit.append_entry``): a consent cannot be saved without its
entry, nor an entry exist for a consent that was rolled back. Entries are never deleted or
changed; each target's progress is kept apart, in ``outbox_deliveries`` (one row per entry
tried or sent) and ``outbox_targets.sent_through`` (every entry up to that id is sent), so
a target added later starts from the first entry, and two targets never wait for each other.

Delivery is in order, per target: the head (the first entry not yet sent) must be sent
before the next is tried, so a countersignature never reaches a server before its consent.
A head that failed for good (``failed``) holds its target until IT retries it
(``retry_failed``): it is shown, with the reason, in ``kiosk outbox status`` and the nurse
station.

Every write is one ``write_transaction``; call from the thread that opened ``db``.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from kiosk.outbox.target import OutboxItem
from kiosk.store.database import StoreError, database_file
from kiosk.store.transactions import write_transaction

KINDS = ("consent", "event")


def add_entry(db: sqlite_utils.Database, *, kind: str, at: str, document_id: str | None = None,
              audit_id: int | None = None, event_id: str | None = None) -> int:
    """Add an entry inside the caller's open transaction; its id. A consent's entry has the
    consent's UUID as event id; an event's is a new UUID, the same at every delivery."""
    if kind not in KINDS:
        raise ValueError(f"unknown outbox entry kind {kind!r}")
    if not db.conn.in_transaction:
        raise StoreError("An outbox entry was added outside a transaction; nothing was written. "
                         "(Programming error: add it inside the write_transaction of what it reports.)")
    event_id = event_id or (document_id if kind == "consent" else str(uuid.uuid4()))
    cursor = db.conn.execute(
        "INSERT INTO outbox (kind, event_id, document_id, audit_id, created_at) VALUES (?, ?, ?, ?, ?)",
        [kind, event_id, document_id, audit_id, at])
    return cursor.lastrowid


@dataclass(frozen=True)
class Head:
    """A target's next entry, and how its earlier tries went."""

    outbox_id: int
    state: str               # "waiting" (never tried, or will be tried again) or "failed"
    attempts: int
    next_attempt_at: str | None
    last_error: str | None


def head(db: sqlite_utils.Database, target: str) -> Head | None:
    """The first entry `target` has not been sent, or None when it is up to date."""
    row = db.conn.execute(
        "SELECT o.id, d.state, d.attempts, d.next_attempt_at, d.last_error FROM outbox o"
        " LEFT JOIN outbox_deliveries d ON d.target = ? AND d.outbox_id = o.id"
        " WHERE o.id > coalesce((SELECT sent_through FROM outbox_targets WHERE target = ?), 0)"
        " ORDER BY o.id LIMIT 1", [target, target]).fetchone()
    if row is None:
        return None
    return Head(row[0], row[1] or "waiting", row[2] or 0, row[3], row[4])


def load_item(db: sqlite_utils.Database, outbox_id: int, *, kiosk_id: str) -> OutboxItem:
    """The entry with what a target needs: the consent's row and record, the audit entry."""
    entry = _one(db, "SELECT * FROM outbox WHERE id = ?", [outbox_id])
    if entry is None:
        raise StoreError(f"There is no outbox entry {outbox_id}.")
    consent: dict[str, Any] = {}
    record: dict[str, Any] = {}
    if entry["document_id"]:
        consent = _one(db, "SELECT * FROM consents WHERE document_id = ?", [entry["document_id"]]) or {}
        if consent:
            record = json.loads(consent["record_json"])
            consent["flags"] = json.loads(consent["flags"]) if consent.get("flags") else []
    event = None
    if entry["kind"] == "event" and entry["audit_id"] is not None:
        event = _one(db, "SELECT id, at, actor, action, document_id, detail FROM audit_log WHERE id = ?",
                     [entry["audit_id"]])
        if event is not None and event.get("detail"):
            event["detail"] = json.loads(event["detail"])
    return OutboxItem(id=entry["id"], kind=entry["kind"], event_id=entry["event_id"],
                      document_id=entry["document_id"] or "", created_at=entry["created_at"],
                      kiosk_id=kiosk_id, consent=consent, record=record, event=event)


def mark_sent(db: sqlite_utils.Database, target: str, outbox_id: int, *, at: str, receipt: str | None) -> None:
    """The entry reached `target`: recorded, and the target's progress moves past it."""
    with write_transaction(db, f"the delivery of outbox entry {outbox_id} to {target} was not recorded"):
        _upsert(db, target, outbox_id, state="sent", at=at, receipt=receipt, error=None, next_at=None)
        _advance(db, target, outbox_id)


def mark_skipped(db: sqlite_utils.Database, target: str, outbox_id: int, *, at: str, reason: str) -> None:
    """The entry is not for `target` (a SAMPLE consent of `kiosk demo`, which must never reach a
    health record): recorded as kept back, and the target's progress moves past it."""
    with write_transaction(db, f"outbox entry {outbox_id} kept back from {target} was not recorded"):
        _upsert(db, target, outbox_id, state="skipped", at=at, receipt=None, error=reason, next_at=None)
        _advance(db, target, outbox_id)


def mark_not_sent(db: sqlite_utils.Database, target: str, outbox_id: int, *, at: str, error: str,
                  permanent: bool, next_attempt_at: str | None) -> None:
    """A try failed: "waiting" with the time of the next try, or "failed" for good."""
    with write_transaction(db, f"the failed delivery of outbox entry {outbox_id} to {target} was not recorded"):
        _upsert(db, target, outbox_id, state="failed" if permanent else "waiting", at=at, receipt=None,
                error=error, next_at=None if permanent else next_attempt_at)


def retry_failed(db: sqlite_utils.Database, target: str | None = None) -> int:
    """Failed heads are tried again at the next round; how many."""
    with write_transaction(db, "the failed deliveries were not reset"):
        cursor = db.conn.execute(
            "UPDATE outbox_deliveries SET state = 'waiting', next_attempt_at = NULL"
            " WHERE state = 'failed'" + (" AND target = ?" if target else ""), [target] if target else [])
    return cursor.rowcount


@dataclass(frozen=True)
class TargetStatus:
    target: str
    sent: int
    waiting: int            # entries not yet sent (the head included)
    kept_back: int          # SAMPLE consents and their events, never sent to this target
    failed: bool            # the head failed for good
    head_error: str | None  # why the head is not sent yet
    next_attempt_at: str | None
    oldest_waiting_at: str | None


def target_status(db: sqlite_utils.Database, target: str) -> TargetStatus:
    through = _scalar(db, "SELECT sent_through FROM outbox_targets WHERE target = ?", [target]) or 0
    total = _scalar(db, "SELECT count(*) FROM outbox", [])
    sent = _scalar(db, "SELECT count(*) FROM outbox_deliveries WHERE target = ? AND state = 'sent'", [target])
    kept_back = _scalar(db, "SELECT count(*) FROM outbox_deliveries WHERE target = ? AND state = 'skipped'", [target])
    waiting = _scalar(db, "SELECT count(*) FROM outbox WHERE id > ?", [through])
    oldest = _scalar(db, "SELECT min(created_at) FROM outbox WHERE id > ?", [through])
    first = head(db, target)
    return TargetStatus(target, sent, waiting, kept_back, bool(first and first.state == "failed"),
                        first.last_error if first else None, first.next_attempt_at if first else None,
                        oldest if total else None)


def entry_count(db: sqlite_utils.Database) -> int:
    """How many entries the outbox holds (sent or not)."""
    return _scalar(db, "SELECT count(*) FROM outbox", [])


def consent_deliveries(db: sqlite_utils.Database, document_id: str, targets: list[str]) -> dict[str, tuple[str, str | None]]:
    """For the nurse station: per target, ("sent" | "waiting" | "failed" | "skipped", the
    reason) of the consent's own entry."""
    entry = _scalar(db, "SELECT id FROM outbox WHERE kind = 'consent' AND document_id = ?", [document_id])
    states: dict[str, tuple[str, str | None]] = {}
    for target in targets:
        if entry is None:
            states[target] = ("waiting", None)
            continue
        row = db.conn.execute("SELECT state, last_error FROM outbox_deliveries WHERE target = ? AND outbox_id = ?",
                              [target, entry]).fetchone()
        states[target] = (row[0], row[1]) if row else ("waiting", None)
    return states


def _advance(db, target: str, outbox_id: int) -> None:
    """`target` is done with every entry up to `outbox_id`."""
    db.conn.execute(
        "INSERT INTO outbox_targets (target, sent_through) VALUES (?, ?)"
        " ON CONFLICT (target) DO UPDATE SET sent_through = max(sent_through, excluded.sent_through)",
        [target, outbox_id])


def _upsert(db, target, outbox_id, *, state, at, receipt, error, next_at) -> None:
    db.conn.execute(
        "INSERT INTO outbox_deliveries (target, outbox_id, state, attempts, last_attempt_at, next_attempt_at,"
        " last_error, sent_at, receipt) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)"
        " ON CONFLICT (target, outbox_id) DO UPDATE SET state = excluded.state, attempts = attempts + 1,"
        " last_attempt_at = excluded.last_attempt_at, next_attempt_at = excluded.next_attempt_at,"
        " last_error = excluded.last_error, sent_at = excluded.sent_at, receipt = excluded.receipt",
        [target, outbox_id, state, at, next_at, error, at if state == "sent" else None, receipt])


def _one(db: sqlite_utils.Database, sql: str, params: list) -> dict | None:
    try:
        rows = list(db.query(sql, params))
    except sqlite3.Error as exc:
        raise StoreError(f"The consent database {database_file(db)} cannot be read: {exc}") from exc
    return rows[0] if rows else None


def _scalar(db: sqlite_utils.Database, sql: str, params: list):
    try:
        row = db.conn.execute(sql, params).fetchone()
    except sqlite3.Error as exc:
        raise StoreError(f"The consent database {database_file(db)} cannot be read: {exc}") from exc
    return row[0] if row else None
