"""The clinician's countersignature: drawn into the box the sealed consent keeps for it.

The patient-signed, sealed consent is never rewritten. Countersigning appends an incremental
update to it (`kiosk.documents.seal.countersign_pdf`) that fills its empty signature field
"Clinician countersignature" with a visible appearance - the stamp made here: the clinician's
drawn signature as vector paths, their printed name, role, and the date and time with UTC
offset - and carries the countersignature as "countersignature.json". The original stays a
byte-for-byte prefix of the countersigned file, and both signatures validate.

    countersigned = countersign_consent(original_pdf, record, countersignature, signer)
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.frames import Frame

from kiosk.documents.blocks import HAIRLINE, Context, facts
from kiosk.documents.fonts import REGULAR, register_fonts
from kiosk.documents.labels import Labels
from kiosk.documents.layout import CREATOR
from kiosk.documents.sections import COUNTERSIGNATURE_FIELD, SIGNATURE_HEIGHT
from kiosk.documents.signature import draw_signature

COUNTERSIGNATURE_FILE = "countersignature.json"
_FIELDS = ("clinician_name", "role", "signed_at", "strokes")
_PADDING = 6
_STROKES_HEIGHT = SIGNATURE_HEIGHT - 6 * mm
_MIN_STROKES_HEIGHT = 20 * mm
_STROKES_WIDTH = 120 * mm


def check_countersignable(record: dict, countersignature: dict) -> None:
    """ValueError unless `record` is a consent the patient signed and `countersignature` has
    every field: {"clinician_name", "role", "signed_at" (ISO 8601 with offset), "width",
    "height" (the pad's coordinate space), "strokes" ([[[x, y], ...], ...], y down)}."""
    if record.get("outcome") != "consented" or not record.get("signature"):
        raise ValueError("only a consent the patient has signed can be countersigned")
    missing = [name for name in _FIELDS if not countersignature.get(name)]
    if missing:
        raise ValueError(f"countersignature lacks {', '.join(missing)}")


class _Strokes(Flowable):
    """The clinician's drawn signature, with a line under it to sign on."""

    def __init__(self, countersignature: dict, width: float, height: float, rtl: bool):
        super().__init__()
        self.countersignature, self.width, self.height, self.rtl = countersignature, width, height, rtl

    def wrap(self, availWidth, availHeight):
        self.frame_width = availWidth
        return availWidth, self.height

    def draw(self):
        canvas = self.canv
        left = self.frame_width - self.width if self.rtl else 0
        canvas.saveState()
        canvas.setStrokeColor(HAIRLINE)
        canvas.setLineWidth(0.6)
        canvas.line(left, 2, left + self.width, 2)
        canvas.translate(left, 0)
        draw_signature(canvas, self.countersignature, self.width, self.height)
        canvas.restoreState()


def _identity_rows(countersignature: dict, words: Labels) -> list[tuple[str, str]]:
    """The hospital number (MRN) and who checked the patient's identity, when it was checked;
    nothing at all when it was not."""
    mrn = countersignature.get("mrn")
    if not mrn:
        return []
    checker = countersignature.get("identity_checked_by")
    return [("identity_mrn", words("identity_mrn_checked", mrn=mrn, name=checker) if checker else mrn)]


def render_countersignature_stamp(record: dict, countersignature: dict, *, width: float, height: float,
                                  labels: Mapping[str, str] | None = None) -> bytes:
    """The countersignature as a one-page PDF `width` × `height` points (the field's box):
    the drawn signature, then the clinician's name, role and the date and time with its UTC
    offset and the record's time zone by name, and - when the nurse checked the patient's
    identity - the hospital number (MRN) and who checked it (``countersignature["mrn"]``,
    ``["identity_checked_by"]``). Transparent, so the box's frame on the page shows.
    If long names need more room the page grows taller, and the field shrinks it to fit.
    ValueError as `check_countersignable`. The same arguments always give the same bytes."""
    check_countersignable(record, countersignature)
    register_fonts()
    words = Labels(labels)
    rtl = record.get("direction") == "rtl"
    inner = width - 2 * _PADDING
    ctx = Context(labels=words, width=inner, blank=False, rtl=rtl, time_zone=record.get("time_zone"))
    rows = [("countersigned_by", ctx.para(countersignature.get("clinician_name"), "strong")),
            ("clinician_role", countersignature.get("role") or ""),
            ("signed_at", ctx.time(countersignature.get("signed_at"))),
            *_identity_rows(countersignature, words)]
    table = facts(ctx, rows)
    # The box was sized for three lines when the patient's PDF was sealed; a fourth (the MRN)
    # takes its room from the drawn signature, so the stamp still fits without shrinking.
    room = height - 2 * _PADDING - 2 - table.wrap(inner, 10_000)[1]
    strokes = _Strokes(countersignature, min(inner, _STROKES_WIDTH),
                       max(_MIN_STROKES_HEIGHT, min(_STROKES_HEIGHT, room)), rtl)
    story = [strokes, Spacer(1, 2), table]
    needed = sum(f.wrap(inner, 10_000)[1] for f in story) + 2 * _PADDING
    page_height = max(height, needed)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=(width, page_height), invariant=1, leftMargin=_PADDING,
                          rightMargin=_PADDING, topMargin=_PADDING, bottomMargin=_PADDING,
                          title=words("countersignature_heading"), creator=CREATOR, initialFontName=REGULAR)
    frame = Frame(_PADDING, _PADDING, inner, page_height - 2 * _PADDING, id="stamp",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="stamp", frames=[frame])])
    doc.build(story)
    return buffer.getvalue()


def countersign_consent(original: bytes, record: dict, countersignature: dict, signer, *,
                        labels: Mapping[str, str] | None = None, location: str | None = None) -> bytes:
    """The countersigned consent: `original` (the sealed PDF the kiosk stored) plus an
    incremental update that fills its countersignature field with the stamp and attaches
    the countersignature as "countersignature.json" (sorted keys, UTF-8). `signer` is a
    `kiosk.documents.seal.SealSigner`. ValueError as `check_countersignable`; SealError if
    `original` is not a sealed consent with an empty countersignature field."""
    from kiosk.documents.seal import SealError, countersign_pdf, signature_field  # pyHanko loads here

    check_countersignable(record, countersignature)
    place = signature_field(original, COUNTERSIGNATURE_FIELD)
    if place is None or not place.width or not place.height:
        raise SealError("This consent PDF has no box for the clinician's countersignature "
                        "(it was saved before countersignatures were sealed, or it is not a kiosk consent).")
    stamp = render_countersignature_stamp(record, countersignature, width=place.width, height=place.height,
                                          labels=labels)
    data = json.dumps(countersignature, ensure_ascii=False, sort_keys=True, allow_nan=False).encode("utf-8")
    reason = f"Countersigned by {countersignature['clinician_name']} ({countersignature['role']})"
    return countersign_pdf(original, signer, stamp_pdf=stamp, attachments={COUNTERSIGNATURE_FILE: data},
                           reason=reason, location=location)
