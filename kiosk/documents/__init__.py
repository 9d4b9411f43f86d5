"""Consent PDF and blank paper form (ReportLab). No Qt here.

    from kiosk.documents import render_consent_pdf, render_blank_form, DEFAULT_LABELS
    pdf = render_consent_pdf(record, hospital_name="St Mary's", page_size="A4", labels=None)

Sealing and countersigning (pyHanko, loaded only when used): `kiosk.documents.seal` seals a
PDF and checks seals; `kiosk.documents.countersignature.countersign_consent` adds the
clinician's countersignature to a sealed consent as an incremental update.
"""

from kiosk.documents.blank_form import render_blank_form
from kiosk.documents.consent_pdf import RenderedConsent, render_consent, render_consent_pdf
from kiosk.documents.labels import DEFAULT_LABELS

__all__ = ["DEFAULT_LABELS", "RenderedConsent", "render_blank_form", "render_consent", "render_consent_pdf"]
