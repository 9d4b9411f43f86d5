"""Each broken pack fails at load with a ContentError naming the file and the key."""

import pytest

from kiosk.content import ContentError

# (which file, text to replace, replacement, words the message must contain)
STRUCTURE_BREAKS = {
    "duplicate page id": (
        '[[pages]]\nid = "p_b"', '[[pages]]\nid = "p_a"', ["duplicate id 'p_a'", "[[pages]]"]
    ),
    "duplicate question id": (
        "[[statements]]",
        '[[questions]]\nid = "q_a"\nexplained_by = "p_a"\nchoices = ["a", "b"]\ncorrect = "a"'
        "\n\n[[statements]]",
        ["duplicate id 'q_a'", "[[questions]]"],
    ),
    "id not lowercase": ('id = "p_b"', 'id = "Page-B"', ["'Page-B'", "lowercase"]),
    "section page missing from pages": (
        'pages = ["p_a", "p_b"]', 'pages = ["p_a", "p_b", "p_x"]', ["'one'", "'p_x'"]
    ),
    "page in no section": ('pages = ["p_a", "p_b"]', 'pages = ["p_a"]', ["'p_b'", "no section"]),
    "page in two sections": (
        "[[pages]]\nid = \"p_a\"",
        '[[sections]]\nid = "two"\npages = ["p_a"]\n\n[[pages]]\nid = "p_a"',
        ["'p_a'", "already in section 'one'"],
    ),
    "page without illustration": ('illustration = "art_b"', "", ["'p_b'", "illustration"]),
    "correct not among choices": ('correct = "b"', 'correct = "d"', ["'q_a'", "correct 'd'"]),
    "duplicate choice ids": (
        'choices = ["a", "b", "c"]', 'choices = ["a", "b", "b"]', ["'q_a'", "duplicate choice"]
    ),
    "explained_by names no page": (
        'explained_by = "p_b"', 'explained_by = "p_z"', ["'q_a'", "explained_by 'p_z'"]
    ),
    "risk page names no page": ('page = "p_b"', 'page = "p_z"', ["'r_a'", "'p_z'"]),
    "risk checked by no question": ('risks = ["r_a"]', "risks = []", ["'r_a'", "no question"]),
    "question checks an unknown risk": (
        'risks = ["r_a"]', 'risks = ["r_a", "r_z"]', ["'q_a'", "'r_z'"]
    ),
    "wrong procedure id": ('id = "vertebroplasty"', 'id = "kyphoplasty"', ["'kyphoplasty'"]),
    "no statements": ('[[statements]]\nid = "s_a"\n', "", ["[[statements]]"]),
    "unknown question topic": (
        'correct = "b"', 'correct = "b"\ntopics = ["benefit", "weather"]', ["'q_a'", "topics", "benefit"]
    ),
    "question topics not a list": ('correct = "b"', 'correct = "b"\ntopics = "benefit"', ["'q_a'", "topics"]),
    "statement topic of a question": (
        'id = "s_a"', 'id = "s_a"\ntopics = ["benefit"]', ["'s_a'", "topics", "care_continues"]
    ),
    "situation not true or false": ('correct = "b"', 'correct = "b"\nsituation = "yes"', ["'q_a'", "'situation'"]),
    "representative_only not true or false": (
        'id = "s_a"', 'id = "s_a"\nrepresentative_only = 1', ["'s_a'", "'representative_only'"]
    ),
    "source not in [sources]": ('illustration = "art_b"', 'illustration = "art_b"\nsource = "nice"',
                                ["[[pages]] 'p_b'", "source 'nice'", "[sources]"]),
    "source table without a url": (
        'version = "0.0.1"', 'version = "0.0.1"\n[sources.nice]\ntitle = "T"\npublisher = "P"\nyear = 2013',
        ["[sources.nice]", "missing: url"]
    ),
    "source table with an unknown key": (
        'version = "0.0.1"',
        'version = "0.0.1"\n[sources.nice]\ntitle = "T"\npublisher = "P"\nyear = "2013"\nurl = "u"\nnote = "x"',
        ["[sources.nice]", "exactly"]
    ),
    "approval with an unknown key": (
        'version = "0.0.1"', 'version = "0.0.1"\n[approval]\nsigned = "yes"', ["[approval]", "approved_by"]
    ),
    "approval date not a date": (
        'version = "0.0.1"', 'version = "0.0.1"\n[approval]\ndate = "1 May"', ["[approval]", "YYYY-MM-DD"]
    ),
    "not TOML": ("[[statements]]", "[[statements", ["not valid UTF-8 TOML"]),
}

TEXT_BREAKS = {
    "page body missing": ('body = "Body B."\n', "", ["[pages.p_b]", "'body'"]),
    "page title blank": ('title = "Page A"', 'title = "  "', ["[pages.p_a]", "'title'"]),
    "section title missing": ('title = "Section one"\n', "", ["[sections.one]", "'title'"]),
    "risk summary missing": ('summary = "Risk A summary."\n', "", ["[risks.r_a]", "'summary'"]),
    "question prompt missing": ('prompt = "Prompt?"\n', "", ["[questions.q_a]", "'prompt'"]),
    "question explanation missing": (
        'explanation = "Explanation."\n', "", ["[questions.q_a]", "'explanation'"]
    ),
    "choice text missing": ('c = "Choice C"\n', "", ["[questions.q_a.choices]", "'c'"]),
    "text for an unknown choice": (
        'c = "Choice C"', 'c = "Choice C"\nd = "Choice D"', ["[questions.q_a.choices]", "'d'"]
    ),
    "statement text missing": ('text = "Statement A."\n', "", ["[statements.s_a]", "'text'"]),
    "disclaimer missing": ('disclaimer = "Disclaimer."\n', "", ["[meta]", "'disclaimer'"]),
    "text for an unknown page": (
        "[pages.p_b]", '[pages.p_q]\ntitle = "?"\n\n[pages.p_b]', ["[pages.p_q]", "names no page"]
    ),
    "direction neither ltr nor rtl": (
        'direction = "ltr"', 'direction = "up"', ["[language]", "direction is 'up'"]
    ),
    "language code does not match the file": ('code = "en"', 'code = "de"', ["[language]", "'de'"]),
    "language name missing": ('name = "English"\n', "", ["[language]", "name"]),
    "ui value not text": ('next = "Next"', "next = 3", ["[ui]", "next"]),
    "statement without its representative form": (
        'representative = "Statement A for the patient."\n', "", ["[statements.s_a]", "'representative'"]
    ),
    "translation status unknown": (
        'status = "draft"', 'status = "approved"', ["[translation]", "'approved'"]
    ),
    "reviewed without who and when": (
        'status = "draft"', 'status = "reviewed"', ["[translation]", "reviewed_by"]
    ),
    "reviewed on a date that is not one": (
        'status = "draft"',
        'status = "reviewed"\nreviewed_by = "A. Translator"\nreviewed_on = "May"',
        ["[translation]", "YYYY-MM-DD"],
    ),
    "a reviewer named on a draft": (
        'status = "draft"', 'status = "draft"\nreviewed_by = "A. Translator"',
        ["[translation]", "only for a 'reviewed'"],
    ),
}


@pytest.mark.parametrize("old, new, words", STRUCTURE_BREAKS.values(), ids=STRUCTURE_BREAKS)
def test_broken_structure_is_refused(mini, old, new, words):
    mini.edit(mini.structure, old, new)
    with pytest.raises(ContentError) as error:
        mini.load()
    message = str(error.value)
    assert "vertebroplasty.toml" in message
    for word in words:
        assert word in message


@pytest.mark.parametrize("old, new, words", TEXT_BREAKS.values(), ids=TEXT_BREAKS)
def test_broken_translation_is_refused(mini, old, new, words):
    mini.edit(mini.text("en"), old, new)
    with pytest.raises(ContentError) as error:
        mini.load()
    message = str(error.value)
    assert "en/ui.toml" in message or "en/vertebroplasty.toml" in message
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    "old, new, words",
    [
        ('body = "Body B."\n', "", ["fr/vertebroplasty.toml", "[pages.p_b]", "'body'"]),
        ('more = "More A."\n', "", ["fr/vertebroplasty.toml", "[pages.p_a]", "'more'"]),
        ('summary = "Risk A summary."\n', "", ["fr/vertebroplasty.toml", "[risks.r_a]", "'summary'"]),
    ],
    ids=["page body", "more text the English page has", "risk summary"],
)
def test_other_languages_never_borrow_english_content(mini, old, new, words):
    mini.edit(mini.add_french(), old, new)
    with pytest.raises(ContentError) as error:
        mini.load("fr")
    for word in words:
        assert word in str(error.value)


def test_only_english_is_the_source_text(mini):
    french = mini.add_french()
    mini.edit(french, 'status = "draft"', 'status = "source"')
    with pytest.raises(ContentError) as error:
        mini.load("fr")
    assert "fr/vertebroplasty.toml" in str(error.value) and "'draft' or 'reviewed'" in str(error.value)


def test_the_mini_pack_itself_is_valid(mini):
    assert [p.id for p in mini.load().pages] == ["p_a", "p_b"]


def test_rtl_is_accepted(mini):
    mini.edit(mini.text("en"), 'direction = "ltr"', 'direction = "rtl"')
    assert mini.load().direction == "rtl"


def test_missing_language_file_is_refused(mini):
    with pytest.raises(ContentError, match="xx/vertebroplasty.toml"):
        mini.load("xx")


@pytest.mark.parametrize("code", ["../en", "en/../en", ""])
def test_language_that_is_a_path_is_refused(mini, code):
    with pytest.raises(ContentError, match="language code"):
        mini.load(code)
