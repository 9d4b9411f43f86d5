"""The English vertebroplasty pack that ships with the kiosk."""

import dataclasses

import pytest

from kiosk.content import DEFAULT_ASSETS_DIR, DEFAULT_TRANSLATIONS_DIR, load_pack

SECTION_ORDER = ["fracture", "procedure", "benefits", "choices", "before", "day", "risks", "after"]
REQUIRED_RISKS = [
    "general_anaesthesia", "organ_injury", "cement_leak", "cement_to_lungs", "infection"
]


def test_default_dirs_are_in_the_repository():
    assert (DEFAULT_ASSETS_DIR / "content" / "vertebroplasty.toml").is_file()
    assert (DEFAULT_TRANSLATIONS_DIR / "en" / "ui.toml").is_file()
    assert (DEFAULT_TRANSLATIONS_DIR / "en" / "vertebroplasty.toml").is_file()


def test_loads_with_its_id_version_and_language(real_pack):
    assert (real_pack.id, real_pack.version) == ("vertebroplasty", "1.0.0")
    assert (real_pack.language, real_pack.direction) == ("en", "ltr")
    # said plainly: it is shown on the signature screen ("by signing you give your consent to ...")
    assert real_pack.procedure.startswith("vertebroplasty (") and "percutaneous" not in real_pack.procedure
    assert real_pack.title and real_pack.disclaimer


def test_sections_come_in_the_agreed_order(real_pack):
    assert [s.id for s in real_pack.sections][: len(SECTION_ORDER)] == SECTION_ORDER


def test_pages_follow_the_sections_in_reading_order(real_pack):
    from_sections = [p for s in real_pack.sections for p in s.page_ids]
    assert [p.id for p in real_pack.pages] == from_sections
    assert all(p.id in real_pack.sections[[s.id for s in real_pack.sections].index(
        p.section_id)].page_ids for p in real_pack.pages)


def test_has_twelve_to_eighteen_pages(real_pack):
    assert 12 <= len(real_pack.pages) <= 18


@pytest.mark.parametrize("risk_id", REQUIRED_RISKS)
def test_names_each_required_risk(real_pack, risk_id):
    assert risk_id in {r.id for r in real_pack.risks}


def test_every_question_has_three_choices(real_pack):
    assert {len(q.choices) for q in real_pack.questions} == {3}


def test_has_at_least_ten_questions_and_four_to_eight_statements_for_each_signer(real_pack):
    assert len(real_pack.questions) >= 10
    assert 4 <= len(real_pack.statements_for("patient")) <= 8
    assert 4 <= len(real_pack.statements_for("representative")) <= 9


def test_correct_answers_are_not_always_in_the_same_place(real_pack):
    assert len({q.correct for q in real_pack.questions}) > 1


def test_every_page_names_an_illustration(real_pack):
    assert all(p.illustration for p in real_pack.pages)


def test_page_and_question_lookups(real_pack):
    assert real_pack.page("risks_leak").section_id == "risks"
    assert real_pack.question(real_pack.questions[0].id) is real_pack.questions[0]
    with pytest.raises(KeyError):
        real_pack.page("no_such_page")


@pytest.mark.parametrize(
    "thing", ["sections", "pages", "risks", "questions", "statements"]
)
def test_items_are_frozen(real_pack, thing):
    item = getattr(real_pack, thing)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.id = "changed"


def test_pack_itself_is_frozen(real_pack):
    with pytest.raises(dataclasses.FrozenInstanceError):
        real_pack.title = "changed"


def test_loading_twice_gives_equal_content():
    first, second = load_pack("en"), load_pack("en")
    assert first.pages == second.pages and first.questions == second.questions
