"""Consent PDF and blank paper form (ReportLab). No Qt here.

    from kiosk.documents import render_consent_pdf, render_blank_form, DEFAULT_LABELS
    pdf = render_consent_pdf(record, hospital_name="St Mary's", page_size="A4", labels=None)
    countersigned = render_countersigned_pdf(record, countersignature, hospital_name="St Mary's")
"""

from kiosk.documents.blank_form import render_blank_form
from kiosk.documents.consent_pdf import render_consent_pdf, render_countersigned_pdf
from kiosk.documents.labels import DEFAULT_LABELS

__all__ = ["DEFAULT_LABELS", "render_blank_form", "render_consent_pdf", "render_countersigned_pdf"]
