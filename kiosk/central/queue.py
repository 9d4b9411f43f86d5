"""What a nurse station pointed at the central database reads and does (Qt-free).

``list_queue`` shows every kiosk's consents, newest first, with the kiosk's id in each row,
and finds names without accents or case ("muller" finds "Müller", "marg" finds
"Margaret"); ``get_consent`` reads one with its record and PDFs; ``countersign`` stores the
clinician's countersignature at most once, however many stations try at the same moment.

Every function takes an open psycopg 3 connection and leaves no transaction open: reads
run in their own short transaction (committed, or rolled back on error), ``countersign``
in one that is committed before it returns. Errors are ``CentralError`` with a plain
message (``AlreadyCountersigned`` when another station was first). Times come back as
ISO 8601 text and ids as text, as in the kiosk's own rows.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from kiosk.central.schema import CentralError, first_line


class AlreadyCountersigned(CentralError):
    """Another station (or a kiosk) countersigned this consent first; nothing was changed."""


# What a queue row shows: every consents column but the PDFs, the record and the search text.
QUEUE_COLUMNS = (
    "document_id", "kiosk_id", "started_at", "finished_at", "saved_at", "queue_time", "outcome",
    "patient_name", "patient_dob", "representative_name", "representative_relationship",
    "signer_name", "signed_at", "language", "content_id", "content_version", "content_sha256",
    "pdf_sha256", "pdf_size", "flags", "needs_doctor_count", "help_requested", "review_state",
    "mrn", "identity_checked_by", "identity_checked_at", "countersigned_pdf_sha256",
    "countersigned_by", "countersigned_role", "countersigned_account_id", "countersigned_at",
    "countersigned_where", "void", "void_reason", "voided_by", "voided_at", "received_at",
)  # fmt: skip


def list_queue(
    conn: psycopg.Connection,
    *,
    search: str | None = None,
    kiosk_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict]:
    """One page of the central queue, newest first (the session's finish time, else its
    start), document id breaking ties.

    ``search``: every word must appear somewhere in the patient's, representative's or
    signer's name, the date of birth, the MRN or the document id, ignoring case and accents.
    ``kiosk_id`` keeps one kiosk's consents.

    Example::

        list_queue(conn, search="muller", kiosk_id="ward-3-kiosk", limit=20)
    """
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must not be negative")
    where, params = [], []
    if kiosk_id is not None:
        where.append("kiosk_id = %s")
        params.append(kiosk_id)
    for word in (search or "").split():
        # kiosk_fold of a constant is folded at planning time, so the trigram index is used.
        where.append("search_text LIKE '%%' || kiosk_fold(%s) || '%%'")
        params.append(_like_escaped(word))
    sql = (
        f"SELECT {', '.join(QUEUE_COLUMNS)} FROM consents"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + " ORDER BY queue_time DESC, document_id DESC LIMIT %s OFFSET %s"
    )
    rows = _read(conn, sql, [*params, limit, offset])
    return [_plain(row) for row in rows]


def get_consent(conn: psycopg.Connection, document_id: str) -> dict | None:
    """The consent's queue row with ``record`` (decoded), ``pdf`` and ``countersigned_pdf``
    (bytes, or None), or None when there is no such consent."""
    try:
        key = uuid.UUID(str(document_id))
    except ValueError:
        return None
    rows = _read(conn, f"SELECT {', '.join(QUEUE_COLUMNS)}, record, pdf, countersigned_pdf,"
                 " countersignature FROM consents WHERE document_id = %s", [key])
    if not rows:
        return None
    row = _plain(rows[0])
    for name in ("pdf", "countersigned_pdf"):
        row[name] = bytes(row[name]) if row[name] is not None else None
    return row


def countersign(
    conn: psycopg.Connection,
    document_id: str,
    *,
    clinician: str,
    role: str,
    account_id: str,
    at: str | datetime,
    pdf_bytes: bytes,
) -> str:
    """Store the clinician's countersignature and the countersigned PDF; its SHA-256.

    At most one countersignature per consent: the row is updated only WHERE it is not
    countersigned yet, so of two stations at the same moment the second waits for the
    first's commit, finds the row countersigned and gets ``AlreadyCountersigned`` ("already
    countersigned by X at T"). Only a consented, non-void consent can be countersigned. The
    action goes into ``review_events`` (``kiosk_id`` NULL, actor the account id) in the
    same transaction. The patient's PDF is not touched.
    """
    for label, value in (("clinician", clinician), ("role", role), ("account id", account_id)):
        if not isinstance(value, str) or not value.strip():
            raise CentralError(f"The countersignature needs the {label}; nothing was stored.")
    if not at:
        raise CentralError("The countersignature needs its time; nothing was stored.")
    if not isinstance(pdf_bytes, (bytes, bytearray, memoryview)) or len(pdf_bytes) == 0:
        raise CentralError("The countersigned PDF is empty; nothing was stored.")
    data = bytes(pdf_bytes)
    sha256 = hashlib.sha256(data).hexdigest()
    signature = {"clinician_name": clinician, "role": role, "account_id": account_id,
                 "signed_at": at.isoformat() if isinstance(at, datetime) else at}
    try:
        key = uuid.UUID(str(document_id))
    except ValueError:
        raise CentralError(f"There is no consent {document_id}.") from None
    try:
        with conn.transaction():
            done = conn.execute(
                "UPDATE consents SET countersigned_pdf = %s, countersigned_pdf_sha256 = %s,"
                " countersigned_by = %s, countersigned_role = %s, countersigned_account_id = %s,"
                " countersigned_at = %s, countersignature = %s, countersigned_where = 'central',"
                " review_state = 'fully_signed'"
                " WHERE document_id = %s AND countersigned_at IS NULL AND NOT void"
                " AND outcome = 'consented' RETURNING document_id",
                [data, sha256, clinician, role, account_id, at, Jsonb(signature), key],
            ).fetchone()
            if done is None:
                raise _why_not_countersignable(conn, key)
            conn.execute(
                "INSERT INTO review_events (event_id, document_id, kiosk_id, at, actor, action,"
                " detail) VALUES (%s, %s, NULL, %s, %s, 'countersigned', %s)",
                [f"central/{uuid.uuid4()}", str(key), at, account_id,
                 Jsonb({"clinician": clinician, "role": role, "pdf_sha256": sha256})],
            )
    except psycopg.Error as error:
        raise CentralError(f"Consent {document_id} was not countersigned: {first_line(error)}. "
                           "Try again.") from error
    return sha256


def _why_not_countersignable(conn: psycopg.Connection, key: uuid.UUID) -> CentralError:
    row = conn.execute(
        "SELECT outcome, void, countersigned_by, countersigned_at, countersigned_where"
        " FROM consents WHERE document_id = %s", [key]).fetchone()
    if row is None:
        return CentralError(f"There is no consent {key}.")
    outcome, void, by, at, where = row
    if by is not None:
        when = at.isoformat() if isinstance(at, datetime) else at
        return AlreadyCountersigned(
            f"Consent {key} is already countersigned by {by} at {when} ({where}); "
            "it was not signed again.")
    if void:
        return CentralError(f"Consent {key} is void, so it cannot be countersigned.")
    return CentralError(f"Consent {key} was not given (the patient chose {outcome!r}), "
                        "so there is nothing to countersign.")


def _read(conn: psycopg.Connection, sql: str, params: list) -> list[dict]:
    try:
        with conn.transaction(), conn.cursor(row_factory=dict_row) as cursor:
            return cursor.execute(sql, params).fetchall()
    except psycopg.Error as error:
        raise CentralError(f"The central database cannot be read: {first_line(error)}") from error


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """Ids and times as text, as the kiosk's own rows have them."""
    for name, value in row.items():
        if isinstance(value, uuid.UUID):
            row[name] = str(value)
        elif isinstance(value, datetime):
            row[name] = value.isoformat()
    return row


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
