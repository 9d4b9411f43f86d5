"""Pages: size, the document ID and "Page x of y" on every page, deterministic output."""

import re
import unicodedata

import pytest
from consent_records import DOCUMENT_ID, HOSPITAL, RECORDS, build_form, build_record
from reportlab.lib.pagesizes import A4, letter

from kiosk.documents import render_blank_form, render_consent_pdf

LONG_NAME = ("Maximilian Alexander Wolfeschlegelsteinhausenbergerdorff " * 10)[:500]


def consent(record, **kw):
    return render_consent_pdf(record, hospital_name=HOSPITAL, **kw)


def right_to_left_record():
    record = build_record(name="فاطمة الزهراء")
    record.update(language="ar", direction="rtl")
    return record


@pytest.fixture(params=["consented", "questions", "long name", "right-to-left", "blank form"])
def any_pdf(request):
    if request.param == "right-to-left":
        return consent(right_to_left_record(), labels={"page_of": "صفحة {page} من {pages}"})
    if request.param == "blank form":
        return render_blank_form(build_form(), hospital_name=HOSPITAL)
    if request.param == "long name":
        return consent(build_record(name=LONG_NAME))
    return consent(RECORDS[request.param]())


def test_consent_has_several_pages(read, record):
    assert len(read.pages(consent(record))) >= 2


def test_every_page_says_page_x_of_n(read, any_pdf):
    # poppler, folded to plain letters, reads the Arabic footer back in logical order
    pages = [re.sub("[\u202a-\u202e]", "", unicodedata.normalize("NFKC", page))
             for page in read.poppler(any_pdf).split("\f")[:-1]]
    for number, text in enumerate(pages, start=1):
        arabic = {"صفحة", str(number), "من", str(len(pages))}  # extraction may reorder these words
        assert f"Page {number} of {len(pages)}" in text or any(
            arabic <= set(re.findall(r"\d+|[^\W\d]+", line)) for line in text.splitlines())


def test_document_id_on_every_page(read, record):
    for text in read.pages(consent(record)):
        assert f"Document ID: {DOCUMENT_ID}" in " ".join(text.split())


def test_blank_form_has_document_id_line_on_every_page(read):
    for text in read.pages(render_blank_form(build_form(), hospital_name=HOSPITAL)):
        assert "Document ID:" in text and DOCUMENT_ID not in text


def test_later_pages_name_the_patient(read, record):
    for text in read.pages(consent(record))[1:]:
        assert "Margaret O'Brien · 1948-03-07" in text


def test_long_name_wraps_instead_of_overflowing(read):
    pdf = consent(build_record(name=LONG_NAME))
    layout = read.poppler(pdf, layout=True)
    width = max(len(line) for line in layout.splitlines())
    assert "Wolfeschlegelsteinhausenbergerdorff" in layout
    assert width < 140  # a 500-character name on one line would be far wider than the page


def test_long_name_without_spaces_does_not_crash(read):
    assert "Page 1 of" in read.pages(consent(build_record(name="A" * 500)))[0]


@pytest.mark.parametrize("size, expected", [("A4", A4), ("a4", A4), ("Letter", letter), ("LETTER", letter),
                                            (" letter ", letter)])
def test_page_size(read, record, size, expected):
    box = read.reader(consent(record, page_size=size)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(expected)


def test_a4_is_the_default(read, record):
    box = read.reader(consent(record)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4)


@pytest.mark.parametrize("size", ["A5", "legal", "", None, 4])
@pytest.mark.parametrize("render", [lambda s: consent(build_record(), page_size=s),
                                    lambda s: render_blank_form(build_form(), hospital_name=HOSPITAL, page_size=s)],
                         ids=["consent", "blank"])
def test_invalid_page_size_raises(render, size):
    with pytest.raises(ValueError, match=r'"A4" or "Letter"'):
        render(size)


def test_same_record_gives_same_bytes(any_record):
    assert consent(any_record) == consent(any_record)


def test_same_form_gives_same_bytes():
    assert render_blank_form(build_form(), hospital_name=HOSPITAL) == render_blank_form(build_form(), hospital_name=HOSPITAL)


def test_different_records_give_different_bytes(record):
    other = build_record(name="Someone Else")
    assert consent(record) != consent(other)


def test_body_text_is_at_least_11_points(read, record):
    sizes = []
    read.reader(consent(record)).pages[0].extract_text(
        visitor_text=lambda text, cm, tm, font, size: sizes.append((text.strip(), size * tm[0])) if text.strip() else None)
    body = [size for text, size in sizes if re.fullmatch(r"[A-Z][a-z ]+", text) and "Cement" in text]
    assert body and min(body) >= 11
