"""Consent PDFs of real journeys: the English content pack walked on the model alone
(`tests.flow.sample.complete_session`), recorded by `kiosk.flow.build_record`, rendered and
read back. What a flagged, a declined and a representative consent say, in the real words."""

from __future__ import annotations

import functools
import io
from datetime import datetime

import pytest
from pypdf import PdfReader

from kiosk.content import load_pack
from kiosk.documents import DEFAULT_LABELS, render_consent_pdf
from kiosk.flow.record import build_record
from tests.documents.consent_records import pdf_pages_text, pdf_text
from tests.flow.sample import complete_session, ticking_clock

PACK = load_pack("en")
HOSPITAL = "St Mary's Hospital"
WRONG_TWICE = ("q_leak", "q_treats")


def flat(text: str) -> str:
    return " ".join(text.split())


@functools.cache
def journey(kind: str) -> tuple[dict, bytes]:
    """(record, PDF) of one sample journey."""
    walk = {
        "flagged": {"outcome": "questions", "wrong_twice": WRONG_TWICE, "wrong_once": ("q_new_pain",),
                    "help_at": ("statements",)},
        "declined": {"outcome": "declined", "unconfirmed": tuple(s.id for s in PACK.statements_for("patient")[2:])},
        "representative": {"representative": "Tom Obrien", "relationship": "Son or daughter"},
    }[kind]
    record = build_record(complete_session(PACK, clock=ticking_clock(), **walk), PACK, time_zone="Europe/London")
    return record, render_consent_pdf(record, hospital_name=HOSPITAL, labels=PACK.pdf_labels)


def first_page(kind: str) -> str:
    return flat(pdf_pages_text(journey(kind)[1])[0])


@pytest.mark.parametrize("question_id", WRONG_TWICE)
def test_a_flagged_consent_shows_on_page_1_what_was_wrong_and_what_is_right(question_id):
    question = PACK.question(question_id)
    record, _ = journey("flagged")
    answer = next(a for a in record["answers"] if a["question_id"] == question_id)
    number = record["answers"].index(answer) + 1
    right = next(c.text for c in question.choices if c.id == question.correct)
    page = first_page("flagged")
    assert f"{DEFAULT_LABELS['needs_doctor']}: {number}. {flat(question.prompt)}" in page
    for n, attempt in enumerate(answer["attempts"], start=1):
        assert f"Try {n}: {flat(attempt['text'])}" in page
    assert f"The right answer: {flat(right)}" in page


def test_a_flagged_consent_lists_every_flag_on_page_1():
    record, _ = journey("flagged")
    page = first_page("flagged")
    assert record["flags"] == [*(f"needs_doctor:{q}" for q in sorted(WRONG_TWICE, key=[
        q.id for q in PACK.questions].index)), "help_requested", "questions_for_doctor"]
    assert "Asked for help 1 time" in page and DEFAULT_LABELS["outcome_questions"] in page
    assert page.count(DEFAULT_LABELS["needs_doctor"]) == len(WRONG_TWICE)
    assert f"{DEFAULT_LABELS['status_understood_after_review']}: " in page  # q_new_pain, right the second time


def test_a_declined_consent_says_who_declined_and_what_was_not_confirmed():
    record, pdf = journey("declined")
    text = pdf_text(pdf)
    assert "Declined by Margaret Obrien, the patient" in first_page("declined")
    left = [s for s in record["statements"] if s["confirmed_at"] is None]
    assert left and len(left) == len(PACK.statements_for("patient")) - 2
    for statement in left:
        assert f"{flat(statement['text'])} not confirmed" in text
    assert f"Statements not confirmed: {len(left)} of {len(record['statements'])}" in first_page("declined")


def test_a_representative_journey_prints_the_statements_in_the_representatives_words():
    record, pdf = journey("representative")
    text = pdf_text(pdf)
    shown = PACK.statements_for("representative")
    assert [s["text"] for s in record["statements"]] == [s.text_for("representative") for s in shown]
    for statement in shown:
        assert flat(statement.text_for("representative")) in text
    for statement in shown:  # and never in the patient's own voice where the two differ
        if statement.text != statement.representative_text:
            assert flat(statement.text) not in text
    assert "Signed by Tom Obrien, the patient's representative (Son or daughter)" in first_page("representative")


@pytest.mark.parametrize("kind", ["flagged", "declined", "representative"])
def test_every_real_journey_is_dated_and_zoned(kind):
    record, pdf = journey(kind)
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata.creation_date == datetime.fromisoformat(record["finished_at"]) == metadata.modification_date
    text = pdf_text(pdf)
    assert "(local)" not in text and text.count("+00:00 Europe/London") >= 10


@pytest.mark.parametrize("kind", ["flagged", "declined", "representative"])
def test_the_approval_line_of_the_english_pack(kind):
    page = first_page(kind)
    if PACK.approval.approved:
        assert f"Content approved by {PACK.approval.approved_by} ({PACK.approval.role}) on {PACK.approval.date}" in page
    else:
        assert "Content not yet approved for clinical use" in page
    assert "Translation" not in page  # English is the source text


def test_a_sealed_consent_keeps_its_date_and_verifies():
    from kiosk.documents import render_consent
    from kiosk.documents.seal import SealSigner, new_seal_identity, seal_pdf, verify_pdf

    record, _ = journey("representative")
    signer = SealSigner.from_pem(*new_seal_identity(HOSPITAL))
    rendered = render_consent(record, hospital_name=HOSPITAL, labels=PACK.pdf_labels)
    sealed = seal_pdf(rendered.pdf, signer, attachments={"consent-record.json": b"{}"}, metadata={},
                      reserve_fields=[rendered.countersignature_field])
    assert verify_pdf(sealed, [signer.certificate]).ok
    metadata = PdfReader(io.BytesIO(sealed)).metadata
    assert metadata.creation_date == datetime.fromisoformat(record["finished_at"])
    assert metadata.modification_date.year != 2000  # pyHanko dates its update when it seals


def test_the_blank_form_gives_each_statement_in_both_voices():
    from kiosk.documents import render_blank_form
    from kiosk.flow.record import blank_form_data

    text = pdf_text(render_blank_form(blank_form_data(PACK), hospital_name=HOSPITAL, labels=PACK.pdf_labels))
    for statement in PACK.statements:
        if statement.representative_only:
            assert f"{flat(statement.representative_text)} Only if you sign for the patient" in text
        elif statement.text != statement.representative_text:
            assert f"{flat(statement.text)} If you sign for the patient: {flat(statement.representative_text)}" in text
    assert "the right answer" not in text and " not confirmed" not in text
