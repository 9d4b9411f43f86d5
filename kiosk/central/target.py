"""The outbox target "central": consents and review events into the hospital's PostgreSQL.

``CentralTarget(dsn, kiosk_id=...)`` delivers one outbox entry per call, in ONE transaction:

- kind ``consent``: the kiosk's ``consents`` row (typed), the full record (jsonb) and the PDF's
  bytes. The PDF is read through ``item.pdf_bytes()`` (checked against the kiosk's stored
  SHA-256) and checked again here, and the database's own CHECK refuses bytes that do not
  hash to ``pdf_sha256``: a consent arrives whole or not at all.
- kind ``event``: the kiosk's audit entry into ``review_events`` and its effect on the
  consent's row (seen, identity checked with the MRN, countersigned with the countersigned
  PDF, void). The consent itself is stored first if it is not there yet.

Idempotent: ``INSERT ... ON CONFLICT (document_id / event_id) DO NOTHING``, so a delivery
repeated after a lost answer, or by a second process at the same moment, creates nothing
new and applies no effect twice.

Errors: what may work later (server down, connection cut, time-out, a missing extension,
no permission) raise ``DeliveryError(permanent=False)`` and the connection is dropped, to
be opened again on the next call; what never will (a PDF that does not match its SHA-256,
a value the database refuses, a consent id already used by another consent, a kiosk
countersignature of a consent already countersigned at the central database) raise
``DeliveryError(permanent=True)``.

Threading: ``deliver`` may be called from any one thread at a time (the outbox's sender);
a lock makes concurrent calls wait. The target holds one connection (psycopg 3,
autocommit off, a short connect timeout).
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from kiosk.central.schema import CentralError, first_line, migrate
from kiosk.outbox.target import DeliveryError, OutboxItem

CONNECT_TIMEOUT_SECONDS = 5
STATEMENT_TIMEOUT_MS = 30_000

# The kiosk's consents columns copied as they are (text, numbers, times as ISO text).
_COPIED = (
    "started_at", "finished_at", "saved_at", "outcome", "patient_name", "patient_dob",
    "representative_name", "representative_relationship", "signer_name", "signed_at",
    "language", "content_id", "content_version", "content_sha256", "pdf_sha256", "pdf_size",
    "needs_doctor_count", "review_state", "mrn", "identity_checked_by", "identity_checked_at",
    "void_reason", "voided_by", "voided_at",
)  # fmt: skip


class CentralTarget:
    """Hands outbox entries to the central PostgreSQL database (see the module docstring)."""

    name = "central"

    def __init__(self, dsn: str, *, kiosk_id: str, connect_timeout: int = CONNECT_TIMEOUT_SECONDS):
        if not isinstance(kiosk_id, str) or not kiosk_id.strip():
            raise ValueError("a central target needs this kiosk's id (a non-empty text)")
        self.dsn = dsn
        self.kiosk_id = kiosk_id
        self.connect_timeout = connect_timeout
        self._conn: psycopg.Connection | None = None
        self._lock = threading.Lock()

    def deliver(self, item: OutboxItem) -> str | None:
        """Store ``item`` at the central database; a short receipt. See the module docstring."""
        if item.kind not in ("consent", "event"):
            raise DeliveryError(f"outbox entry {item.id} has an unknown kind {item.kind!r}", permanent=True)
        if item.kiosk_id and item.kiosk_id != self.kiosk_id:
            raise DeliveryError(
                f"outbox entry {item.id} was made by kiosk {item.kiosk_id!r}, but this kiosk is "
                f"{self.kiosk_id!r}; it was not sent", permanent=True)
        consent = _consent_values(item, self.kiosk_id) if item.consent else None  # reads the PDFs
        with self._lock:
            conn = self._connection()
            try:
                with conn.transaction():
                    conn.execute("INSERT INTO kiosks (id) VALUES (%s)"
                                 " ON CONFLICT (id) DO UPDATE SET last_seen = now()", [self.kiosk_id])
                    stored = _insert_consent(conn, consent) if consent else False
                    if item.kind == "consent":
                        return (f"consent {item.document_id} stored" if stored
                                else f"consent {item.document_id} was already there")
                    receipt, refusal = _insert_event(conn, item, self.kiosk_id, consent)
            except (psycopg.DataError, psycopg.IntegrityError) as error:
                raise DeliveryError(f"the central database refused entry {item.id} "
                                    f"(consent {item.document_id}): {first_line(error)}",
                                    permanent=True) from error
            except psycopg.Error as error:
                self._drop()
                raise DeliveryError(f"the central database could not take entry {item.id}: "
                                    f"{first_line(error)}") from error
        if refusal:  # the event is stored (the audit trail is complete); its effect was refused
            raise DeliveryError(refusal, permanent=True)
        return receipt

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _connection(self) -> psycopg.Connection:
        """The open connection, or a new one (schema brought up to date on each new one)."""
        if self._conn is not None and not self._conn.closed:
            return self._conn
        try:
            conn = psycopg.connect(
                self.dsn, autocommit=False, connect_timeout=self.connect_timeout,
                application_name=f"kiosk {self.kiosk_id}"[:63],
                options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}")
        except psycopg.Error as error:
            raise DeliveryError(f"the central database cannot be reached: {first_line(error)}") from error
        try:
            migrate(conn)
        except (psycopg.Error, CentralError) as error:
            conn.close()
            raise DeliveryError(f"the central database is not ready: {first_line(error)}") from error
        self._conn = conn
        return conn

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except psycopg.Error:
                pass
            self._conn = None



def _consent_values(item: OutboxItem, kiosk_id: str) -> dict[str, Any]:
    """The central row for the kiosk's consent row, PDFs read and checked (outside any
    transaction: reading a file must not hold database locks)."""
    row = item.consent
    document_id = str(row.get("document_id") or item.document_id)
    values: dict[str, Any] = {c: row.get(c) for c in _COPIED}
    values["document_id"] = document_id
    values["kiosk_id"] = kiosk_id
    values["flags"] = Jsonb(_decoded(row.get("flags"), []))
    values["help_requested"] = bool(row.get("help_requested"))
    values["void"] = bool(row.get("void"))
    record = item.record or _decoded(row.get("record_json"), None)
    if not isinstance(record, dict):
        raise DeliveryError(f"consent {document_id} has no record to send", permanent=True)
    values["record"] = Jsonb(record)
    values["pdf"] = None
    if row.get("pdf_path"):
        values["pdf"] = _checked_pdf(item, "original", row.get("pdf_sha256"), row.get("pdf_size"))
    elif row.get("outcome") != "abandoned":
        raise DeliveryError(f"consent {document_id} has no PDF; it was not sent", permanent=True)
    values.update(countersigned_pdf=None, countersigned_pdf_sha256=None, countersigned_by=None,
                  countersigned_role=None, countersigned_at=None, countersignature=None,
                  countersigned_where=None)
    if row.get("countersigned_pdf_path"):
        values.update(
            countersigned_pdf=_checked_pdf(item, "countersigned", row.get("countersigned_pdf_sha256"), None),
            countersigned_pdf_sha256=row.get("countersigned_pdf_sha256"),
            countersigned_by=row.get("countersigned_by"),
            countersigned_role=row.get("countersigned_role"),
            countersigned_at=row.get("countersigned_at"),
            countersignature=Jsonb(_decoded(row.get("countersignature_json"), None)),
            countersigned_where=f"kiosk {kiosk_id}",
        )
    return values


def _checked_pdf(item: OutboxItem, which: str, sha256: Any, size: Any) -> bytes:
    """The PDF's bytes, refused (permanently) unless they hash to the stored SHA-256: the
    outbox checks too, but a row with no SHA-256 at all must not slip through."""
    data = item.pdf_bytes(which)
    if not sha256 or hashlib.sha256(data).hexdigest() != sha256 or (size is not None and size != len(data)):
        raise DeliveryError(
            f"the {which} PDF of consent {item.document_id} does not match the SHA-256 and size "
            "stored with it; it was not sent", permanent=True)
    return data


def _decoded(value: Any, default: Any) -> Any:
    if value is None:
        return default
    if isinstance(value, (str, bytes)):
        return json.loads(value)
    return value


_CONSENT_COLUMNS = (
    "document_id", "kiosk_id", *_COPIED, "flags", "help_requested", "void", "record", "pdf",
    "countersigned_pdf", "countersigned_pdf_sha256", "countersigned_by", "countersigned_role",
    "countersigned_at", "countersignature", "countersigned_where",
)  # fmt: skip
_INSERT_CONSENT = (
    f"INSERT INTO consents ({', '.join(_CONSENT_COLUMNS)})"
    f" VALUES ({', '.join(f'%({c})s' for c in _CONSENT_COLUMNS)})"
    " ON CONFLICT (document_id) DO NOTHING RETURNING document_id"
)


def _insert_consent(conn: psycopg.Connection, values: dict[str, Any]) -> bool:
    """Insert the consent unless it is there; True if this call stored it. A different
    consent under the same id (another kiosk, another PDF) is refused."""
    if conn.execute(_INSERT_CONSENT, values).fetchone() is not None:
        return True
    kiosk_id, sha256 = conn.execute(
        "SELECT kiosk_id, pdf_sha256 FROM consents WHERE document_id = %s", [values["document_id"]]
    ).fetchone()
    if kiosk_id != values["kiosk_id"] or sha256 != values["pdf_sha256"]:
        raise psycopg.IntegrityError(
            f"another consent with the id {values['document_id']} is already stored (from kiosk "
            f"{kiosk_id!r}, PDF SHA-256 {sha256}); this one was not stored over it")
    return False


def _insert_event(conn: psycopg.Connection, item: OutboxItem, kiosk_id: str,
                  consent: dict[str, Any] | None) -> tuple[str, str | None]:
    """Store the audit entry and apply its effect; (receipt, refusal or None)."""
    event = item.event or {}
    detail = _decoded(event.get("detail"), {})
    inserted = conn.execute(
        "INSERT INTO review_events (event_id, document_id, kiosk_id, audit_id, at, actor, action,"
        " detail, entry_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
        [item.event_id, event.get("document_id") or item.document_id or None, kiosk_id,
         event.get("id"), event.get("at") or item.created_at, event.get("actor") or "unknown",
         event.get("action") or "unknown", Jsonb(detail), event.get("hash")],
    ).fetchone()
    if inserted is None:
        return f"event {item.event_id} was already there", None
    effect = _EFFECTS.get(event.get("action"))
    refusal = effect(conn, item, event, detail, consent) if effect and consent else None
    return f"event {item.event_id} stored", refusal


def _viewed(conn, item, event, detail, consent) -> None:
    conn.execute("UPDATE consents SET review_state = 'seen' WHERE document_id = %s"
                 " AND review_state = 'new'", [item.document_id])


def _identity_checked(conn, item, event, detail, consent) -> None:
    conn.execute(
        "UPDATE consents SET mrn = %s, identity_checked_by = %s, identity_checked_at = %s,"
        " review_state = CASE WHEN review_state IN ('new', 'seen') THEN 'identity_checked'"
        " ELSE review_state END WHERE document_id = %s",
        [detail.get("mrn"), event.get("actor"), event.get("at"), item.document_id])


def _voided(conn, item, event, detail, consent) -> None:
    conn.execute(
        "UPDATE consents SET void = true, void_reason = %s, voided_by = %s, voided_at = %s,"
        " review_state = 'void' WHERE document_id = %s AND NOT void",
        [detail.get("reason"), event.get("actor"), event.get("at"), item.document_id])


def _countersigned(conn, item, event, detail, consent) -> str | None:
    """Apply the kiosk's countersignature unless the consent is countersigned already: then
    the same one is fine, another (made at the central database) is a refusal."""
    sha256, pdf = consent["countersigned_pdf_sha256"], consent["countersigned_pdf"]
    if pdf is None or detail.get("pdf_sha256") not in (None, sha256):
        return (f"consent {item.document_id}: the countersignature event {item.event_id} does not "
                "match the kiosk's countersigned PDF; the event was recorded, not applied")
    changed = conn.execute(
        "UPDATE consents SET countersigned_pdf = %s, countersigned_pdf_sha256 = %s,"
        " countersigned_by = %s, countersigned_role = %s, countersigned_at = %s,"
        " countersignature = %s, countersigned_where = %s, review_state = 'fully_signed'"
        " WHERE document_id = %s AND countersigned_at IS NULL RETURNING document_id",
        [pdf, sha256, consent["countersigned_by"], consent["countersigned_role"],
         consent["countersigned_at"], consent["countersignature"], consent["countersigned_where"],
         item.document_id],
    ).fetchone()
    if changed is not None:
        return None
    by, at, where, existing = conn.execute(
        "SELECT countersigned_by, countersigned_at, countersigned_where, countersigned_pdf_sha256"
        " FROM consents WHERE document_id = %s", [item.document_id]).fetchone()
    if existing == sha256:
        return None
    return (f"consent {item.document_id} was already countersigned by {by} at {at} ({where}); "
            f"the countersignature made on kiosk {item.kiosk_id} by {consent['countersigned_by']} "
            "was recorded in its audit trail but not applied. Ask the clinicians which one stands.")


_EFFECTS = {
    "view_record": _viewed,
    "identity_checked": _identity_checked,
    "voided": _voided,
    "countersigned": _countersigned,
}
