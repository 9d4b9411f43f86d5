"""From a finished session to a saved consent: record, PDF, durable archive. No Qt here.

Two steps, so nothing is lost when saving fails: `prepare_consent` freezes the record and
renders its PDF once; `save_consent` writes and commits it, and may be called again with the
same `PendingConsent` until it succeeds (a full disk, a folder that cannot be written).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.flow import build_record
from kiosk.settings import Settings
from kiosk.store import SavedConsent, archive_consent


@dataclass(frozen=True)
class PendingConsent:
    """A finished record and its PDF, held in memory until they are safely stored."""

    record: dict
    pdf: bytes | None


def prepare_consent(session, pack, settings: Settings, *, outcome: str | None = None) -> PendingConsent:
    """Freeze the session into its record and render the PDF (none for an abandoned session)."""
    record = build_record(session, pack, time_zone=settings.time_zone or "local", outcome=outcome)
    pdf = None
    if record["outcome"] != "abandoned":
        from kiosk.documents import render_consent_pdf  # ReportLab loads here, not at start-up

        pdf = render_consent_pdf(record, hospital_name=settings.hospital_name, page_size=settings.page_size,
                                 labels=pack.pdf_labels)
    return PendingConsent(record, pdf)


def save_consent(db, consents_dir: Path, pending: PendingConsent) -> SavedConsent:
    """Durably store a prepared consent: PDF written and fsynced, then the row committed.

    Raises `kiosk.store.StoreError` with a plain message; the pending consent is untouched, so
    the same call can be retried.
    """
    return archive_consent(db, consents_dir, pending.record, pending.pdf)
