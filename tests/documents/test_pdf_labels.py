"""The fixed words come from DEFAULT_LABELS and can all be replaced by a translation."""

import re

import pytest
from consent_records import HOSPITAL, RECORDS, build_form

from kiosk.documents import DEFAULT_LABELS, render_blank_form, render_consent_pdf


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


def neutral_labels() -> dict[str, str]:
    """Every label replaced by "§" and its placeholders: no English word of ours is left."""
    return {key: " ".join(["§", *re.findall(r"\{\w+\}", text)]) for key, text in DEFAULT_LABELS.items()}


@pytest.mark.parametrize("kind", sorted(RECORDS) + ["blank form"])
def test_every_visible_word_comes_from_the_record_or_the_labels(read, kind):
    data = build_form() if kind == "blank form" else RECORDS[kind]()
    render = render_blank_form if kind == "blank form" else render_consent_pdf
    text = read.text(render(data, hospital_name=HOSPITAL, labels=neutral_labels()))
    allowed = {w for s in strings_in(data) + [HOSPITAL] for w in re.findall(r"[A-Za-z]+", s)}
    assert set(re.findall(r"[A-Za-z]+", text)) - allowed == set()


def test_labels_override_the_defaults(read):
    french = {"page_of": "Page {page} sur {pages}", "outcome_consented": "Consentement donné"}
    pages = read.pages(render_consent_pdf(RECORDS["consented"](), hospital_name=HOSPITAL, labels=french))
    assert "Consentement donné" in pages[0]
    assert f"Page 1 sur {len(pages)}" in pages[0] and "Page 1 of" not in pages[0]


def test_a_label_with_a_wrong_placeholder_still_renders(read):
    text = read.text(render_consent_pdf(RECORDS["consented"](), hospital_name=HOSPITAL,
                                        labels={"page_of": "Seite {seite} von {pages}"}))
    assert "Seite {seite} von" in text


def test_unknown_label_keys_warn():
    with pytest.warns(UserWarning, match="no_such_label"):
        render_consent_pdf(RECORDS["consented"](), hospital_name=HOSPITAL, labels={"no_such_label": "x"})


def test_default_labels_are_plain_keys():
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", key) for key in DEFAULT_LABELS)


@pytest.mark.parametrize("key", ["page_of", "document_id", "needs_doctor", "outcome_consented", "outcome_questions",
                                 "outcome_declined", "outcome_abandoned", "section_patient", "date_of_birth"])
def test_the_words_others_rely_on_exist(key):
    assert DEFAULT_LABELS[key]
