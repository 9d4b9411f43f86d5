"""The blank paper form: the consent's layout, with tick boxes and lines instead of answers."""

import re

import pytest
from consent_records import HOSPITAL, QUESTIONS, RISKS, STATEMENTS

from kiosk.documents import DEFAULT_LABELS, render_blank_form, render_consent_pdf

SECTION_KEYS = [k for k in DEFAULT_LABELS if k.startswith("section_")]


@pytest.fixture
def blank(form):
    return render_blank_form(form, hospital_name=HOSPITAL)


@pytest.fixture
def blank_text(read, blank):
    return read.text(blank)


@pytest.mark.parametrize("absent", [
    "Margaret O'Brien", "1948-03-07", "Consent given", "Not finished", "Signed by", "confirmed 2026",
    "Attempt 1", "7d0c2c9e", "Not signed",
])
def test_has_no_patient_data(blank_text, absent):
    assert absent not in blank_text


def test_a_tick_box_for_every_choice_and_statement(blank_text):
    choices = sum(len(q[2]) for q in QUESTIONS)
    assert blank_text.count("\u2610") >= choices + len(STATEMENTS)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_each_choice_has_its_tick_box(blank_text, question):
    for _, choice in question[2]:
        assert f"\u2610 {choice}" in blank_text


@pytest.mark.parametrize("statement", [s[1] for s in STATEMENTS])
def test_each_statement_has_its_tick_box(blank_text, statement):
    assert f"\u2610 {statement}" in blank_text


def test_same_section_headings_in_the_same_order_as_the_consent(read, blank, record):
    def headings(pdf):
        text = read.poppler(pdf)
        found = [(text.find(DEFAULT_LABELS[k]), DEFAULT_LABELS[k]) for k in SECTION_KEYS]
        return [label for position, label in sorted(found) if position >= 0]
    assert headings(blank) == headings(render_consent_pdf(record, hospital_name=HOSPITAL))
    assert len(headings(blank)) == len(SECTION_KEYS)


@pytest.mark.parametrize("label", ["patient_name", "date_of_birth", "representative", "relationship",
                                   "printed_name", "date", "time", "signature_meaning"])
def test_has_lines_to_fill_in(blank_text, label):
    assert DEFAULT_LABELS[label].split("{")[0].strip() in blank_text


def test_signing_role_to_tick(blank_text):
    assert "\u2610 the patient \u2610 the patient's representative" in blank_text


def test_signature_meaning_defaults_to_vertebroplasty(blank_text):
    # the same words as a signature on the kiosk, the procedure said plainly (no "percutaneous")
    from kiosk.content import load_pack

    pack = load_pack("en")
    kiosk_meaning = pack.ui("signature_meaning", procedure=pack.procedure)
    assert DEFAULT_LABELS["default_signature_meaning"] == kiosk_meaning
    assert f"This signature means: {kiosk_meaning}" in " ".join(blank_text.split())
    assert "percutaneous" not in blank_text


def test_signature_meaning_from_the_form(read, form):
    form["signature_meaning"] = "consent to vertebroplasty at two levels"
    text = read.text(render_blank_form(form, hospital_name=HOSPITAL))
    assert "This signature means: consent to vertebroplasty at two levels" in text


@pytest.mark.parametrize("expected", [r["name"] for r in RISKS] + [q[1] for q in QUESTIONS]
                         + ["ab12" * 16, "1.0.0", HOSPITAL])
def test_shows_the_information_it_asks_about(blank_text, expected):
    assert expected in blank_text


def test_pen_lines_are_drawn(read, blank):
    ops = read.reader(blank).pages[0].get_contents().get_data().decode("latin-1")
    assert len(re.findall(r"\bm [-\d. ]+ l S", ops)) >= 4  # name, date of birth, representative, relationship
