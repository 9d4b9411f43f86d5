"""Patients may be in pain, have poor sight or read English as a second language: keep it plain."""

import pytest

from tests.content.plain_text import reading_grade

MAX_GRADE = 6.0
MAX_PAGE_GRADE = 8.0
MAX_BODY_WORDS = 60
# Pages added for issue 9 (alternatives, what to expect): each on its own, title, body and
# "tell me more" together, at grade 6 or below.
NEW_PAGES = ("benefits_expect", "choices_other")


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


@pytest.mark.parametrize("page_id", NEW_PAGES)
def test_each_new_page_reads_at_grade_six_or_below_on_its_own(real_pack, page_id):
    page = real_pack.page(page_id)
    grade = reading_grade([page.title, page.body] + ([page.more] if page.more else []))
    print(f"\nFlesch-Kincaid grade of {page_id}: {grade}")
    assert grade <= MAX_GRADE


def test_every_statement_reads_at_grade_eight_or_below_in_both_voices(real_pack):
    hard = {(s.id, voice): reading_grade([text]) for s in real_pack.statements
            for voice, text in (("patient", s.text), ("representative", s.representative_text))}
    assert {k: g for k, g in hard.items() if g > MAX_PAGE_GRADE} == {}
