"""The blank paper consent form: the consent layout with nothing filled in."""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.documents.layout import render


def render_blank_form(form: dict, *, hospital_name: str, page_size: str = "A4",
                      labels: Mapping[str, str] | None = None) -> bytes:
    """A paper form for a patient to fill in with a pen, as PDF bytes.

    `form` has the shape of a consent record without the patient's part: no `patient`,
    `representative`, `signature`, `finished_at` or `outcome`, answers without attempts,
    statements without `confirmed_at`. It may carry `signature_meaning`; otherwise the
    `default_signature_meaning` label is used. The layout and headings are the consent's, with
    writing lines for name, date of birth and representative, a tick box for every answer
    choice and statement, and an empty signature box with lines for printed name, date and
    time. The document ID line is left blank; every page still says "Page x of y".
    Page size and labels as for `render_consent_pdf`; the output is deterministic.
    """
    return render(form, blank=True, hospital_name=hospital_name, page_size=page_size, labels=labels)
