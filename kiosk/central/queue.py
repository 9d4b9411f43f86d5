"""What a nurse station pointed at the central database reads and does (Qt-free).

``list_queue`` shows every kiosk's consents, newest first, with the kiosk's id in each row,
and finds names without accents or case ("muller" finds "Müller", "marg" finds
"Margaret"); ``count_queue`` counts what the same filter keeps; ``get_consent`` reads one
with its record and PDFs; ``countersign`` stores the clinician's countersignature at most
once, however many stations try at the same moment; ``record_view``, ``check_identity`` and
``void`` are the station's other actions and ``record_event`` any other audit entry (a
print), each in one transaction with its ``review_events`` row; ``consent_events`` is a
consent's history and ``queue_version`` a cheap "has anything changed?" for a live queue.

A station writes its events with its own name as ``kiosk_id`` (``station:<host>``, recorded
in ``kiosks`` like a kiosk's) and the nurse's account id as ``actor``, so that who did what
is always "account X at station Y".

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
    """Another station (or a kiosk) countersigned this consent first; nothing was changed.
    ``by`` (the clinician), ``at`` (ISO 8601) and ``where`` say whose countersignature stands."""

    def __init__(self, message: str, *, by: str = "", at: str = "", where: str = ""):
        super().__init__(message)
        self.by, self.at, self.where = by, at, where


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
    outcome: str | None = None,
    review_state: str | None = None,
    flag: str | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict]:
    """One page of the central queue, newest first (the session's finish time, else its
    start), document id breaking ties.

    ``search``: every word must appear somewhere in the patient's, representative's or
    signer's name, the date of birth, the MRN or the document id, ignoring case and accents.
    ``kiosk_id`` keeps one kiosk's consents; ``outcome`` one outcome; ``review_state`` one
    review state ("void": the void ones; any other: not void and in that state); ``flag``
    "needs_doctor" (a question misunderstood) or "help" (asked for help); ``since`` and
    ``before`` (timezone-aware) the queue times from ``since`` up to, not including, ``before``.

    Example::

        list_queue(conn, search="muller", kiosk_id="ward-3-kiosk", limit=20)
    """
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must not be negative")
    where, params = _where(search=search, kiosk_id=kiosk_id, outcome=outcome, review_state=review_state,
                           flag=flag, since=since, before=before)
    sql = (
        f"SELECT {', '.join(QUEUE_COLUMNS)} FROM consents{where}"
        " ORDER BY queue_time DESC, document_id DESC LIMIT %s OFFSET %s"
    )
    rows = _read(conn, sql, [*params, limit, offset])
    return [_plain(row) for row in rows]


def count_queue(conn: psycopg.Connection, **filters) -> int:
    """How many consents ``list_queue`` with the same filters (no limit) would show."""
    where, params = _where(**filters)
    return _read(conn, f"SELECT count(*) AS n FROM consents{where}", params)[0]["n"]


_FLAGS = {"needs_doctor": "needs_doctor_count > 0", "help": "help_requested"}


def _where(*, search=None, kiosk_id=None, outcome=None, review_state=None, flag=None, since=None,
           before=None) -> tuple[str, list]:
    where, params = [], []
    for column, value in (("kiosk_id", kiosk_id), ("outcome", outcome)):
        if value is not None:
            where.append(f"{column} = %s")
            params.append(value)
    if review_state == "void":
        where.append("void")
    elif review_state is not None:
        where.append("review_state = %s AND NOT void")
        params.append(review_state)
    if flag is not None:
        if flag not in _FLAGS:
            raise ValueError(f"flag must be one of {tuple(_FLAGS)} or None, not {flag!r}")
        where.append(_FLAGS[flag])
    for sql, value in (("queue_time >= %s", since), ("queue_time < %s", before)):
        if value is not None:
            where.append(sql)
            params.append(value)
    for word in (search or "").split():
        # kiosk_fold of a constant is folded at planning time, so the trigram index is used.
        where.append("search_text LIKE '%%' || kiosk_fold(%s) || '%%'")
        params.append(_like_escaped(word))
    return (f" WHERE {' AND '.join(where)}" if where else ""), params


def queue_version(conn: psycopg.Connection) -> int:
    """A number that grows when any connection has added or changed a consent or a review
    event (PostgreSQL's own statistics, no table read: well under a millisecond). Another
    server process reports its changes a second or so after its commit (PostgreSQL 15 flushes
    a busy backend's statistics at most once a second, an idle one's within ten)."""
    return _read(conn, "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint AS n"
                       " FROM pg_stat_user_tables WHERE relname IN ('consents', 'review_events')", [])[0]["n"]


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
    station: str | None = None,
) -> str:
    """Store the clinician's countersignature and the countersigned PDF; its SHA-256.

    At most one countersignature per consent: the row is updated only WHERE it is not
    countersigned yet, so of two stations at the same moment the second waits for the
    first's commit, finds the row countersigned and gets ``AlreadyCountersigned`` ("already
    countersigned by X at T"). Only a consented, non-void consent can be countersigned. The
    action goes into ``review_events`` (``kiosk_id`` the ``station``'s name, else NULL; actor
    the account id) in the same transaction. The patient's PDF is not touched.
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
            _add_event(conn, key, station=station, at=at, actor=account_id, action="countersigned",
                       detail={"clinician": clinician, "role": role, "pdf_sha256": sha256})
    except CentralError:
        raise
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
            "it was not signed again.", by=by, at=when, where=where or "")
    if void:
        return CentralError(f"Consent {key} is void, so it cannot be countersigned.")
    return CentralError(f"Consent {key} was not given (the patient chose {outcome!r}), "
                        "so there is nothing to countersign.")


def record_view(conn: psycopg.Connection, document_id: str, *, actor: str, at: str | datetime,
                station: str) -> None:
    """A nurse opened the consent: a ``view_record`` event; a new consent becomes "seen"."""
    key = _key(document_id)
    _act(conn, key, "was not marked as seen", station=station, at=at, actor=actor, action="view_record",
         detail={}, update="UPDATE consents SET review_state = 'seen' WHERE document_id = %s"
                           " AND review_state = 'new' RETURNING document_id", params=[key], required=False)


def check_identity(conn: psycopg.Connection, document_id: str, *, mrn: str, actor: str,
                   at: str | datetime, station: str) -> None:
    """Store the MRN checked on the wristband with who checked it and when, and its
    ``identity_checked`` event. Refused (CentralError) for a void consent."""
    if not isinstance(mrn, str) or not mrn.strip():
        raise CentralError("The identity check needs the hospital number (MRN); nothing was stored.")
    key = _key(document_id)
    _act(conn, key, "was not marked as identity checked", station=station, at=at, actor=actor,
         action="identity_checked", detail={"mrn": mrn},
         update="UPDATE consents SET mrn = %s, identity_checked_by = %s, identity_checked_at = %s,"
                " review_state = CASE WHEN review_state IN ('new', 'seen') THEN 'identity_checked'"
                " ELSE review_state END WHERE document_id = %s AND NOT void RETURNING document_id",
         params=[mrn, actor, at, key], refused=f"Consent {key} is void, so its identity cannot be checked.")


def void(conn: psycopg.Connection, document_id: str, *, reason: str, actor: str, at: str | datetime,
         station: str) -> None:
    """Mark the consent void with its reason (its record and PDFs stay), and its ``voided``
    event. Refused (CentralError) for one already void."""
    if not isinstance(reason, str) or not reason.strip():
        raise CentralError("Voiding needs a reason; nothing was changed.")
    key = _key(document_id)
    _act(conn, key, "was not voided", station=station, at=at, actor=actor, action="voided",
         detail={"reason": reason},
         update="UPDATE consents SET void = true, void_reason = %s, voided_by = %s, voided_at = %s,"
                " review_state = 'void' WHERE document_id = %s AND NOT void RETURNING document_id",
         params=[reason, actor, at, key], refused=f"Consent {key} is already void.")


def record_event(conn: psycopg.Connection, document_id: str | None, *, actor: str, action: str,
                 at: str | datetime, station: str, detail: dict | None = None) -> None:
    """Any other audit entry of the station (a print, a failed print), committed now."""
    try:
        with conn.transaction():
            _add_event(conn, _key(document_id) if document_id else None, station=station, at=at,
                       actor=actor, action=action, detail=detail or {})
    except psycopg.Error as error:
        raise CentralError(f"The {action!r} entry was not written: {first_line(error)}") from error


def consent_events(conn: psycopg.Connection, document_id: str) -> list[dict]:
    """Every review event about the consent, oldest first: ``at``, ``actor``, ``action``,
    ``detail`` (dict) and ``kiosk_id`` (the kiosk or station that wrote it; None for one
    written at the database by an older station)."""
    rows = _read(conn, "SELECT at, actor, action, detail, kiosk_id FROM review_events"
                       " WHERE document_id = %s ORDER BY at, received_at, event_id", [str(_key(document_id))])
    return [_plain(row) for row in rows]


def _key(document_id) -> uuid.UUID:
    try:
        return uuid.UUID(str(document_id))
    except ValueError:
        raise CentralError(f"There is no consent {document_id}.") from None


def _act(conn, key, failed: str, *, station, at, actor, action, detail, update, params,
         required: bool = True, refused: str = "") -> None:
    """``update`` (RETURNING the id) and its event in one transaction; nothing at all if the
    consent is missing, or, when ``required``, if the update changed no row (``refused``)."""
    try:
        with conn.transaction():
            if conn.execute("SELECT 1 FROM consents WHERE document_id = %s FOR UPDATE", [key]).fetchone() is None:
                raise CentralError(f"There is no consent {key}.")
            if conn.execute(update, params).fetchone() is None and required:
                raise CentralError(refused)
            _add_event(conn, key, station=station, at=at, actor=actor, action=action, detail=detail)
    except CentralError:
        raise
    except psycopg.Error as error:
        raise CentralError(f"Consent {key} {failed}: {first_line(error)}. Try again.") from error


def _add_event(conn, key, *, station, at, actor, action, detail) -> None:
    """One ``review_events`` row written here (event id ``central/<uuid>``), the station
    recorded in ``kiosks`` first (its name is the event's ``kiosk_id``)."""
    if station:
        conn.execute("INSERT INTO kiosks (id) VALUES (%s) ON CONFLICT (id) DO UPDATE SET last_seen = now()",
                     [station])
    conn.execute(
        "INSERT INTO review_events (event_id, document_id, kiosk_id, at, actor, action, detail)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        [f"central/{uuid.uuid4()}", str(key) if key else None, station or None, at, actor, action, Jsonb(detail)])


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
