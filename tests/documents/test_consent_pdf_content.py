"""What the consent PDF says: everything in docs/consent-record.md that a reader needs, as text."""

import pytest
from consent_records import DOCUMENT_ID, HOSPITAL, QUESTIONS, RECORDS, RISKS, SECTIONS, STATEMENTS, consent_pdf

from kiosk.documents import DEFAULT_LABELS

render = consent_pdf


@pytest.fixture
def text_of(read):
    return lambda record: read.text(render(record))


def test_returns_pdf_bytes(record):
    assert render(record).startswith(b"%PDF-")


@pytest.mark.parametrize("expected", [
    HOSPITAL, "Vertebroplasty: mending a broken bone in your spine", "Margaret O'Brien", "1948-03-07",
    "vertebroplasty", "1.0.0", "ab12" * 16, DOCUMENT_ID, "Europe/London",
])
def test_shows_record_facts(any_record, text_of, expected):
    assert expected in text_of(any_record)


@pytest.mark.parametrize("kind, outcome_key", [
    ("consented", "outcome_consented"), ("representative", "outcome_consented"),
    ("questions", "outcome_questions"), ("declined", "outcome_declined"), ("abandoned", "outcome_abandoned"),
])
def test_outcome_in_plain_words_on_the_first_page(read, kind, outcome_key):
    first_page = " ".join(read.pages(render(RECORDS[kind]()))[0].split())
    assert DEFAULT_LABELS[outcome_key] in first_page


def test_outcome_comes_before_the_patient_section(read, record):
    text = read.poppler(render(record))
    assert text.index("Consent given") < text.index(DEFAULT_LABELS["section_patient"])


def test_language_is_shown(read, record):
    assert f"{DEFAULT_LABELS['language']} en" in read.text(render(record))


@pytest.mark.parametrize("title", [s["title"] for s in SECTIONS] + [p["title"] for s in SECTIONS for p in s["pages"]])
def test_every_section_and_page_title_explained(text_of, record, title):
    assert title in text_of(record)


@pytest.mark.parametrize("risk", RISKS, ids=[r["id"] for r in RISKS])
def test_every_risk_name_and_summary(text_of, any_record, risk):
    text = text_of(any_record)
    assert risk["name"] in text and risk["summary"] in text


@pytest.mark.parametrize("question", QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_every_prompt_and_choice_as_shown(text_of, any_record, question):
    _, prompt, choices, _, _ = question
    text = text_of(any_record)
    assert prompt in text
    assert all(choice in text for _, choice in choices)


def test_attempts_with_choice_time_and_right_or_wrong(text_of):
    text = text_of(RECORDS["questions"]())
    assert "Attempt 1, 2026-11-25 14:08:00 +00:00 Europe/London: It cures osteoporosis (wrong)" in text
    assert "Attempt 2, 2026-11-25 14:08:20 +00:00 Europe/London: The pain of a broken bone in the spine (right)" in text


def test_status_of_each_answer(text_of):
    text = text_of(RECORDS["questions"]())
    assert "Result: Understood after the page was shown again" in text
    assert "Result: Understood" in text


def test_reviewed_page_named_by_its_title(text_of):
    assert "Page shown again: It does not treat osteoporosis itself" in text_of(RECORDS["questions"]())


def test_needs_doctor_marked(text_of):
    assert "needs the doctor's attention" in text_of(RECORDS["questions"]())


def test_needs_doctor_is_bold(read):
    pdf = render(RECORDS["questions"]())
    bold_text = []
    read.reader(pdf).pages[1].extract_text(visitor_text=lambda t, cm, tm, font, size: bold_text.append(t)
                                            if font and "Bold" in font.get("/BaseFont", "") else None)
    assert "needs the doctor's attention" in "".join(bold_text)


@pytest.mark.parametrize("kind", ["consented", "declined", "abandoned"])
def test_no_doctor_marker_when_every_answer_is_fine(text_of, kind):
    assert "needs the doctor's attention" not in text_of(RECORDS[kind]())


def test_help_requests_with_time_and_page(text_of):
    text = text_of(RECORDS["questions"]())
    assert "2026-11-25 14:06:00 +00:00 Europe/London: Cement leaking out of the bone" in text
    assert "Asked for help 1 time " in text


@pytest.mark.parametrize("index", range(len(STATEMENTS)))
def test_statements_with_confirmation_times(text_of, record, index):
    text = text_of(record)
    assert STATEMENTS[index][1] in text
    assert f"confirmed 2026-11-25 14:12:{10 * index:02d} +00:00 Europe/London" in text


@pytest.mark.parametrize("expected", [
    "Signed by Margaret O'Brien", "Signing as the patient",
    "2026-11-25 14:13:05 +00:00 Europe/London",
    "This signature means: consent to percutaneous vertebroplasty",
])
def test_signature_details(text_of, record, expected):
    assert expected in text_of(record)


def test_signature_meaning_comes_from_the_record(text_of, record):
    record["signature"]["meaning"] = "consentement à la vertébroplastie"
    assert "consentement à la vertébroplastie" in text_of(record)


@pytest.mark.parametrize("expected", [
    "Representative Siobhan O'Brien", "Relationship to the patient daughter",
    "Signed by Siobhan O'Brien", "Signing as the patient's representative (daughter)",
])
def test_representative_signing(text_of, expected):
    assert expected in text_of(RECORDS["representative"]())


@pytest.mark.parametrize("kind", ["questions", "declined", "abandoned"])
def test_unsigned_record_says_not_signed(text_of, kind):
    text = text_of(RECORDS[kind]())
    assert "Not signed" in text and "Signed by" not in text


def test_record_text_is_escaped_not_markup(text_of, record):
    record["patient"]["full_name"] = "Anne <b>Smith</b> & Co"
    assert "Anne <b>Smith</b> & Co" in text_of(record)


def test_missing_date_of_birth_does_not_crash(text_of):
    record = RECORDS["abandoned"]()
    record["patient"]["date_of_birth"] = None
    assert "Margaret O'Brien" in text_of(record)


@pytest.mark.parametrize("field, expected", [
    ("/Title", "Vertebroplasty: mending a broken bone in your spine"),
    ("/Author", HOSPITAL),
    ("/Subject", f"Informed consent record, document ID {DOCUMENT_ID}"),
])
def test_pdf_metadata(read, record, field, expected):
    assert read.reader(render(record)).metadata[field] == expected
