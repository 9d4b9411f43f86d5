"""Fixtures for the document tests: records from consent_records, and a PDF reader."""

import io

import pytest
from consent_records import RECORDS, build_form, pdf_pages_text, pdf_text, pdftotext
from pypdf import PdfReader


@pytest.fixture(params=sorted(RECORDS))
def any_record(request) -> dict:
    return RECORDS[request.param]()


@pytest.fixture
def record() -> dict:
    return RECORDS["consented"]()


@pytest.fixture
def form() -> dict:
    return build_form()


@pytest.fixture
def read():
    """Helpers to read a PDF back: text (pypdf), pages (pypdf, per page), poppler (pdftotext)."""
    class Read:
        text = staticmethod(pdf_text)
        pages = staticmethod(pdf_pages_text)
        poppler = staticmethod(pdftotext)
        reader = staticmethod(lambda pdf: PdfReader(io.BytesIO(pdf)))
    return Read
