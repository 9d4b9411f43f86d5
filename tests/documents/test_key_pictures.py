"""The printed record shows the two key pictures the patient saw, as vectors."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from kiosk.content import load_pack
from kiosk.documents import render_blank_form, render_consent_pdf
from kiosk.documents.pictures import shown_key_pictures
from kiosk.flow import build_record
from kiosk.flow.record import blank_form_data
from tests.flow.sample import complete_session

PACK = load_pack("en")
CEMENT_FILL = b".309804 .52549 .709804 rg"  # #4f86b5, the bone cement's colour


def pdf_for(record=None, blank=False):
    import io

    data = render_blank_form(blank_form_data(PACK), hospital_name="H") if blank else \
        render_consent_pdf(record, hospital_name="H")
    return PdfReader(io.BytesIO(data))


@pytest.fixture(scope="module")
def record():
    return build_record(complete_session(PACK), PACK, time_zone="UTC")


def content(reader) -> bytes:
    return b"".join(page.get_contents().get_data() for page in reader.pages)


def test_both_key_pictures_are_named_in_the_record(record):
    assert [name for name, _ in shown_key_pictures(record)] == ["compression_fracture", "cement_fill"]
    assert record["content"]["key_pictures"] == ["compression_fracture", "cement_fill"]


@pytest.mark.parametrize("blank", [False, True], ids=["consent", "blank form"])
def test_the_pictures_are_vector_paths_not_images(record, blank):
    reader = pdf_for(record, blank)
    stream = content(reader)
    assert stream.count(b"/Figure BMC") == 2
    figures = re.findall(rb"/Figure BMC(.*?)EMC", stream, re.S)
    for figure in figures:
        assert figure.count(b" c\n") + figure.count(b" c ") > 20, "curves expected"
    assert any(re.sub(rb"\s+", b" ", CEMENT_FILL) in re.sub(rb"\s+", b" ", f) for f in figures)
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        assert not any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values())


def test_each_picture_is_captioned_with_the_page_it_was_on(record):
    text = " ".join(p.extract_text() for p in pdf_for(record).pages)
    assert "Pictures shown" in text
    for _name, caption in shown_key_pictures(record):
        assert caption in text
