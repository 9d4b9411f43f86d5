"""A consent in the patient's language ends with a summary page in the hospital's working
language (`staff_language`): outcome, flags, each misunderstood question with its answers,
the statements and who signed. Read back from the PDF with pdftotext."""

from __future__ import annotations

import random
import subprocess

import pytest
from pypdf import PdfReader

from kiosk.content import load_pack
from kiosk.documents import render_consent
from kiosk.finalise import freeze_record, staff_summary
from kiosk.flow.clock import make_clock
from kiosk.flow.walk import walk_session
from kiosk.settings import Settings

SETTINGS = Settings(hospital_name="St Elsewhere Hospital", time_zone="Europe/London", staff_language="en")


def consent(language: str, tmp_path, *, settings=SETTINGS, outcome="consented"):
    pack = load_pack(language)
    session = walk_session(pack, name="Ana García", outcome=outcome, representative=None, wrong_once=("q_leak",),
                           wrong_twice=("q_nearby",), clock=make_clock("Europe/London"), rng=random.Random(3))
    record = freeze_record(session, pack, settings)
    pdf = render_consent(record, hospital_name=settings.hospital_name, labels=pack.pdf_labels,
                         staff=staff_summary(record, pack, settings)).pdf
    path = tmp_path / f"{language}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return record, path, " ".join(text.split())


@pytest.fixture(scope="module")
def spanish(tmp_path_factory):
    return consent("es", tmp_path_factory.mktemp("staff"))


def test_a_spanish_consent_has_an_english_summary_with_the_flags(spanish):
    record, _path, text = spanish
    english, es = load_pack("en"), load_pack("es")
    assert record["language"] == "es" and record["flags"] == ["needs_doctor:q_nearby"]
    before, _, staff = text.partition("Summary for staff")
    assert staff, "the staff page is there"
    assert "The patient used the kiosk in Español" in staff
    assert "Consent given" in staff  # the outcome, in English
    assert "needs the doctor's attention" in staff
    assert " ".join(english.question("q_nearby").prompt.split()) in staff
    right = next(c.text for c in english.question("q_nearby").choices if c.id == "c" or c.id == english.question("q_nearby").correct)
    assert " ".join(right.split()) in staff
    for statement in english.statements_for("patient"):
        assert " ".join(statement.text.split())[:50] in staff
    assert "Signed by" in staff and "Ana García" in staff
    assert "Translation not yet reviewed by a qualified medical translator" in staff, "the draft, said in English"
    assert "not yet approved" in staff  # the content's approval, in English
    # the pages before it are what the patient read: Spanish
    assert " ".join(es.question("q_nearby").prompt.split()) in before
    assert " ".join(english.question("q_nearby").prompt.split()) not in before


def test_the_summary_is_its_own_pages_at_the_end(spanish, tmp_path):
    _record, path, _text = spanish
    with_staff = len(PdfReader(str(path)).pages)
    _r, plain, _t = consent("es", tmp_path, settings=Settings(time_zone="Europe/London", staff_language="es"))
    assert with_staff > len(PdfReader(str(plain)).pages)


def test_no_summary_when_the_patient_used_the_staff_language(tmp_path):
    _record, _path, text = consent("en", tmp_path)
    assert "Summary for staff" not in text


def test_a_declined_consent_summary_says_so_and_that_nobody_signed(tmp_path):
    _record, _path, text = consent("fr", tmp_path, outcome="declined")
    staff = text.partition("Summary for staff")[2]
    assert "Not signed" in staff or "not signed" in staff.lower()
    assert load_pack("en").pdf_labels["outcome_declined"] in staff


def _page_texts(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


def test_the_staff_pages_footer_is_in_the_staff_language_and_the_patients_pages_in_theirs(spanish):
    _record, path, _text = spanish
    pages = _page_texts(path)
    total = len(pages)
    staff_at = next(i for i, text in enumerate(pages) if "Summary for staff" in text)
    for number, text in enumerate(pages, start=1):
        if number - 1 >= staff_at:
            assert f"Page {number} of {total}" in text and "Document ID" in text, text[-200:]
        else:
            assert f"Página {number} de {total}" in text and "Identificador del documento" in text
            assert "Document ID" not in text


def test_an_arabic_consent_s_english_staff_page_reads_left_to_right(tmp_path):
    _record, path, text = consent("ar", tmp_path)
    pages = _page_texts(path)
    last = pages[-1]
    assert "Summary for staff" in text and f"Page {len(pages)} of {len(pages)}" in last
    reader = PdfReader(str(path))
    width = float(reader.pages[-1].mediabox.width)
    found = []
    reader.pages[-1].extract_text(visitor_text=lambda t, cm, tm, *_: found.append((t, tm[4])) if "Document ID" in t else None)
    assert found and found[0][1] < width / 2, "the staff footer's document ID on the left, as English reads"
