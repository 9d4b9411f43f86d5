"""The nurse station's words: every code the core defines has them, in translations/nurse."""

from __future__ import annotations

import pytest

from kiosk.review.codes import OUTCOMES, QUEUE_FLAGS, REVIEW_STATES, ROLES, choices, coded
from kiosk.review.texts import TRANSLATIONS_DIR, load_texts
from kiosk.store.audit import ACTIONS

TEXTS = load_texts("en")


@pytest.mark.parametrize("table, codes", [("outcome", OUTCOMES), ("review_state", REVIEW_STATES),
                                          ("flag", QUEUE_FLAGS), ("role", ROLES), ("history", ACTIONS)])
def test_every_code_the_core_defines_has_its_words(table, codes):
    missing = [code for code in codes if not TEXTS.has(f"{table}.{code}")]
    assert not missing, f"translations/en/nurse.toml [{table}] lacks {missing}"


def test_the_account_actions_of_the_review_layer_have_words():
    for action in ("nurse_made_admin", "nurse_admin_removed", "nurse_unlocked"):
        assert TEXTS.has(f"history.{action}")


def test_choices_keep_the_core_order_with_their_words():
    assert [(c.code, c.text) for c in choices(TEXTS, "outcome", OUTCOMES)] == [
        ("consented", "Consented"), ("questions", "Questions for the doctor"), ("declined", "Declined"),
        ("abandoned", "Abandoned")]


def test_an_unknown_code_shows_itself_rather_than_nothing():
    assert coded(TEXTS, "outcome", "postponed").text == "postponed"


def test_placeholders_are_filled_and_a_wrong_one_stays_visible():
    assert TEXTS("message.print_sent", printer="Ward 3", copies_text="2 copies") == "Sent to Ward 3: 2 copies."
    assert TEXTS("message.unlocked") == "{name} can sign in again."


def test_a_translation_replaces_what_it_has_and_english_fills_the_rest(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "nurse.toml").write_bytes((TRANSLATIONS_DIR / "en" / "nurse.toml").read_bytes())
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "nurse.toml").write_text('[outcome]\nconsented = "Consentement donné"\ntypo = "ignoré"\n',
                                      encoding="utf-8")
    french = load_texts("fr", tmp_path)
    assert french("outcome.consented") == "Consentement donné"
    assert french("outcome.declined") == "Declined"
    assert not french.has("outcome.typo")


def test_a_file_that_is_not_tables_of_text_is_named(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "nurse.toml").write_text("[outcome]\nconsented = 3\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"nurse.toml: outcome.consented must be text in quotes"):
        load_texts("en", tmp_path)
