"""The fixed words of the consent PDF and the blank form.

Every visible word that does not come from the record lives in `DEFAULT_LABELS`; a
translation replaces them with its own `[pdf]` table, passed as `labels=`. Placeholders in
braces (`{page}`, `{pages}`, `{time}` ...) are filled in when the document is drawn.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

DEFAULT_LABELS: dict[str, str] = {
    # Document and PDF metadata
    "consent_kind": "Record of informed consent",
    "blank_kind": "Consent form",
    "pdf_subject": "Informed consent record, document ID {document_id}",
    "blank_pdf_subject": "Blank consent form",
    "page_of": "Page {page} of {pages}",
    "document_id": "Document ID",
    "blank_instructions": (
        "Please fill in this form with a pen. Tick one box for each question, "
        "tick each statement you agree with, then sign at the end."
    ),
    # Outcome, at the top of the first page
    "outcome_consented": "Consent given",
    "outcome_questions": "Not signed: the patient has questions for the doctor",
    "outcome_declined": "Not signed: the patient does not want this procedure",
    "outcome_abandoned": "Not finished",
    "needs_doctor": "needs the doctor's attention",
    "attention_question": "{marker}: {prompt}",
    "attention_help": "The patient asked for help {count} time(s)",
    # Patient
    "section_patient": "Patient",
    "patient_name": "Full name",
    "date_of_birth": "Date of birth",
    "representative": "Representative",
    "relationship": "Relationship to the patient",
    "language": "Language",
    "none": "None",
    # What was explained
    "section_explained": "What was explained",
    "page_not_seen": "not shown",
    "more_opened": "more detail opened",
    "section_risks": "Risks explained",
    # Questions
    "section_questions": "Questions to check understanding",
    "choices_shown": "Choices shown",
    "attempt": "Attempt {number}, {time}: {choice} ({result})",
    "attempt_right": "right",
    "attempt_wrong": "wrong",
    "no_attempts": "No answer given",
    "reviewed_page": "Page shown again: {page}",
    "status": "Result: {status}",
    "status_understood": "Understood",
    "status_understood_after_review": "Understood after the page was shown again",
    "status_not_answered": "Not answered",
    # Statements
    "section_statements": "Statements",
    "confirmed_at": "confirmed {time}",
    "no_statements": "No statement was confirmed",
    # Signature
    "section_signature": "Signature",
    "signer_name": "Signed by",
    "signer_role": "Signing as",
    "role_patient": "the patient",
    "role_representative": "the patient's representative",
    "signed_at": "Date and time",
    "signature_meaning": "This signature means: {meaning}",
    "default_signature_meaning": "consent to percutaneous vertebroplasty",
    "not_signed": "Not signed",
    "printed_name": "Printed name",
    "date": "Date",
    "time": "Time",
    # About this document
    "section_about": "About this document",
    "content": "Information given",
    "content_version": "Version",
    "content_sha256": "SHA-256 of the information",
    "started_at": "Started",
    "finished_at": "Finished",
    "time_zone": "Time zone",
    "help_requests": "Help requests",
    "help_request_at": "{time}: {where}",
}


class _KeepUnknown(dict):
    """Leaves a placeholder a translation got wrong visible instead of crashing the PDF."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Labels:
    """DEFAULT_LABELS overridden by a translation's entries; `labels("key", x=1)` fills placeholders."""

    def __init__(self, overrides: Mapping[str, str] | None = None):
        overrides = dict(overrides or {})
        unknown = sorted(set(overrides) - set(DEFAULT_LABELS))
        if unknown:
            # A warning, not an error: a typo in a translation must never cost a patient
            # their consent document. Tests turn warnings into errors.
            warnings.warn(f"unknown PDF label keys ignored: {', '.join(unknown)}", stacklevel=4)  # the caller of render_consent_pdf / render_blank_form
        self._text = {**DEFAULT_LABELS, **{k: str(v) for k, v in overrides.items() if k in DEFAULT_LABELS}}

    def __call__(self, key: str, **values: object) -> str:
        text = self._text[key]
        if not values:
            return text
        try:
            return text.format_map(_KeepUnknown({k: str(v) for k, v in values.items()}))
        except (ValueError, IndexError):  # stray brace in a translation
            return text
