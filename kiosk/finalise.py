"""From a finished session to a saved consent: record, PDF, durable archive. No Qt here.

Two steps, so nothing is lost when saving fails: `prepare_consent` freezes the record and
renders and seals its PDF once; `save_consent` writes and commits it, and may be called again with the
same `PendingConsent` until it succeeds (a full disk, a folder that cannot be written).
"""

from __future__ import annotations

import json
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


RECORD_FILE = "consent-record.json"  # the record, attached to its sealed PDF


def record_json(record: dict) -> str:
    """The record as the store keeps it (``consents.record_json``) and as its PDF carries it."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, allow_nan=False)


def current_audit_head(db) -> str:
    """The audit chain head as the sealed PDF carries it: "<entry id>:<hash>"."""
    from kiosk.store.audit import chain_head

    entry, digest = chain_head(db)
    return f"{entry}:{digest}"


def prepare_consent(session, pack, settings: Settings, *, outcome: str | None = None, signer=None,
                    audit_head: str | None = None, sample: bool = False) -> PendingConsent:
    """Freeze the session into its record and render its PDF, sealed (none for an abandoned
    session): `freeze_record`, then `render_pending`.

    Every PDF is sealed with `signer` (a `kiosk.documents.seal.SealSigner`, see
    `kiosk.seal_key.load_seal_signer`): the record JSON attached as "consent-record.json",
    `audit_head` (the audit chain head, e.g. "41:9f2c…", if the caller has it) as the PDF's
    `KioskAuditHead` metadata, and an empty signature field in the box kept for the
    clinician's countersignature. ValueError when a PDF is due and `signer` is None: an
    unsealed consent is never made.

    `sample=True` (only `kiosk demo`) marks a training consent: the record gets
    ``"sample": true`` and every page of its PDF says SAMPLE.
    """
    record = freeze_record(session, pack, settings, outcome=outcome, sample=sample)
    return render_pending(record, pack, settings, signer=signer, audit_head=audit_head)


def freeze_record(session, pack, settings: Settings, *, outcome: str | None = None, sample: bool = False) -> dict:
    """The session's record, as it will be stored: a plain dict that no longer refers to the
    session (about 1 ms once warm), so the PDF can be made from it on another thread."""
    record = build_record(session, pack, time_zone=settings.time_zone or "local", outcome=outcome)
    if sample:
        record["sample"] = True
    return record


def render_pending(record: dict, pack, settings: Settings, *, signer=None,
                   audit_head: str | None = None) -> PendingConsent:
    """The PDF of a frozen `record`, rendered and sealed (see `prepare_consent`); None for an
    abandoned one. Reads nothing but its arguments: safe on a worker thread."""
    pdf = None
    if record["outcome"] != "abandoned":
        if signer is None:
            raise ValueError("a consent PDF is always sealed: pass signer=load_seal_signer(...)")
        from kiosk.documents import render_consent  # ReportLab and pyHanko load here, not at start-up
        from kiosk.documents.seal import seal_pdf

        rendered = render_consent(record, hospital_name=settings.hospital_name, page_size=settings.page_size,
                                  labels=pack.pdf_labels, staff=staff_summary(record, pack, settings))
        metadata = {"KioskDocumentId": str(record.get("document_id") or "")}
        if audit_head:
            metadata["KioskAuditHead"] = audit_head
        reserved = [rendered.countersignature_field] if rendered.countersignature_field else []
        pdf = seal_pdf(rendered.pdf, signer, attachments={RECORD_FILE: record_json(record).encode("utf-8")},
                       metadata=metadata, location=settings.hospital_name or None, reserve_fields=reserved)
    return PendingConsent(record, pdf)


def staff_summary(record: dict, pack, settings: Settings):
    """The staff page for a consent in a language other than `staff_language`; None if not needed."""
    if pack.language == settings.staff_language:
        return None
    from kiosk.content import load_pack
    from kiosk.documents.staff_page import make_staff_summary

    return make_staff_summary(record, pack, load_pack(settings.staff_language, procedure=pack.id))


def warm_up(pack, settings: Settings, signer) -> None:
    """Load and exercise everything a first consent needs (ReportLab, svglib, the fonts, the
    PDF pictures, pyHanko's signing path, the time zone, the pack's fingerprint) by making one
    sample consent in memory and throwing it away. Nothing is stored. For the save worker,
    after the first paint: without it the first Sign of the day waits about 0.6 s longer."""
    import random

    from kiosk.flow.clock import make_clock
    from kiosk.flow.walk import walk_session

    session = walk_session(pack, name="Warm Up", outcome="consented", representative=None, wrong_once=(),
                           wrong_twice=(), clock=make_clock(settings.time_zone), rng=random.Random(0))
    record = freeze_record(session, pack, settings)
    if signer is not None:
        render_pending(record, pack, settings, signer=signer, audit_head="0:" + "0" * 64)


def save_consent(db, consents_dir: Path, pending: PendingConsent) -> SavedConsent:
    """Durably store a prepared consent: PDF written and fsynced, then the row committed.

    Raises `kiosk.store.StoreError` with a plain message; the pending consent is untouched, so
    the same call can be retried.
    """
    return archive_consent(db, consents_dir, pending.record, pending.pdf)


def prepare_countersignature(row: dict, countersignature: dict, settings: Settings, data_dir: Path, *,
                             labels: dict | None = None, signer=None) -> bytes:
    """The countersigned PDF of a stored consent (`row` from `kiosk.store.get_consent`): its
    sealed original, read back and checked against the row's sha256, plus the clinician's
    countersignature as an incremental update (`kiosk.documents.countersignature`), sealed by
    `signer` (default: this kiosk's, `load_seal_signer(data_dir, settings)`). The original
    stays a byte-for-byte prefix. ValueError with a plain message if the original is missing
    or changed, is not a sealed consent, or the key cannot be used; nothing is written.
    """
    import hashlib

    from kiosk.documents.countersignature import countersign_consent
    from kiosk.documents.seal import SealError
    from kiosk.seal_key import SealKeyError, load_seal_signer

    document_id = row.get("document_id")
    try:
        original = Path(row["pdf_path"]).read_bytes()
    except (KeyError, TypeError, OSError) as error:
        raise ValueError(f"The PDF of consent {document_id} cannot be read "
                         f"({getattr(error, 'strerror', None) or error}); it was not countersigned.") from None
    if hashlib.sha256(original).hexdigest() != row.get("pdf_sha256"):
        raise ValueError(f"The stored PDF of consent {document_id} is not the one that was saved (its SHA-256 "
                         f"differs); it was not countersigned. Ask IT to check the archive (kiosk doctor).")
    try:
        signer = signer or load_seal_signer(data_dir, settings)
        return countersign_consent(original, row["record"], countersignature, signer, labels=labels,
                                   location=settings.hospital_name or None)
    except (SealError, SealKeyError) as error:
        raise ValueError(str(error)) from None
