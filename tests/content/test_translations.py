"""Every shipped language is whole and faithful: the same keys, placeholders and figures as the
English, nothing left in English, a status that never claims a review nobody did, and text as
easy to read as the English where the language has a formula for it."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kiosk.content import available_languages, load_pack
from kiosk.content.translation_check import compare, numbers, problems
from kiosk.review.texts import load_texts
from tests.content.readability import reading_score
from tests.content.test_quiz import STRATEGIES, right_is_longest, score

SHIPPED = ("ar", "de", "en", "es", "fr", "it", "pl", "pt", "tr", "uk", "zh")
TRANSLATIONS = tuple(code for code in SHIPPED if code != "en")
OWN_NAMES = {"ar": "العربية", "de": "Deutsch", "en": "English", "es": "Español", "fr": "Français",
             "it": "Italiano", "pl": "Polski", "pt": "Português", "tr": "Türkçe", "uk": "Українська",
             "zh": "中文（简体）"}
# The bar each formula sets: about the ease of the English, which is written to reading grade 6.
EASY_ENOUGH = {"en": lambda s: s >= 60, "es": lambda s: s >= 70, "de": lambda s: s <= 7,
               "it": lambda s: s >= 60, "fr": lambda s: s >= 60, "ar": lambda s: s >= 60}


def test_the_eleven_languages_are_installed_each_named_in_itself():
    assert dict(available_languages()) == OWN_NAMES


@pytest.fixture(scope="module", params=TRANSLATIONS)
def code(request):
    return request.param


def test_keys_placeholders_numbers_and_no_english_left(code):
    """translation_check over ui.toml, vertebroplasty.toml and nurse.toml against English."""
    assert problems(code) == []


def test_the_pack_and_the_nurse_texts_load(code):
    pack = load_pack(code)
    assert pack.language == code and len(pack.pages) == len(load_pack("en").pages)
    assert load_texts(code)("outcome.consented") != load_texts("en")("outcome.consented")


def test_a_machine_translation_is_a_draft_and_says_so(code):
    pack = load_pack(code)
    assert pack.translation == "draft"
    assert (pack.translation_reviewed_by, pack.translation_reviewed_on) == ("", "")


def test_arabic_is_right_to_left_and_the_others_left_to_right(code):
    assert load_pack(code).direction == ("rtl" if code == "ar" else "ltr")


def test_every_figure_of_the_leaflet_reaches_every_language(code):
    """The numbers of the content (1 in 100, 200, 58 and 97 ...) are in the translated content."""
    english, other = load_pack("en"), load_pack(code)
    assert sum(map(numbers, english.patient_texts()), numbers("")) <= sum(
        map(numbers, other.patient_texts()), numbers(""))


def test_a_back_translation_lists_and_resolves_the_differences(code):
    from pathlib import Path

    back = Path(__file__).resolve().parents[2] / "docs" / "translations" / f"{code}-back.md"
    text = back.read_text(encoding="utf-8")
    assert "AI" in text and "draft" in text.lower()
    assert "| English |" in text or "| English" in text, "the table of differences"
    for question in load_pack("en").questions:
        assert question.id in text, f"{question.id} is back-translated"


def test_the_quiz_cannot_be_guessed_in_this_language_either(code):
    """The English quiz's rules, on the translation: a longer right answer would give it away."""
    questions = load_pack(code).questions
    assert Fraction(sum(map(right_is_longest, questions)), len(questions)) <= Fraction(1, 3)
    for strategy in STRATEGIES[:1]:  # the absolute-word strategies read English words
        assert score(strategy, questions) <= Fraction(1, 2)


@pytest.mark.parametrize("language", sorted(EASY_ENOUGH))
def test_reading_ease_in_the_languages_own_formula(language):
    name, _reading, value = reading_score(load_pack(language))
    print(f"\n{language}: {name} {value}")
    assert EASY_ENOUGH[language](value), f"{language}: {name} {value}"


# ------------------------------------------------------------------ the checks themselves


def test_the_check_finds_what_it_is_for():
    english = {"a": "Stay {minutes} minutes, 3-4 days.", "b": "Call the nurse.", "c": "{marker}: {number}."}
    found = compare(english, {"a": "Quédese {minutos} minutos, 3 días.", "b": "Call the nurse, please.",
                              "c": "{marker}: {number}.", "d": "extra"}, "xx/ui.toml")
    assert found == [
        "xx/ui.toml: d is not in the English file",
        "xx/ui.toml: a has the placeholders ['minutos'], English has ['minutes']",
        "xx/ui.toml: a lacks the number(s) 3-4 of the English",
        "xx/ui.toml: b is still in English: 'Call the nurse, please.'",
    ]


def test_numbers_read_any_digits_and_dashes():
    assert numbers("٣–٤ أيام و200") == numbers("3-4 days and 200")
