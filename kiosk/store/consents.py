"""Archiving consent records with their PDFs, and reading them back.

Durability rule: a consent counts as saved ONLY when ``archive_consent`` returns - by then its
PDF is on disk (written durably, never overwriting another) and its row is committed with
``synchronous=FULL``. If anything fails, it raises ``StoreError`` and nothing is half-saved:
no row, and no PDF that this call wrote. The same call can simply be repeated.

Threading: call from the thread that opened the database. ``archive_consent`` with a
~100 KB PDF took 1.8 ms (median of 200; max 3.3 ms) on the development VM: three syncs (the
PDF, its folder, the WAL), two more when a month's folder is new. On the kiosk's own disk
expect about three times one fsync - still fine on the UI thread
(tests/store/test_archive_consent.py::test_archive_time prints it with ``pytest -s``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import unicodedata
import uuid
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk.store.database import (
    StoreError,
    database_file,
    require_no_open_transaction,
)
from kiosk.store.transactions import write_transaction
from kiosk.store.files import (
    durable_file,
    explain_write_failure,
    fsync_file,
    fsync_folder,
    locked,
    remove_file_durably,
)
from kiosk.outcomes import OUTCOMES  # defined once, below every layer; kiosk.store.queue reads it here
from kiosk.store.outbox import add_entry
from kiosk.store.record_rows import answer_rows, consent_row

log = logging.getLogger(__name__)

# Every consents column except record_json: what a list or a detail view shows.
_SUMMARY_COLUMNS = (
    "document_id", "started_at", "finished_at", "saved_at", "outcome",
    "patient_name", "patient_dob", "representative_name", "representative_relationship",
    "signer_name", "signed_at", "language", "content_id", "content_version", "content_sha256",
    "pdf_path", "pdf_sha256", "pdf_size", "flags", "needs_doctor_count", "help_requested",
    "review_state",
)  # fmt: skip
_SEARCHED_COLUMNS = (
    "patient_name", "representative_name", "signer_name", "patient_dob", "document_id",
)  # fmt: skip


@dataclass(frozen=True)
class SavedConsent:
    """Proof that a consent was saved: where its PDF is, and what it must hash to."""

    document_id: str
    pdf_path: (
        Path | None
    )  # pdf_dir / YYYY / MM / <document_id>.pdf; None when abandoned
    pdf_sha256: str | None
    pdf_size: int | None
    saved_at: str  # ISO 8601 in UTC, so that rows sort by it


class AlreadySavedError(StoreError):
    """This consent was saved before; nothing was written a second time."""


def archive_consent(
    db: sqlite_utils.Database, pdf_dir: Path, record: dict, pdf_bytes: bytes | None
) -> SavedConsent:
    """Save a consent record and its PDF; return only once both are safely on disk.

    Order: check the record (document_id a UUID, a known outcome, a patient name unless
    abandoned, a PDF unless abandoned); write the PDF durably to
    ``pdf_dir/YYYY/MM/<document_id>.pdf`` (year and month of ``finished_at``, else
    ``started_at``, as written in the record, so a retry finds the same path); then insert
    the ``consents`` row and its ``answers`` rows in ONE transaction. If that insert fails,
    the PDF this call wrote is removed again.

    Retrying after a failure works. After a crash between the two steps the PDF is already
    there: identical bytes are taken over, different bytes are never overwritten
    (``StoreError``). Retrying after success raises ``AlreadySavedError`` (a ``StoreError``
    whose message says "already saved").

    The row's ``pdf_path`` and ``SavedConsent.pdf_path`` are the PDF's absolute path (as a
    string in the row). ``record`` is never modified.

    Every failure is a ``StoreError`` with a plain message; ``__cause__`` is the OSError or
    sqlite3 error behind it.
    """
    document_id = _check_record(record, pdf_bytes)
    record_json = _to_json(record)
    # Work from a snapshot of what will be stored: the row then matches record_json exactly,
    # and the caller's dict is never read again (or touched).
    snapshot = json.loads(record_json)
    require_no_open_transaction(db, "Saving a consent")
    if _is_saved(db, document_id):
        raise AlreadySavedError(
            f"Consent {document_id} is already saved; it was not saved a second time."
        )
    saved_at = datetime.now(UTC)
    pdf_dir = Path(pdf_dir).absolute()
    pdf_path = pdf_sha256 = pdf_size = None
    saved_at_text = saved_at.isoformat(timespec="milliseconds")
    with ExitStack() as held:  # the PDF stays locked ("being saved") until the commit
        wrote_pdf = False
        if pdf_bytes is not None:
            data = bytes(pdf_bytes)
            pdf_path = pdf_dir / _pdf_relative_path(snapshot, document_id, saved_at)
            pdf_sha256, pdf_size = hashlib.sha256(data).hexdigest(), len(data)
            wrote_pdf = _put_pdf(held, pdf_dir, pdf_path, data, pdf_sha256)
        row = consent_row(snapshot, record_json, saved_at_text)
        row.update(
            pdf_path=str(pdf_path) if pdf_path else None,
            pdf_sha256=pdf_sha256,
            pdf_size=pdf_size,
        )
        try:
            with write_transaction(db, f"consent {document_id} was not saved; try again"):
                _insert(db, "consents", [row])
                _insert(db, "answers", answer_rows(snapshot))
                add_entry(db, kind="consent", document_id=document_id, at=saved_at_text)  # for the outbox
        except BaseException as exc:
            if wrote_pdf:
                _take_back_pdf(db, document_id, pdf_path)
            cause = exc.__cause__ if isinstance(exc, StoreError) else exc
            if isinstance(cause, sqlite3.IntegrityError) and _is_saved_quietly(
                db, document_id
            ):
                # Saved meanwhile through another connection: its row owns the PDF.
                raise AlreadySavedError(
                    f"Consent {document_id} is already saved; it was not saved a second time."
                ) from exc
            raise
    return SavedConsent(document_id, pdf_path, pdf_sha256, pdf_size, saved_at_text)


def _insert(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    """Plain INSERTs on the open write transaction (no sqlite-utils table introspection)."""
    for row in rows:
        columns = list(row)
        db.conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [row[c] for c in columns],
        )


def get_consent(db: sqlite_utils.Database, document_id: str) -> dict | None:
    """The consent's row (``flags`` decoded) with the full record decoded under
    ``"record"``, or None if there is no such consent."""
    try:
        rows = list(
            db.query("SELECT * FROM consents WHERE document_id = ?", [str(document_id)])
        )
    except sqlite3.Error as exc:
        raise StoreError(
            f"The consent database {database_file(db)} cannot be read: {exc}"
        ) from exc
    if not rows:
        return None
    row = rows[0]
    row["record"] = json.loads(row.pop("record_json"))
    row["flags"] = json.loads(row["flags"])
    return row


def list_consents(
    db: sqlite_utils.Database,
    *,
    outcome: str | None = None,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict]:
    """Saved consents, newest saved first, without the full record (see ``get_consent``).

    ``outcome`` keeps one outcome. ``search`` finds text anywhere in the patient's,
    representative's or signer's name, the date of birth or the document id, ignoring case
    and accents ("lopez" finds "López").

    Example::

        list_consents(db, outcome="declined", search="o'brien", limit=20)
    """
    if outcome is not None and outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {OUTCOMES}, not {outcome!r}")
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must not be negative")
    where, params = [], []
    if outcome is not None:
        where.append("outcome = ?")
        params.append(outcome)
    if search and search.strip():
        db.register_function(_fold, deterministic=True, name="kiosk_fold")
        where.append(
            "("
            + " OR ".join(f"instr(kiosk_fold({c}), ?) > 0" for c in _SEARCHED_COLUMNS)
            + ")"
        )
        params.extend([_fold(search.strip())] * len(_SEARCHED_COLUMNS))
    sql = (
        f"SELECT {', '.join(_SUMMARY_COLUMNS)} FROM consents"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        # saved_at is UTC, so text order is time order; rowid breaks ties in saving order.
        + " ORDER BY saved_at DESC, rowid DESC LIMIT ? OFFSET ?"
    )
    try:
        rows = list(db.query(sql, [*params, limit, offset]))
    except sqlite3.Error as exc:
        raise StoreError(
            f"The consent database {database_file(db)} cannot be read: {exc}"
        ) from exc
    for row in rows:
        row["flags"] = json.loads(row["flags"])
    return rows


def _check_record(record: Any, pdf_bytes: Any) -> str:
    """Minimal checks before anything is written; returns the document id."""
    if not isinstance(record, Mapping):
        raise StoreError("The consent record is not a record (expected a dictionary).")
    document_id = record.get("document_id")
    if not _is_uuid(document_id):
        raise StoreError(
            f"The consent record has no valid document id: {document_id!r}."
        )
    outcome = record.get("outcome")
    if outcome not in OUTCOMES:
        raise StoreError(f"The consent record has an unknown outcome: {outcome!r}.")
    if outcome != "abandoned":
        patient = record.get("patient")
        name = patient.get("full_name") if isinstance(patient, Mapping) else None
        if not isinstance(name, str) or not name.strip():
            raise StoreError("The consent record has no patient name.")
        if pdf_bytes is None:
            raise StoreError(
                f"A {outcome!r} consent needs its PDF; only an abandoned session is saved without one."
            )
    if pdf_bytes is not None:
        if not isinstance(pdf_bytes, (bytes, bytearray, memoryview)):
            raise StoreError("The consent PDF must be bytes.")
        if len(pdf_bytes) == 0:
            raise StoreError("The consent PDF is empty.")
    return document_id


def _is_uuid(value: Any) -> bool:
    # Canonical lowercase form only: the id becomes a file name, so no braces, no "urn:".
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _to_json(record: Mapping) -> str:
    try:
        return json.dumps(record, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(
            f"The consent record cannot be stored as JSON: {exc}."
        ) from exc


def _is_saved(db: sqlite_utils.Database, document_id: str) -> bool:
    try:
        rows = db.query("SELECT 1 FROM consents WHERE document_id = ?", [document_id])
        return any(True for _ in rows)
    except sqlite3.Error as exc:
        raise StoreError(
            f"The consent database {database_file(db)} cannot be read: {exc}"
        ) from exc


def pdf_path_for(pdf_dir: Path, record: Mapping) -> Path:
    """Where ``archive_consent`` puts the PDF of ``record`` (absolute)."""
    return Path(pdf_dir).absolute() / _pdf_relative_path(
        dict(record), str(record.get("document_id")), datetime.now(UTC)
    )


def _pdf_relative_path(snapshot: dict, document_id: str, saved_at: datetime) -> Path:
    when = saved_at
    for key in ("finished_at", "started_at"):
        try:
            when = datetime.fromisoformat(snapshot.get(key))
            break
        except (TypeError, ValueError):
            continue
    return Path(f"{when.year:04d}", f"{when.month:02d}", f"{document_id}.pdf")


def _put_pdf(held: ExitStack, pdf_dir: Path, pdf_path: Path, data: bytes, sha256: str) -> bool:
    """Write the PDF and keep it locked in ``held``; True if this call wrote it, False if an
    identical one was already there (left by a run that crashed before committing its row,
    or being saved by another process this very moment: its lock is waited for)."""
    try:
        held.enter_context(durable_file(pdf_path, data))
        return True
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(
            explain_write_failure("the consent folder", pdf_dir, exc)
        ) from exc
    try:
        held.enter_context(locked(pdf_path))
        if hashlib.sha256(pdf_path.read_bytes()).hexdigest() == sha256:
            fsync_file(pdf_path)
            fsync_folder(pdf_path.parent)
            return False
    except OSError as exc:
        raise StoreError(
            explain_write_failure("the consent folder", pdf_dir, exc)
        ) from exc
    raise StoreError(
        f"A different PDF for consent {pdf_path.stem} is already in the consent folder "
        f"({pdf_path}) although the consent is not in the database. Nothing was overwritten "
        "and nothing was saved: ask IT to look at that file."
    )


def _is_saved_quietly(db: sqlite_utils.Database, document_id: str) -> bool | None:
    """Like _is_saved, but None when the database cannot even answer that."""
    try:
        return _is_saved(db, document_id)
    except StoreError:
        return None


def _take_back_pdf(db: sqlite_utils.Database, document_id: str, pdf_path: Path) -> None:
    """Remove the PDF this call wrote, so a retry writes it again - unless a row refers to
    it after all (or the database cannot tell): a row whose PDF is missing would be the
    worst outcome. Never raises, because the original error is what matters; a PDF left
    behind is harmless, as a retry takes it over."""
    if _is_saved_quietly(db, document_id) is not False:
        log.warning(
            "Kept %s after a failed save: the database may refer to it", pdf_path
        )
        return
    try:
        remove_file_durably(pdf_path)
    except OSError:
        log.warning("Could not remove %s after a failed save", pdf_path, exc_info=True)


def _fold(value: Any) -> str | None:
    """Text for searching: without case or accents ("López" -> "lopez")."""
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(value))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
