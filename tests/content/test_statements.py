"""The consent statements: every topic a valid consent needs, each in the signer's own voice."""

from __future__ import annotations

import re

from kiosk.content.structure import STATEMENT_TOPICS

FIRST_PERSON_BODY = re.compile(r"\b(my|me)\b", re.IGNORECASE)
ABOUT_THE_PATIENT = re.compile(r"\bthe patient('s)?\b", re.IGNORECASE)


def test_every_statement_topic_is_covered(real_pack):
    covered = {topic for s in real_pack.statements for topic in s.topics}
    assert set(STATEMENT_TOPICS) - covered == set()


def test_every_statement_names_its_topics(real_pack):
    assert [s.id for s in real_pack.statements if not s.topics] == []


def test_only_a_representative_confirms_they_may_decide_for_the_patient(real_pack):
    only = [s for s in real_pack.statements if s.representative_only]
    assert [s.topics for s in only] == [("entitled_to_decide",)]
    assert only[0] not in real_pack.statements_for("patient")
    assert only[0] in real_pack.statements_for("representative")
    assert real_pack.statements_for("patient") == tuple(s for s in real_pack.statements if s not in only)


def test_a_representative_never_confirms_something_about_their_own_body(real_pack):
    """ "my broken bone" signed by a son is a statement about his bones, not his mother's."""
    own = {s.id: s.representative_text for s in real_pack.statements
           if re.search(r"\bmy (broken|bones?|osteoporosis|pain|spine|back)\b", s.representative_text, re.I)}
    assert own == {}


def test_statements_about_the_body_name_the_patient_for_a_representative(real_pack):
    for statement in real_pack.statements_for("patient"):
        if re.search(r"\bmy (broken|bones?|osteoporosis|pain)\b", statement.text, re.I):
            assert ABOUT_THE_PATIENT.search(statement.representative_text), statement.id


def test_the_patients_form_never_speaks_of_the_patient(real_pack):
    assert [s.id for s in real_pack.statements_for("patient") if ABOUT_THE_PATIENT.search(s.text)] == []


def test_the_risk_statement_gives_the_size_of_the_risk(real_pack):
    (risks,) = [s for s in real_pack.statements if "risks_and_size" in s.topics]
    for form in (risks.text, risks.representative_text):
        assert "fewer than 1 in 200" in form.lower()


def test_the_anaesthesia_statement_says_what_the_page_says(real_pack):
    """The page: "you and the anaesthetist will choose together"; the statement must not
    say "as the anaesthetist advises"."""
    page = real_pack.page("before_anaesthesia").body.lower()
    statement = next(s for s in real_pack.statements if s.id == "agree_anaesthesia")
    assert "choose together" in page
    assert "advises" not in statement.text and "choose with the anaesthetist" in statement.text
