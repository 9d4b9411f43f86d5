"""What the outbox hands to a target, and what a target answers (Qt-free).

A target is anything with a `name` and a `deliver(item)` method: the central PostgreSQL
database, a FHIR R4 endpoint, an HL7 v2 MLLP listener. The outbox calls `deliver` with one
entry at a time, in the order the entries were made, from its own background thread; a
target never sees the kiosk's SQLite connection.

`deliver` returns a short receipt (the server's Location, an ACK's control id, ...) or None,
and must be idempotent by `item.event_id`: the outbox delivers an entry again after a lost
answer or a restart, and a second delivery must create nothing new. It raises
`DeliveryError` when the entry did not arrive: `permanent=False` (the default) for what may
work later (server down, time-out, 5xx), `permanent=True` for what never will without a
person (400, a refused message): the outbox then marks the entry failed, with the reason,
and shows it to the nurses and to IT.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


class DeliveryError(Exception):
    """The entry did not reach the target; the message says why in plain words."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class OutboxItem:
    """One outbox entry with what a target needs to send it.

    kind "consent": a stored consent (`consent` is its `consents` row, every column, with
    `record_json`; `record` is that JSON parsed; `pdf_bytes()` reads its PDF and checks it
    against the row's sha256). kind "event": a review event (`event` is its `audit_log` row:
    id, at, actor, action, document_id, detail (parsed)), with the consent's row as it is now
    (a countersigned consent's `countersigned_pdf_path`/`_sha256` are there).
    """

    id: int                # the outbox entry's id: the order entries are delivered in
    kind: str              # "consent" or "event"
    event_id: str          # unique and stable: the consent's document_id, or "<document_id>/audit/<id>"
    document_id: str       # the consent's UUID
    created_at: str        # ISO 8601 UTC
    kiosk_id: str          # which kiosk made it
    consent: dict[str, Any] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)
    event: dict[str, Any] | None = None

    def pdf_bytes(self, which: str = "original") -> bytes:
        """The consent's PDF ("original") or its countersigned version ("countersigned"),
        checked against the stored SHA-256; DeliveryError (permanent) if missing or changed."""
        import hashlib

        path_key, sha_key = (("pdf_path", "pdf_sha256") if which == "original"
                             else ("countersigned_pdf_path", "countersigned_pdf_sha256"))
        path, expected = self.consent.get(path_key), self.consent.get(sha_key)
        if not path:
            raise DeliveryError(f"consent {self.document_id} has no {which} PDF", permanent=True)
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise DeliveryError(f"the {which} PDF of consent {self.document_id} cannot be read: {error}",
                                permanent=True) from error
        if expected and hashlib.sha256(data).hexdigest() != expected:
            raise DeliveryError(f"the {which} PDF of consent {self.document_id} does not match its stored "
                                "SHA-256; it was not sent", permanent=True)
        return data


class Target(Protocol):
    name: str  # stable, e.g. "central", "fhir", "hl7"; the outbox keeps each target's progress under it

    def deliver(self, item: OutboxItem) -> str | None: ...
