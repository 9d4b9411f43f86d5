"""The countersigned version of the consent: the patient's document plus the clinician's
countersignature, while the patient-signed original stays exactly as it was."""

import copy
import math
import re

import pytest
from consent_records import DOCUMENT_ID, HOSPITAL, RECORDS
from test_consent_pdf_signature import marked
from test_pdf_labels import neutral_labels, strings_in

from kiosk.documents import DEFAULT_LABELS, render_consent_pdf, render_countersigned_pdf

CLINICIAN = "Dr Amara Okonkwo"
ROLE = "Consultant interventional radiologist"


def countersignature() -> dict:
    """A clinician's signature on a 1200 × 400 pad (y downwards), two strokes."""
    return {
        "clinician_name": CLINICIAN, "role": ROLE, "signed_at": "2026-11-26T09:42:17+00:00",
        "width": 1200, "height": 400,
        "strokes": [[[150 + i * 10, 200 - 90 * math.sin(i / 5)] for i in range(60)],
                    [[800 + 6 * i, 300 - 5 * i] for i in range(40)]],
    }


def signature_blocks(reader) -> list[tuple[int, list]]:
    """(page index, operations) of each `/Signature BMC ... EMC` section, in drawing order."""
    return marked(reader, "/Signature")


@pytest.fixture(params=["consented", "representative"])
def signed_record(request) -> dict:
    return RECORDS[request.param]()


@pytest.fixture
def countersigned(signed_record) -> bytes:
    return render_countersigned_pdf(signed_record, countersignature(), hospital_name=HOSPITAL)


def test_names_both_signers(read, countersigned, signed_record):
    text = read.text(countersigned)
    assert signed_record["signature"]["signer_name"] in text
    assert CLINICIAN in text and ROLE in text


def test_both_times_with_their_offset(read, countersigned):
    text = read.text(countersigned)
    assert "2026-11-25 14:13:05 +00:00 (Europe/London)" in text  # the patient's
    assert "2026-11-26 09:42:17 +00:00 (Europe/London)" in text  # the clinician's


def test_says_what_the_clinician_affirms(read, countersigned):
    text = read.text(countersigned)
    assert DEFAULT_LABELS["countersignature_heading"] in text
    assert ("I have discussed the procedure, its risks and the patient's questions with the patient "
            "(or their representative).") in text


def test_outcome_banner_says_fully_signed(read, countersigned):
    first = " ".join(read.pages(countersigned)[0].split())
    assert DEFAULT_LABELS["outcome_countersigned"] in first
    assert first.startswith(HOSPITAL)


def test_two_vector_signatures_patient_first(read, countersigned, signed_record):
    reader = read.reader(countersigned)
    assert sum(page.get_contents().get_data().count(b"/Signature BMC") for page in reader.pages) == 2
    blocks = signature_blocks(reader)
    patient, clinician = (ops for _, ops in blocks)
    assert sum(op == b"m" for _, op in patient) == len(signed_record["signature"]["strokes"])
    assert sum(op == b"m" for _, op in clinician) == len(countersignature()["strokes"])
    assert all(b"c" in [op for _, op in ops] and b"S" in [op for _, op in ops] for ops in (patient, clinician))


def test_countersignature_comes_after_the_patients_signature(read, countersigned):
    text = read.text(countersigned)
    assert text.index(DEFAULT_LABELS["section_signature"] + " ") < text.index(CLINICIAN) \
        < text.index(DEFAULT_LABELS["section_about"])


def test_every_page_has_page_x_of_y_and_the_document_id(read, countersigned):
    pages = read.pages(countersigned)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert DOCUMENT_ID in page


def test_original_still_has_exactly_one_signature(read, signed_record):
    original = render_consent_pdf(signed_record, hospital_name=HOSPITAL)
    reader = read.reader(original)
    assert sum(page.get_contents().get_data().count(b"/Signature BMC") for page in reader.pages) == 1
    assert len(signature_blocks(reader)) == 1
    text = read.text(original)
    assert DEFAULT_LABELS["countersignature_heading"] not in text
    assert DEFAULT_LABELS["outcome_countersigned"] not in text and DEFAULT_LABELS["outcome_consented"] in text


def test_original_unchanged_by_making_the_countersigned_version(signed_record):
    before = render_consent_pdf(signed_record, hospital_name=HOSPITAL)
    kept = copy.deepcopy(signed_record)
    render_countersigned_pdf(signed_record, countersignature(), hospital_name=HOSPITAL)
    assert signed_record == kept
    assert render_consent_pdf(signed_record, hospital_name=HOSPITAL) == before


def test_deterministic(signed_record):
    first = render_countersigned_pdf(signed_record, countersignature(), hospital_name=HOSPITAL, page_size="Letter")
    again = render_countersigned_pdf(copy.deepcopy(signed_record), countersignature(), hospital_name=HOSPITAL,
                                     page_size="Letter")
    assert first == again


def test_every_visible_word_comes_from_the_record_or_the_labels(read, signed_record):
    pdf = render_countersigned_pdf(signed_record, countersignature(), hospital_name=HOSPITAL, labels=neutral_labels())
    allowed = {w for s in strings_in(signed_record) + strings_in(countersignature()) + [HOSPITAL]
               for w in re.findall(r"[A-Za-z]+", s)}
    assert set(re.findall(r"[A-Za-z]+", read.text(pdf))) - allowed == set()


@pytest.mark.parametrize("kind", ["questions", "declined", "abandoned"])
def test_only_a_signed_consent_can_be_countersigned(kind):
    with pytest.raises(ValueError, match="signed"):
        render_countersigned_pdf(RECORDS[kind](), countersignature(), hospital_name=HOSPITAL)


@pytest.mark.parametrize("field", ["clinician_name", "role", "signed_at", "strokes"])
def test_a_countersignature_needs_every_field(field):
    incomplete = {**countersignature(), field: "" if field != "strokes" else []}
    with pytest.raises(ValueError, match=field):
        render_countersigned_pdf(RECORDS["consented"](), incomplete, hospital_name=HOSPITAL)
