"""Patients may be in pain, have poor sight or read English as a second language: keep it plain."""

from tests.content.plain_text import reading_grade

MAX_GRADE = 6.0
MAX_PAGE_GRADE = 8.0
MAX_BODY_WORDS = 60


def test_all_patient_text_reads_at_grade_six_or_below(real_pack):
    grade = reading_grade(real_pack.patient_texts())
    print(f"\nFlesch-Kincaid grade of all English patient text: {grade}")
    assert grade <= MAX_GRADE


def test_every_page_body_fits_one_screen(real_pack):
    too_long = {p.id: len(p.body.split()) for p in real_pack.pages
                if len(p.body.split()) > MAX_BODY_WORDS}
    assert too_long == {}


def test_no_single_page_body_is_hard_to_read(real_pack):
    hard = {p.id: reading_grade([p.body]) for p in real_pack.pages}
    assert {k: g for k, g in hard.items() if g > MAX_PAGE_GRADE} == {}
