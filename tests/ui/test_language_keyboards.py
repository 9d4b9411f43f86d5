"""The name keyboard offers the letters each language needs, opening on the language's script."""

from __future__ import annotations

import pytest

from kiosk.ui.pages.identity import NamePage
from tests.ui.conftest import page, tap
from tests.ui.journey import start

NEEDED = {"de": "äöüß", "es": "ñáéíóú", "fr": "çéèêœ", "it": "àèìòù", "pt": "ãõçáê", "pl": "ąćęłńóśźż",
          "tr": "çğıiöşü", "uk": "іїєґ", "zh": "ü", "ar": "ضصثقف", "en": "abc"}
OPENS_ON = {"ar": "arabic", "uk": "cyrillic"}


def name_page(window, language: str) -> NamePage:
    tap(window.welcome.language_buttons[language])
    start(window)
    tap(page(window).choices["patient"])
    shown = page(window)
    assert isinstance(shown, NamePage)
    return shown


@pytest.mark.parametrize("language", sorted(NEEDED))
def test_each_language_types_its_own_letters(window, language):
    keyboard = name_page(window, language).keyboard
    assert keyboard.current_layout == OPENS_ON.get(language, "latin")
    layouts = list(keyboard.layouts)
    own = [name for name, layout in keyboard.layouts.items() if layout.get("language") == language]
    assert layouts[1:1 + len(own)] == own, "the language's letters come right after its first layout"
    assert not [n for n, lay in keyboard.layouts.items() if lay.get("language") not in (None, language)]
    for char in NEEDED[language]:
        found = any(char in row for layout in keyboard.layouts.values() for row in layout["rows"])
        assert found, f"{language}: no key types {char!r}"


def test_turkish_capitals_are_turkish(window):
    shown = name_page(window, "tr")
    keyboard = shown.keyboard
    keyboard.set_layout("turkish")
    assert keyboard.key_for("i").text() == "İ" and keyboard.key_for("ı").text() == "I"  # a name starts capital
    tap(keyboard.key_for("i"))
    tap(keyboard.key_for("ı"))
    assert shown.field.text() == "İı"
    assert keyboard.key_for("i").text() == "i"


def test_a_chinese_patient_is_told_to_type_the_name_as_on_the_hospital_record(window):
    from kiosk.content import load_pack

    shown = name_page(window, "zh")
    assert shown.hint is not None and shown.hint.isVisible()
    assert shown.hint.text() == load_pack("zh").ui("name_hint") and "拼音" in shown.hint.text()


def test_english_has_no_hint_line(window):
    assert name_page(window, "en").hint is None


def test_a_devanagari_name_is_refused_kindly_naming_its_letters(window):
    shown = name_page(window, "en")
    shown.field.setText("Anna नेहा")
    tap(shown.next_button)
    assert page(window) is shown, "the name is not taken"
    assert "नेहा"[0] in shown.error.text() and "cannot print" in shown.error.text()
