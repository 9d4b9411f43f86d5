"""[ui] and [pdf] strings: this language first, English for the gaps."""

import pytest

from kiosk.content import ContentError, available_languages


def test_ui_text_in_the_pack_language(mini):
    mini.add_french()
    assert mini.load("fr").ui("buttons.back") == "Retour"


def test_ui_falls_back_to_english(mini):
    mini.add_french()
    assert mini.load("fr").ui("next") == "Next"


def test_ui_formats_fields(mini):
    assert mini.load().ui("greeting", name="Ada") == "Hello Ada"


def test_ui_key_missing_everywhere_is_an_error(mini):
    mini.add_french()
    with pytest.raises(ContentError, match="no_such_key"):
        mini.load("fr").ui("no_such_key")


def test_ui_field_not_given_is_an_error(mini):
    with pytest.raises(ContentError, match="name"):
        mini.load().ui("greeting")


def test_pdf_labels_fall_back_to_english(mini):
    mini.add_french()
    assert mini.load("fr").pdf_labels == {"signed": "Signed", "date": "Date"}


def test_pdf_labels_are_a_copy(mini):
    pack = mini.load()
    pack.pdf_labels["signed"] = "changed"
    assert pack.pdf_labels["signed"] == "Signed"


def test_available_languages_lists_english():
    assert ("en", "English") in available_languages()


def test_available_languages_sorted_by_code(mini):
    mini.add_french()
    assert available_languages(mini.translations_dir) == [("en", "English"), ("fr", "Français")]


def test_patient_texts_include_ui_strings(mini):
    assert "Hello {name}" in mini.load().patient_texts()
