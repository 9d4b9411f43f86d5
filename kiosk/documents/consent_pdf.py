"""The consent PDF of one session, made from its consent record (docs/consent-record.md)."""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.documents.layout import render


def render_consent_pdf(record: dict, *, hospital_name: str, page_size: str = "A4",
                       labels: Mapping[str, str] | None = None) -> bytes:
    """The consent document of `record` as PDF bytes.

    It shows, as extractable text in DejaVu Sans: the hospital, the content title and the
    outcome in plain words; the patient, any representative and the language; every section,
    page and risk explained; each question with its choices, attempts and result ("needs the
    doctor's attention" in a red box); the statements with their times; the signature as
    vector paths with the signer, role, time with UTC offset and meaning; the content id,
    version and SHA-256. Every page carries the document ID and "Page x of y"; page 1 has a
    vector QR code of the document ID. PDF metadata: title, subject with the document ID,
    author = `hospital_name`.

    `page_size` is "A4" or "Letter" (any case), else ValueError. `labels` override entries of
    `DEFAULT_LABELS` (unknown keys are ignored with a warning). The same arguments always give
    the same bytes.
    """
    return render(record, blank=False, hospital_name=hospital_name, page_size=page_size, labels=labels)


_COUNTERSIGNATURE_FIELDS = ("clinician_name", "role", "signed_at", "strokes")


def render_countersigned_pdf(record: dict, countersignature: dict, *, hospital_name: str, page_size: str = "A4",
                             labels: Mapping[str, str] | None = None) -> bytes:
    """The countersigned version of the consent of `record`, as PDF bytes.

    The same document as `render_consent_pdf(record, ...)`, with the outcome banner saying it
    is fully signed and, after the patient's signature, the clinician's countersignature: the
    sentence saying they discussed the procedure, its risks and the patient's questions with
    the patient (or their representative); their drawn signature as vector paths; their
    printed name, role, and the date and time with UTC offset. The patient-signed original is
    a separate document and is not changed by this one.

    `countersignature` = {"clinician_name", "role", "signed_at" (ISO 8601 with offset),
    "width", "height" (the pad's coordinate space), "strokes" ([[[x, y], ...], ...], y down)}.
    ValueError if `record` has no patient signature (only a consented record is countersigned)
    or a countersignature field is missing or empty. Page size and labels as for
    `render_consent_pdf`; the same arguments always give the same bytes.
    """
    if record.get("outcome") != "consented" or not record.get("signature"):
        raise ValueError("only a consent the patient has signed can be countersigned")
    missing = [name for name in _COUNTERSIGNATURE_FIELDS if not countersignature.get(name)]
    if missing:
        raise ValueError(f"countersignature lacks {', '.join(missing)}")
    return render(record, blank=False, hospital_name=hospital_name, page_size=page_size, labels=labels,
                  countersignature=countersignature)
