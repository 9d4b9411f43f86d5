"""What a nurse does to a consent: view it, check identity, countersign, void, answer a call.

Each action is ONE transaction together with its audit entry (``kiosk.store.review``; at a
station pointed at the central database, ``kiosk.review.central``), written as the signed-in
account ("nurse:<id>"), and returns the consent as it is now. A refusal is a
``ReviewError`` with a kind message from translations/nurse, raised before anything is
written; the store checks the same rules again inside its transaction (another station may
have acted a moment ago) and its refusal comes back as a ReviewError too.

Threading: call from the thread that opened ``ctx.db``; each takes a few milliseconds,
except ``countersign``, which renders and seals a PDF (about 0.3 s). For a worker, it comes
in three parts: ``countersignature_for`` (quick checks and the signature, UI thread),
``render_countersigned`` (pure: reads the original PDF and its seal key, safe on a worker),
then ``store_countersigned`` (the PDF write and its audit entry, UI thread).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.flow.signature import check_ink
from kiosk.review.codes import ROLES
from kiosk.review.context import ReviewContext
from kiosk.review.rows import ConsentDetail, ReviewError, consent_detail, detail_of, read_row, through_store
from kiosk.store import review as store_review


def view(ctx: ReviewContext, document_id: str) -> ConsentDetail:
    """Open a consent: audited as ``view_record``; a new consent becomes "seen"."""
    read_row(ctx, document_id)
    if ctx.central is not None:
        from kiosk.review import central  # psycopg only at a central station

        central.record_view(ctx, document_id)
    else:
        through_store(store_review.mark_viewed, ctx.db, document_id, nurse=ctx.account.actor, at=ctx.at())
    return consent_detail(ctx, document_id)


def check_identity(ctx: ReviewContext, document_id: str, mrn: str) -> ConsentDetail:
    """Store the hospital number (MRN) checked on the wristband, with who checked it.

    The MRN must match the ``mrn_pattern`` setting as a whole (spaces around it are
    dropped). Refused for a void consent. Audited as ``identity_checked`` with the MRN."""
    texts = ctx.texts
    mrn = mrn.strip() if isinstance(mrn, str) else ""
    if not mrn:
        raise ReviewError(texts("message.mrn_blank"))
    if not ctx.mrn_pattern.fullmatch(mrn):
        raise ReviewError(texts("message.mrn_wrong"))
    if read_row(ctx, document_id).get("void"):
        raise ReviewError(texts("message.identity_void"))
    if ctx.central is not None:
        from kiosk.review import central  # psycopg only at a central station

        central.check_identity(ctx, document_id, mrn)
    else:
        through_store(store_review.set_identity_checked, ctx.db, document_id, mrn=mrn, nurse=ctx.account.actor,
                      at=ctx.at(), pattern=ctx.mrn_pattern)
    return consent_detail(ctx, document_id)


def void(ctx: ReviewContext, document_id: str, reason: str) -> ConsentDetail:
    """Mark the consent void with a reason (required, at most 500 characters); its record and
    PDFs stay. Audited as ``voided`` with the reason."""
    texts = ctx.texts
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise ReviewError(texts("message.void_needs_reason"))
    if len(reason) > store_review.VOID_REASON_MAX:
        raise ReviewError(texts("message.void_reason_too_long", length=len(reason),
                                limit=store_review.VOID_REASON_MAX))
    if read_row(ctx, document_id).get("void"):
        raise ReviewError(texts("message.void_again"))
    if ctx.central is not None:
        from kiosk.review import central  # psycopg only at a central station

        central.void(ctx, document_id, reason)
    else:
        through_store(store_review.void_consent, ctx.db, document_id, reason=reason, nurse=ctx.account.actor,
                      at=ctx.at())
    return consent_detail(ctx, document_id)


def acknowledge_call(ctx: ReviewContext, request_id: int) -> str:
    """Mark a call for a nurse as answered (``help_acknowledged``); the first answer counts.
    Returns the message to show."""
    through_store(store_review.acknowledge_help, ctx.db, request_id, nurse=ctx.account.actor, at=ctx.at())
    return ctx.texts("message.call_answered")


# ----- countersignature ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Countersignature:
    """A countersignature ready to render: the stored row it belongs to and the signature dict
    as the PDF and the store keep it (``clinician_name``, ``role`` (its text), ``role_code``,
    ``signed_at``, ``width``, ``height``, ``strokes``, and the MRN checked, if any)."""

    document_id: str
    row: dict
    signature: dict


def countersignature_for(ctx: ReviewContext, document_id: str, *, clinician_name: str, role: str,
                         strokes: Sequence[Sequence[tuple[float, float]]], width: float,
                         height: float) -> Countersignature:
    """Check everything a countersignature needs and build it; ReviewError if something is
    missing: a consent the patient gave, not void, not countersigned yet; the clinician's
    name; a role from ``ROLES`` (a code); enough ink (``check_ink``) on a pad ``width`` ×
    ``height``."""
    texts = ctx.texts
    row = read_row(ctx, document_id)
    _require_countersignable(ctx, row)
    name = " ".join(clinician_name.split()) if isinstance(clinician_name, str) else ""
    if not name:
        raise ReviewError(texts("message.countersign_name"))
    if role not in ROLES:
        raise ReviewError(texts("message.countersign_role"))
    ink = check_ink(strokes, width)
    if ink:
        raise ReviewError(texts(f"message.{ink}"))
    signature = {"clinician_name": name, "role": texts(f"role.{role}"), "role_code": role,
                 "signed_at": ctx.at(), "recorded_by": ctx.account.actor,  # the account ("nurse:<id>"), not a name
                 "width": float(width), "height": float(height),
                 "strokes": [[[round(float(x), 2), round(float(y), 2)] for x, y in s] for s in strokes]}
    if row.get("mrn"):  # printed on the countersignature and carried in its countersignature.json
        signature["mrn"] = row["mrn"]
        signature["identity_checked_by"] = detail_of(ctx, row).identity_checked_by  # the name, as printed
        signature["identity_checked_by_actor"] = row["identity_checked_by"]  # and the account
    return Countersignature(document_id, row, signature)


def render_countersigned(pending: Countersignature, ctx: ReviewContext) -> bytes:
    """The countersigned PDF (``kiosk.finalise.prepare_countersignature``). Reads the original
    PDF and the seal key only, never the database: safe on a worker thread."""
    from kiosk.finalise import prepare_countersignature

    try:
        return prepare_countersignature(pending.row, pending.signature, ctx.settings, ctx.data_dir,
                                        labels=ctx.pdf_labels)
    except ValueError as error:
        raise ReviewError(str(error)) from None


def store_countersigned(ctx: ReviewContext, pending: Countersignature, pdf: bytes) -> ConsentDetail:
    """Store the countersigned PDF and the countersignature, audited as ``countersigned``. At
    a central station the database takes the first of two stations' countersignatures; the
    second gets ReviewError "already countersigned by X at T"."""
    signature = pending.signature
    if ctx.central is not None:
        from kiosk.review import central  # psycopg only at a central station

        central.countersign(ctx, pending.document_id, signature, pdf)
        return consent_detail(ctx, pending.document_id)
    through_store(store_review.add_countersignature, ctx.db, ctx.consents_dir, pending.document_id,
            clinician_name=signature["clinician_name"], role=signature["role"], signed_at=signature["signed_at"],
            countersignature=signature, pdf_bytes=pdf, nurse=ctx.account.actor)
    return consent_detail(ctx, pending.document_id)


def countersign(ctx: ReviewContext, document_id: str, *, clinician_name: str, role: str,
                strokes: Sequence[Sequence[tuple[float, float]]], width: float, height: float) -> ConsentDetail:
    """The clinician's countersignature, checked, rendered and stored in one call (the three
    parts above, on this thread). The patient's original PDF and its SHA-256 never change."""
    pending = countersignature_for(ctx, document_id, clinician_name=clinician_name, role=role,
                                   strokes=strokes, width=width, height=height)
    return store_countersigned(ctx, pending, render_countersigned(pending, ctx))


def _require_countersignable(ctx: ReviewContext, row: dict) -> None:
    texts = ctx.texts
    if row.get("void"):
        raise ReviewError(texts("message.countersign_void"))
    if row["outcome"] != "consented":
        raise ReviewError(texts("message.countersign_not_consented",
                                outcome=detail_of(ctx, row).outcome.text))
    if row.get("countersigned_pdf_path"):
        raise ReviewError(texts("message.countersign_done"))

