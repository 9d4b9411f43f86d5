from datetime import date

import pytest

from kiosk.flow.identity import check_birth_date, check_full_name

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize("name", [
    "Margaret O'Brien", "Zoë Ångström-Müller", "Αλέξανδρος Παπαδόπουλος", "Наталья Иванова",
    "فاطمة الزهراء", "שרה כהן", "王秀英", "Jean-Luc d’Arc", "Dr. Mary Smith", "Şükrü Ağaoğlu",
    "Łucja Żółć", "Олена Їжакевич", "Nguyễn Thị Hương",
])
def test_names_in_any_script_are_accepted(name):
    assert check_full_name(name) == (name, None)


@pytest.mark.parametrize("name, letters", [
    ("नरेन्द्र मोदी", "नरे्दमोी"),  # Devanagari: no shipped font draws it
    ("สมชาย ใจดี", "สมชายใจดี"),  # Thai
    ("Anna नेहा", "नेहा"),
])
def test_a_name_no_pdf_font_can_print_is_refused_naming_its_letters(name, letters):
    from kiosk.flow.identity import unprintable_letters

    assert check_full_name(name) == (name, "name_script_unsupported")
    assert unprintable_letters(name) == letters


def test_the_fonts_coverage_file_is_current():
    """assets/fonts/coverage.txt, which the name check reads, says what the PDF fonts draw."""
    from kiosk.documents.fonts import coverage_text
    from kiosk.flow.identity import COVERAGE_FILE

    assert COVERAGE_FILE.read_text(encoding="ascii") == coverage_text()


@pytest.mark.parametrize("text, error", [
    ("", "name_empty"), ("    ", "name_empty"), ("x" * 500, "name_too_long"), ("1234", "name_no_letters"),
    ("---", "name_no_letters"), ("Rose 🌹 Smith", "name_bad_characters"), ("Anna\u0000Bell", "name_bad_characters"),
    ("R2D2 Smith", "name_bad_characters"),
])
def test_bad_names_get_an_error_key(text, error):
    assert check_full_name(text)[1] == error


def test_spaces_are_folded_and_text_normalised():
    assert check_full_name("  Zoe\u0308   Smith ")[0] == "Zoë Smith"


@pytest.mark.parametrize("parts, error", [
    (("", "3", "1948"), "dob_incomplete"), (("7", "3", "48"), "dob_incomplete"),
    (("31", "2", "1950"), "dob_not_a_date"), (("1", "13", "1950"), "dob_not_a_date"),
    (("26", "11", "2026"), "dob_in_future"), (("1", "1", "2090"), "dob_in_future"),
    (("24", "11", "1906"), "dob_too_old"), (("1", "1", "1800"), "dob_too_old"),
])
def test_bad_dates_of_birth(parts, error):
    assert check_birth_date(*parts, today=TODAY) == (None, error)


@pytest.mark.parametrize("parts, expected", [
    (("7", "3", "1948"), date(1948, 3, 7)), (("25", "11", "1906"), date(1906, 11, 25)),
    (("25", "11", "2026"), date(2026, 11, 25)), (("29", "2", "1940"), date(1940, 2, 29)),
])
def test_good_dates_of_birth(parts, expected):
    assert check_birth_date(*parts, today=TODAY) == (expected, None)


@pytest.mark.parametrize("length, error", [(150, None), (151, "name_too_long")])
def test_names_up_to_150_characters_are_accepted(length, error):
    assert check_full_name("x" * length) == ("x" * length, error)


# On 29 February 2020 the oldest birthday allowed falls in 1900, which had no 29 February.
@pytest.mark.parametrize("parts, expected", [
    (("28", "2", "1900"), (date(1900, 2, 28), None)),
    (("27", "2", "1900"), (None, "dob_too_old")),
    (("29", "2", "2020"), (date(2020, 2, 29), None)),
])
def test_oldest_birth_date_on_a_leap_day(parts, expected):
    assert check_birth_date(*parts, today=date(2020, 2, 29)) == expected


def test_oldest_birth_date_on_a_leap_day_that_falls_on_a_leap_year():
    assert check_birth_date("29", "2", "1908", today=date(2028, 2, 29)) == (date(1908, 2, 29), None)
