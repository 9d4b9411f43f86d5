"""The MRN on the countersigned page (issue 11): when a nurse checked the patient's identity,
the countersignature drawn in its box says the hospital number and who checked it; when
nobody did, it says nothing about an MRN. Read back with pdftotext from the page the box is on,
through the review layer's countersign on real sealed consents and real SQLite."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kiosk.documents.countersignature import COUNTERSIGNATURE_FILE
from kiosk.documents.seal import embedded_files, signature_field, verify_pdf
from kiosk.documents.sections import COUNTERSIGNATURE_FIELD
from kiosk.review.actions import check_identity, countersign
from kiosk.seal_key import load_seal_signer
from kiosk.store import get_consent
from tests.review.conftest import SETTINGS
from tests.review.test_actions import PAD, STROKES


def page_text(pdf: Path, page: int) -> str:
    """pdftotext of one page (1-based), words joined by single spaces."""
    out = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


def countersigned(ctx, document_id: str) -> tuple[Path, str]:
    """Countersign as Dr Kim; (the countersigned PDF, the text of the page its box is on)."""
    detail = countersign(ctx, document_id, clinician_name="Dr Kim", role="doctor", strokes=STROKES, **PAD)
    pdf = detail.countersigned_pdf_path
    place = signature_field(pdf.read_bytes(), COUNTERSIGNATURE_FIELD)
    return pdf, page_text(pdf, place.page + 1)


def test_the_checked_mrn_and_the_nurse_who_checked_it_are_on_the_countersigned_page(make_ctx, data, ids):
    _folder, db, _ids, _admin, nurse = data
    check_identity(make_ctx(nurse), ids["Ann Lee"], "40512")  # Ben Ode checks, Nora Nurse countersigns
    original = Path(get_consent(db, ids["Ann Lee"])["pdf_path"]).read_bytes()
    pdf, text = countersigned(make_ctx(), ids["Ann Lee"])
    assert "Dr Kim" in text and "MRN 40512, identity checked by Ben Ode" in text
    whole = pdf.read_bytes()
    assert whole[:len(original)] == original
    report = verify_pdf(whole, [load_seal_signer(data[0], SETTINGS)])
    assert report.ok and report.trusted and len(report.signatures) == 2, report.summary
    attached = embedded_files(whole)[COUNTERSIGNATURE_FILE]
    assert b'"identity_checked_by": "Ben Ode"' in attached and b'"mrn": "40512"' in attached


def test_without_an_identity_check_the_page_says_nothing_about_an_mrn(ctx, ids, data):
    pdf, text = countersigned(ctx, ids["Ann Lee"])
    assert "Dr Kim" in text
    assert "MRN" not in text and "identity checked" not in text and "by None" not in text
    assert b"mrn" not in embedded_files(pdf.read_bytes())[COUNTERSIGNATURE_FILE]


def test_the_mrn_line_takes_room_from_the_drawing_so_the_stamp_keeps_the_box_size(make_ctx, ids):
    from io import BytesIO

    from pypdf import PdfReader

    from kiosk.documents.countersignature import render_countersignature_stamp
    from kiosk.review.actions import countersignature_for

    ctx = make_ctx()
    check_identity(ctx, ids["Margaret Obrien"], "40512")
    pending = countersignature_for(ctx, ids["Margaret Obrien"], clinician_name="Dr Kim", role="doctor",
                                   strokes=STROKES, **PAD)
    place = signature_field(Path(pending.row["pdf_path"]).read_bytes(), COUNTERSIGNATURE_FIELD)
    stamp = render_countersignature_stamp(pending.row["record"], pending.signature, width=place.width,
                                          height=place.height, labels=ctx.pdf_labels)
    size = [float(v) for v in PdfReader(BytesIO(stamp)).pages[0].mediabox[2:]]
    assert size == pytest.approx([place.width, place.height], abs=0.01)  # not taller, so not shrunk
