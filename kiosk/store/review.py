"""What a nurse does to a saved consent: view it, check the patient's identity, add the
clinician's countersignature, void it, and acknowledge a call for help.

Review states, in ``consents.review_state``: ``new`` -> ``seen`` (first viewed) ->
``identity_checked`` -> ``fully_signed`` (countersigned); ``void`` at any point. Nothing here
deletes a row or a PDF, and the patient's original PDF and its sha256 are never touched.

Durability: each action is ONE transaction together with its audit entry, committed
(``synchronous=FULL``) before the call returns: the change and its entry exist together or
not at all. ``add_countersignature`` also writes a PDF, durably, before that commit (and
removes it again if the commit fails). Threading: call from the thread that opened the
database. Each call takes a few milliseconds (the countersignature: one PDF write more).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk.store.audit import append_entry
from kiosk.store.database import StoreError
from kiosk.store.files import (
    durable_file,
    explain_write_failure,
    locked_if_free,
    remove_file_durably,
)
from kiosk.store.quarantine import quarantine
from kiosk.store.transactions import write_transaction

log = logging.getLogger(__name__)

REVIEW_STATES = ("new", "seen", "identity_checked", "fully_signed", "void")
VOID_REASON_MAX = 500
_MRN = re.compile(r"[A-Za-z0-9-]{3,20}")


def mark_viewed(db: sqlite_utils.Database, document_id: str, *, nurse: str, at: str) -> None:
    """Record that ``nurse`` opened the consent (``view_record``); a new one becomes seen."""
    _require_text(nurse=nurse, at=at)
    with write_transaction(db, "the viewing was not recorded"):
        _consent(db, document_id)
        db.conn.execute(
            "UPDATE consents SET review_state = 'seen'"
            " WHERE document_id = ? AND review_state = 'new'",
            [document_id],
        )
        append_entry(db, actor=nurse, action="view_record", document_id=document_id, at=at)


def set_identity_checked(
    db: sqlite_utils.Database,
    document_id: str,
    *,
    mrn: str,
    nurse: str,
    at: str,
    pattern: re.Pattern | None = None,
) -> None:
    """Store that ``nurse`` checked the patient's identity against their hospital number.

    ``mrn`` must match ``pattern`` as a whole (the ``mrn_pattern`` setting, compiled;
    default: 3 to 20 letters, digits or hyphens). A new or seen consent becomes
    ``identity_checked``; a countersigned one stays ``fully_signed``. Checking again
    replaces the number (both checks stay in the audit trail). Refused for a void consent.
    """
    mrn = mrn.strip() if isinstance(mrn, str) else ""
    if not mrn or not (pattern or _MRN).fullmatch(mrn):
        raise StoreError(
            "Type the patient's hospital number (MRN): 3 to 20 letters, digits or hyphens."
            if pattern is None else
            "That hospital number (MRN) does not have the form this hospital uses."
        )
    _require_text(nurse=nurse, at=at)
    with write_transaction(db, "the identity check was not stored"):
        _require_not_void(_consent(db, document_id), "its identity cannot be checked")
        db.conn.execute(
            "UPDATE consents SET mrn = ?, identity_checked_by = ?, identity_checked_at = ?,"
            " review_state = CASE WHEN review_state IN ('new', 'seen')"
            " THEN 'identity_checked' ELSE review_state END"
            " WHERE document_id = ?",
            [mrn, nurse, at, document_id],
        )
        append_entry(
            db, actor=nurse, action="identity_checked", document_id=document_id, at=at,
            detail={"mrn": mrn},
        )  # fmt: skip


def add_countersignature(
    db: sqlite_utils.Database,
    pdf_dir: Path,
    document_id: str,
    *,
    clinician_name: str,
    role: str,
    signed_at: str,
    countersignature: dict,
    pdf_bytes: bytes,
    nurse: str,
) -> Path:
    """Store the clinician's countersignature and the new PDF (version 2); its path.

    The PDF goes to ``<document_id>-countersigned.pdf`` beside the original (the same
    ``YYYY/MM`` folder under ``pdf_dir``), written durably and never over another file;
    then the row gets ``countersigned_*``, ``countersignature_json`` and
    ``review_state='fully_signed'``, with the ``countersigned`` audit entry, in one
    transaction (which holds the write lock from before the PDF is written, so two
    stations cannot both countersign). Only a consented, non-void consent that is not
    countersigned yet can be countersigned. The original PDF and its sha256 are not
    touched.
    """
    _require_text(clinician_name=clinician_name, role=role, signed_at=signed_at, nurse=nurse)
    signature_json = _signature_json(countersignature)
    if not isinstance(pdf_bytes, (bytes, bytearray, memoryview)) or len(pdf_bytes) == 0:
        raise StoreError("The countersigned PDF is empty; nothing was stored.")
    data = bytes(pdf_bytes)
    sha256 = hashlib.sha256(data).hexdigest()
    pdf_dir = Path(pdf_dir).absolute()
    path: Path | None = None
    wrote = False
    try:
        with ExitStack() as held, write_transaction(
            db, f"consent {document_id} was not countersigned; try again"
        ):
            row = _consent(db, document_id)
            _require_countersignable(row)
            path = _countersigned_path(pdf_dir, Path(row["pdf_path"]), document_id)
            wrote = _put_pdf(held, pdf_dir, path, data, sha256)
            db.conn.execute(
                "UPDATE consents SET countersigned_pdf_path = ?, countersigned_pdf_sha256 = ?,"
                " countersigned_by = ?, countersigned_role = ?, countersigned_at = ?,"
                " countersignature_json = ?, review_state = 'fully_signed'"
                " WHERE document_id = ?",
                [str(path), sha256, clinician_name, role, signed_at, signature_json, document_id],
            )
            append_entry(
                db, actor=nurse, action="countersigned", document_id=document_id, at=signed_at,
                detail={"clinician": clinician_name, "role": role, "pdf_sha256": sha256},
            )  # fmt: skip
    except BaseException:
        if wrote:
            _take_back(db, document_id, path)
        raise
    return path


def void_consent(
    db: sqlite_utils.Database, document_id: str, *, reason: str, nurse: str, at: str
) -> None:
    """Mark a consent void (``voided``): it stays in the archive with its PDFs, flagged.

    ``reason`` is required (not blank, at most 500 characters). Voiding twice is refused.
    """
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise StoreError("Give the reason for voiding this consent.")
    if len(reason) > VOID_REASON_MAX:
        raise StoreError(
            f"The reason is too long ({len(reason)} characters; at most {VOID_REASON_MAX})."
        )
    _require_text(nurse=nurse, at=at)
    with write_transaction(db, "the consent was not marked void"):
        _require_not_void(_consent(db, document_id), "it cannot be voided again")
        db.conn.execute(
            "UPDATE consents SET void = 1, void_reason = ?, voided_by = ?, voided_at = ?,"
            " review_state = 'void' WHERE document_id = ?",
            [reason, nurse, at, document_id],
        )
        append_entry(
            db, actor=nurse, action="voided", document_id=document_id, at=at,
            detail={"reason": reason},
        )  # fmt: skip


def acknowledge_help(db: sqlite_utils.Database, request_id: int, *, nurse: str, at: str) -> None:
    """Record that ``nurse`` answered a call for help (``help_acknowledged``).

    A call already acknowledged (by another nurse, a moment ago) is left as it was, and
    nothing is written: the first answer counts.
    """
    _require_text(nurse=nurse, at=at)
    with write_transaction(db, "the call for help was not marked as answered"):
        row = db.conn.execute(
            "SELECT session_id, step_id, acknowledged_at FROM help_requests WHERE id = ?",
            [request_id],
        ).fetchone()
        if row is None:
            raise StoreError(f"There is no call for help number {request_id}.")
        session_id, step_id, acknowledged_at = row
        if acknowledged_at is not None:
            return
        db.conn.execute(
            "UPDATE help_requests SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?",
            [at, nurse, request_id],
        )
        append_entry(
            db, actor=nurse, action="help_acknowledged", document_id=session_id, at=at,
            detail={"request_id": request_id, "step_id": step_id},
        )  # fmt: skip


def _consent(db: sqlite_utils.Database, document_id: Any) -> dict:
    cursor = db.conn.execute(
        "SELECT document_id, outcome, pdf_path, void, review_state, countersigned_pdf_path"
        " FROM consents WHERE document_id = ?",
        [str(document_id)],
    )
    row = cursor.fetchone()
    if row is None:
        raise StoreError(f"There is no consent {document_id}.")
    return dict(zip([c[0] for c in cursor.description], row))


def _require_not_void(row: dict, consequence: str) -> None:
    if row["void"]:
        raise StoreError(f"Consent {row['document_id']} is void, so {consequence}.")


def _require_countersignable(row: dict) -> None:
    _require_not_void(row, "it cannot be countersigned")
    if row["outcome"] != "consented":
        raise StoreError(
            f"Consent {row['document_id']} was not given (the patient chose "
            f"{row['outcome']!r}), so there is nothing to countersign."
        )
    if row["countersigned_pdf_path"]:
        raise StoreError(
            f"Consent {row['document_id']} is already countersigned; it was not signed again."
        )


def _countersigned_path(pdf_dir: Path, original: Path, document_id: str) -> Path:
    """Beside the original, in its YYYY/MM folder under ``pdf_dir`` (which wins if the
    archive was moved since the original was saved)."""
    try:
        folder = original.parent.relative_to(pdf_dir)
    except ValueError:
        folder = Path(original.parent.parent.name, original.parent.name)
    return pdf_dir / folder / f"{document_id}-countersigned.pdf"


def _put_pdf(held: ExitStack, pdf_dir: Path, path: Path, data: bytes, sha256: str) -> bool:
    """Write the PDF, locked in ``held`` until the commit; True if this call wrote it, False if
    identical bytes were already there (from an attempt whose commit failed or was killed).

    Different bytes there belong to no row (the caller holds the write lock and the row has
    no countersignature): a crashed attempt's. They are moved to quarantine, never
    overwritten, and never allowed to block the countersignature."""
    for _ in range(2):
        try:
            held.enter_context(durable_file(path, data))
            return True
        except FileExistsError:
            pass
        except OSError as exc:
            raise StoreError(explain_write_failure("the consent folder", pdf_dir, exc)) from exc
        try:
            if hashlib.sha256(path.read_bytes()).hexdigest() == sha256:
                return False
            with locked_if_free(path) as free:
                if not free:
                    raise StoreError(
                        f"Another station is saving a countersignature for this consent "
                        f"({path.name}) this very moment; nothing was stored. Try again."
                    )
                moved = quarantine(pdf_dir, path, "A countersigned PDF that no record owns "
                                                  "(left by an interrupted countersignature).")
            log.warning("Moved an orphan countersigned PDF to %s", moved)
        except OSError as exc:
            raise StoreError(explain_write_failure("the consent folder", pdf_dir, exc)) from exc
    raise StoreError(f"The countersigned PDF {path} could not be written; nothing was stored.")


def _take_back(db: sqlite_utils.Database, document_id: str, path: Path) -> None:
    """Remove the PDF this call wrote after its transaction failed, so a retry can write it
    - unless the row refers to it after all (or the database cannot tell). Never raises."""
    try:
        row = db.conn.execute(
            "SELECT countersigned_pdf_path FROM consents WHERE document_id = ?", [document_id]
        ).fetchone()
    except sqlite3.Error:
        row = (str(path),)
    if row and row[0] == str(path):
        log.warning("Kept %s after a failed countersignature: the row may refer to it", path)
        return
    try:
        remove_file_durably(path)
    except OSError:
        log.warning("Could not remove %s after a failed countersignature", path, exc_info=True)


def _signature_json(countersignature: Any) -> str:
    if not isinstance(countersignature, dict):
        raise StoreError("The countersignature is missing; nothing was stored.")
    try:
        return json.dumps(countersignature, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"The countersignature cannot be stored as JSON: {exc}.") from exc


def _require_text(**values: Any) -> None:
    """Each value must be non-blank text; the ones ending in ``at`` must be ISO times."""
    for name, value in values.items():
        if not isinstance(value, str) or not value.strip():
            raise StoreError(f"Nothing was stored: no {name.replace('_', ' ')} was given.")
        if name.endswith("at"):
            try:
                datetime.fromisoformat(value)
            except ValueError:
                raise StoreError(
                    f"Nothing was stored: {value!r} is not a time (ISO 8601 expected)."
                ) from None
