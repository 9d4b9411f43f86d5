"""Statements in the signer's voice; where content comes from; whether it is approved, and
whether its translation was checked. Never a draft shown as approved."""

from __future__ import annotations

import pytest

from kiosk.content import Approval, Source, Statement

REPRESENTATIVE_ONLY = '[[statements]]\nid = "s_rep"\nrepresentative_only = true\n'


def _with_representative_only(mini):
    mini.edit(mini.structure, '[[statements]]\nid = "s_a"\n', '[[statements]]\nid = "s_a"\n\n'
              + REPRESENTATIVE_ONLY)
    mini.edit(mini.text("en"), "[labels.art_a]",
              '[statements.s_rep]\nrepresentative = "I may decide for the patient."\n\n[labels.art_a]')


def test_a_statement_speaks_in_each_signers_voice(mini):
    statement = mini.load().statements[0]
    assert statement.text_for("patient") == "Statement A." == statement.text
    assert statement.text_for("representative") == "Statement A for the patient."


def test_a_signer_role_that_is_neither_is_refused():
    statement = Statement("s", "mine", "theirs")
    with pytest.raises(ValueError, match="'nurse'"):
        statement.text_for("nurse")


def test_a_representative_only_statement_is_shown_to_representatives_alone(mini):
    _with_representative_only(mini)
    pack = mini.load()
    assert [s.id for s in pack.statements] == ["s_a", "s_rep"]
    assert [s.id for s in pack.statements_for("patient")] == ["s_a"]
    assert [s.id for s in pack.statements_for("representative")] == ["s_a", "s_rep"]
    only = pack.statements[1]
    assert only.representative_only and only.text_for("representative") == "I may decide for the patient."
    with pytest.raises(ValueError, match="'someone'"):
        pack.statements_for("someone")


def test_patient_texts_hold_both_forms_of_every_statement(mini):
    texts = mini.load().patient_texts()
    assert "Statement A." in texts and "Statement A for the patient." in texts


def test_topics_and_situation_are_read(mini):
    mini.edit(mini.structure, 'correct = "b"', 'correct = "b"\ntopics = ["benefit", "risk_size"]\nsituation = true')
    mini.edit(mini.structure, 'id = "s_a"', 'id = "s_a"\ntopics = ["benefits"]')
    pack = mini.load()
    assert (pack.questions[0].topics, pack.questions[0].situation) == (("benefit", "risk_size"), True)
    assert pack.statements[0].topics == ("benefits",)


def test_without_tags_a_question_is_recall_and_a_statement_for_everyone(mini):
    pack = mini.load()
    assert (pack.questions[0].topics, pack.questions[0].situation) == ((), False)
    assert (pack.statements[0].topics, pack.statements[0].representative_only) == ((), False)


def test_sources_are_read_and_named_by_entries(mini):
    mini.edit(mini.structure, 'version = "0.0.1"', 'version = "0.0.1"\n\n[sources.nice_ta279]\n'
              'title = "Vertebroplasty guidance"\npublisher = "NICE"\nyear = 2013\n'
              'url = "https://www.nice.org.uk/guidance/ta279"')
    mini.edit(mini.structure, 'illustration = "art_b"', 'illustration = "art_b"\nsource = "nice_ta279"')
    mini.edit(mini.structure, 'page = "p_b"', 'page = "p_b"\nsource = "nice_ta279"')
    pack = mini.load()
    assert pack.sources["nice_ta279"] == Source("Vertebroplasty guidance", "NICE", "2013",
                                                 "https://www.nice.org.uk/guidance/ta279")
    assert [p.source for p in pack.pages] == [None, "nice_ta279"]
    assert pack.risks[0].source == "nice_ta279"
    assert pack.questions[0].source is None and pack.statements[0].source is None


def test_without_an_approval_block_nothing_is_approved(mini):
    approval = mini.load().approval
    assert approval == Approval("", "", "") and not approval.approved


@pytest.mark.parametrize("filled, approved", [
    (("Dr A. Clinician", "Consultant radiologist", "2026-11-30"), True),
    (("Dr A. Clinician", "Consultant radiologist", ""), False),
    (("Dr A. Clinician", "", "2026-11-30"), False),
    (("", "Consultant radiologist", "2026-11-30"), False),
])
def test_only_a_complete_approval_approves(mini, filled, approved):
    by, role, date = filled
    mini.edit(mini.structure, 'version = "0.0.1"',
              f'version = "0.0.1"\n\n[approval]\napproved_by = "{by}"\nrole = "{role}"\ndate = "{date}"')
    approval = mini.load().approval
    assert (approval.approved_by, approval.role, approval.date) == filled
    assert approval.approved is approved


def test_a_translation_says_nothing_is_a_draft(mini):
    pack = mini.load()
    assert (pack.translation, pack.translation_reviewed_by, pack.translation_reviewed_on) == ("draft", "", "")


def test_a_reviewed_translation_names_who_and_when(mini):
    mini.add_french()
    mini.set_status("fr", 'status = "reviewed"\n'
                    'reviewed_by = "M. Traductrice, medical translator"\nreviewed_on = "2026-10-02"\n')
    pack = mini.load("fr")
    assert (pack.translation, pack.translation_reviewed_by, pack.translation_reviewed_on) == (
        "reviewed", "M. Traductrice, medical translator", "2026-10-02")


def test_a_language_is_reviewed_only_when_all_its_files_are(mini):
    french = mini.add_french()
    mini.edit(french, 'status = "draft"\n', 'status = "reviewed"\nreviewed_by = "M. T."\nreviewed_on = "2026-10-02"\n')
    assert mini.load("fr").translation == "draft"  # its ui.toml is still a draft


def test_the_shipped_english_is_the_source_and_not_yet_approved(real_pack):
    assert real_pack.translation == "source"
    assert (real_pack.translation_reviewed_by, real_pack.translation_reviewed_on) == ("", "")
    assert real_pack.approval == Approval("", "", "") and not real_pack.approval.approved
