"""The countersigned consent: the sealed, patient-signed original plus the clinician's
countersignature as an incremental update, so the original stays exactly as it was (a byte
prefix) and the countersignature shows in the box kept for it on the signature page."""

import copy
import io
import json
import math
import re

import pytest
from consent_records import DOCUMENT_ID, HOSPITAL, RECORDS
from pypdf import PdfReader
from pypdf.generic import ContentStream
from test_consent_pdf_signature import marked
from test_pdf_labels import neutral_labels, strings_in

from kiosk.documents import DEFAULT_LABELS, render_consent, render_consent_pdf
from kiosk.documents.countersignature import (
    check_countersignable, countersign_consent, render_countersignature_stamp,
)
from kiosk.documents.seal import (
    SealError, SealSigner, embedded_files, new_seal_identity, seal_pdf, signature_field, verify_pdf,
)

CLINICIAN = "Dr Amara Okonkwo"
ROLE = "Consultant interventional radiologist"
FIELD = "Clinician countersignature"


def countersignature() -> dict:
    """A clinician's signature on a 1200 × 400 pad (y downwards), two strokes."""
    return {
        "clinician_name": CLINICIAN, "role": ROLE, "signed_at": "2026-11-26T09:42:17+00:00",
        "width": 1200, "height": 400,
        "strokes": [[[150 + i * 10, 200 - 90 * math.sin(i / 5)] for i in range(60)],
                    [[800 + 6 * i, 300 - 5 * i] for i in range(40)]],
    }


@pytest.fixture(scope="module")
def signer() -> SealSigner:
    return SealSigner.from_pem(*new_seal_identity(HOSPITAL))


def sealed_consent(record: dict, signer: SealSigner, **render) -> bytes:
    rendered = render_consent(record, hospital_name=HOSPITAL, **render)
    return seal_pdf(rendered.pdf, signer, attachments={"consent-record.json": json.dumps(record).encode()},
                    metadata={}, reserve_fields=[rendered.countersignature_field])


@pytest.fixture(scope="module", params=["consented", "representative"])
def signed_record(request) -> dict:
    return RECORDS[request.param]()


@pytest.fixture(scope="module")
def original(signed_record, signer) -> bytes:
    return sealed_consent(signed_record, signer)


@pytest.fixture(scope="module")
def countersigned(original, signed_record, signer) -> bytes:
    return countersign_consent(original, signed_record, countersignature(), signer)


def poppler(read, pdf: bytes) -> str:
    """pdftotext draws the signature field's appearance, so it reads the countersignature too."""
    return " ".join(read.poppler(pdf).split())


def appearance_operations(pdf: bytes) -> list:
    """The operations inside the countersignature field's appearance (its stamp page)."""
    reader = PdfReader(io.BytesIO(pdf))
    widget = next(f for f in reader.root_object["/AcroForm"]["/Fields"] if f.get_object()["/T"] == FIELD).get_object()
    normal = widget["/AP"]["/N"].get_object()
    stamp = next(iter(normal["/Resources"]["/XObject"].values())).get_object()
    return ContentStream(stamp, reader).operations


def test_the_original_is_a_byte_prefix_and_both_signatures_hold(original, countersigned, signer):
    assert countersigned[:len(original)] == original
    report = verify_pdf(countersigned, [signer])
    assert report.ok and report.trusted, report.summary
    seal, clinician = report.signatures
    assert (seal.field_name, clinician.field_name) == ("Kiosk seal", FIELD)
    assert seal.modifications == "form filling" and seal.modifications_ok  # filling its reserved field
    assert clinician.signed_to == len(countersigned) and seal.signed_to < len(original) + 1


def test_names_both_signers(read, countersigned, signed_record):
    text = poppler(read, countersigned)
    assert signed_record["signature"]["signer_name"] in text
    assert CLINICIAN in text and ROLE in text


def test_both_times_with_their_offset(read, countersigned):
    text = poppler(read, countersigned)
    assert "2026-11-25 14:13:05 +00:00 Europe/London" in text  # the patient's
    assert "2026-11-26 09:42:17 +00:00 Europe/London" in text  # the clinician's


def test_says_what_the_clinician_affirms(read, countersigned):
    text = poppler(read, countersigned)
    assert DEFAULT_LABELS["countersignature_heading"] in text
    assert ("I have discussed the procedure, its risks and the patient's questions with the patient "
            "(or their representative).") in text


def test_the_clinicians_strokes_are_vector_paths_in_the_box(countersigned):
    ops = appearance_operations(countersigned)
    names = [op for _, op in ops]
    start = names.index(b"BMC")
    assert ops[start][0][0] == "/Signature"
    inside = names[start:names.index(b"EMC", start)]
    assert inside.count(b"m") == len(countersignature()["strokes"]) and b"c" in inside and b"S" in inside


def test_the_countersignature_is_in_the_box_after_the_patients_signature(read, original, countersigned):
    place = signature_field(countersigned, FIELD)
    assert place == signature_field(original, FIELD) and place.width > 300 and place.height > 150
    patient_page = marked(read.reader(original), "/Signature")[0][0]
    assert place.page == patient_page or place.page == patient_page + 1
    text = read.poppler(countersigned)
    assert text.index(DEFAULT_LABELS["section_signature"]) < text.index(CLINICIAN) \
        < text.index(DEFAULT_LABELS["section_about"])


def test_every_page_has_page_x_of_y_and_the_document_id(read, countersigned):
    pages = read.pages(countersigned)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert DOCUMENT_ID in page


def test_it_carries_the_countersignature_as_json(countersigned):
    files = embedded_files(countersigned)
    assert json.loads(files["countersignature.json"]) == countersignature()
    assert "consent-record.json" in files


def test_the_original_has_one_drawn_signature_and_an_empty_box(read, original):
    reader = read.reader(original)
    assert sum(page.get_contents().get_data().count(b"/Signature BMC") for page in reader.pages) == 1
    text = read.poppler(original)
    assert DEFAULT_LABELS["countersignature_heading"] in text and CLINICIAN not in text
    assert DEFAULT_LABELS["outcome_consented"] in text
    place = signature_field(original, FIELD)
    widget = next(f for f in reader.root_object["/AcroForm"]["/Fields"] if f.get_object()["/T"] == FIELD)
    assert "/V" not in widget.get_object() and place.width > 0  # reserved, not signed


@pytest.mark.parametrize("kind", ["questions", "declined", "abandoned"])
def test_no_box_when_the_patient_did_not_sign(kind):
    rendered = render_consent(RECORDS[kind](), hospital_name=HOSPITAL)
    assert rendered.countersignature_field is None
    assert rendered.pdf == render_consent_pdf(RECORDS[kind](), hospital_name=HOSPITAL)


def test_countersigning_leaves_the_record_alone(signed_record, original, signer):
    kept = copy.deepcopy(signed_record)
    countersign_consent(original, signed_record, countersignature(), signer)
    assert signed_record == kept


def test_the_stamp_is_deterministic(signed_record):
    first = render_countersignature_stamp(signed_record, countersignature(), width=480, height=175)
    again = render_countersignature_stamp(copy.deepcopy(signed_record), countersignature(), width=480, height=175)
    assert first == again
    assert PdfReader(io.BytesIO(first)).pages[0].mediabox[2:] == [480, 175]


def test_a_long_name_makes_the_stamp_taller_and_it_still_fits(read, signed_record, signer):
    long = {**countersignature(), "clinician_name": "Dr " + " ".join(["Bartholomew-Okonkwo"] * 12)}
    stamp = render_countersignature_stamp(signed_record, long, width=480, height=175)
    assert len(PdfReader(io.BytesIO(stamp)).pages) == 1 and PdfReader(io.BytesIO(stamp)).pages[0].mediabox[3] > 175
    pdf = countersign_consent(sealed_consent(signed_record, signer), signed_record, long, signer)
    assert verify_pdf(pdf, [signer]).ok and "Bartholomew-Okonkwo" in read.poppler(pdf)


def test_every_visible_word_of_the_stamp_comes_from_the_record_or_the_labels(read, signed_record):
    stamp = render_countersignature_stamp(signed_record, countersignature(), width=480, height=175,
                                          labels=neutral_labels())
    allowed = {w for s in strings_in(signed_record) + strings_in(countersignature())
               for w in re.findall(r"[A-Za-z]+", s)}
    assert set(re.findall(r"[A-Za-z]+", read.text(stamp))) - allowed == set()


def test_a_right_to_left_consent_is_countersigned_too(read, signer):
    record = RECORDS["consented"]()
    record.update(language="ar", direction="rtl")
    pdf = countersign_consent(sealed_consent(record, signer), record, countersignature(), signer)
    assert verify_pdf(pdf, [signer]).ok and CLINICIAN in read.poppler(pdf)


def test_letter_paper_keeps_the_box_inside_the_page(signer, signed_record):
    original = sealed_consent(signed_record, signer, page_size="Letter")
    place = signature_field(original, FIELD)
    assert 0 < place.box[0] < place.box[2] < 612 and 0 < place.box[1] < place.box[3] < 792


def test_it_cannot_be_countersigned_twice(countersigned, signed_record, signer):
    with pytest.raises(SealError, match="already signed"):
        countersign_consent(countersigned, signed_record, countersignature(), signer)


def test_an_unsealed_pdf_has_no_box_to_countersign(signed_record, signer):
    with pytest.raises(SealError, match="no box"):
        countersign_consent(render_consent_pdf(signed_record, hospital_name=HOSPITAL), signed_record,
                            countersignature(), signer)


@pytest.mark.parametrize("kind", ["questions", "declined", "abandoned"])
def test_only_a_signed_consent_can_be_countersigned(kind):
    with pytest.raises(ValueError, match="signed"):
        check_countersignable(RECORDS[kind](), countersignature())


@pytest.mark.parametrize("field", ["clinician_name", "role", "signed_at", "strokes"])
def test_a_countersignature_needs_every_field(field):
    incomplete = {**countersignature(), field: "" if field != "strokes" else []}
    with pytest.raises(ValueError, match=field):
        render_countersignature_stamp(RECORDS["consented"](), incomplete, width=480, height=175)
