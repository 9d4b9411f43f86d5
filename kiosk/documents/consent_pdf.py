"""The consent PDF of one session, made from its consent record (docs/consent-record.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.documents.layout import render
from kiosk.documents.placement import ReservedField
from kiosk.documents.sections import COUNTERSIGNATURE_FIELD


def render_consent_pdf(record: dict, *, hospital_name: str, page_size: str = "A4",
                       labels: Mapping[str, str] | None = None) -> bytes:
    """The consent document of `record` as PDF bytes.

    It shows, as extractable text in DejaVu Sans: the hospital, the content title and its
    approval ("Content approved by ..." or "Content not yet approved for clinical use", and
    whether a translation was reviewed); on page 1 the outcome in plain words, who decided,
    and every flag: each question answered wrong with every try and the right answer, help
    asked for, statements not confirmed (kiosk.documents.summary); the patient, any
    representative and the language; every section, page and risk explained; each question
    with its choices (the right one and those chosen marked), attempts and result ("needs the
    doctor's attention" in a red box); every statement shown, with the time it was confirmed
    or "not confirmed"; the signature as vector paths with the signer, role, time and meaning,
    or who declined; the content id, version and SHA-256. Every time has its UTC offset and
    the record's IANA zone name. Every page carries the document ID and "Page x of y"; page 1
    has a vector QR code of the document ID; no page ends with a heading. PDF metadata: title,
    subject with the document ID, author = `hospital_name`, CreationDate and ModDate = the
    record's `finished_at`. A consent the patient signed ends its signature page with the
    clinician's countersignature: what it affirms and an empty box, which the countersignature
    fills later as a signature field (kiosk.documents.countersignature).

    `page_size` is "A4" or "Letter" (any case), else ValueError. `labels` override entries of
    `DEFAULT_LABELS` (unknown keys are ignored with a warning). The same arguments always give
    the same bytes.
    """
    return render(record, blank=False, hospital_name=hospital_name, page_size=page_size, labels=labels)


@dataclass(frozen=True)
class RenderedConsent:
    """The consent PDF and, for a consent the patient signed, the empty box reserved for the
    clinician's countersignature (a `ReservedField` named "Clinician countersignature")."""

    pdf: bytes
    countersignature_field: ReservedField | None


def render_consent(record: dict, *, hospital_name: str, page_size: str = "A4",
                   labels: Mapping[str, str] | None = None, staff=None) -> RenderedConsent:
    """`render_consent_pdf`, with where the countersignature box was drawn (None when the
    record is not a signed consent): sealing reserves a signature field there. `staff` (a
    `kiosk.documents.staff_page.StaffSummary`) ends the PDF with a summary page in the
    hospital's working language."""
    placements: dict = {}
    pdf = render(record, blank=False, hospital_name=hospital_name, page_size=page_size, labels=labels,
                 placements=placements, staff=staff)
    place = placements.get(COUNTERSIGNATURE_FIELD)
    field = ReservedField(COUNTERSIGNATURE_FIELD, place[0], place[1]) if place else None
    return RenderedConsent(pdf, field)
