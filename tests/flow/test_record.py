"""The consent record built from sample sessions (docs/consent-record.md), field by field.

Every session here is walked on the model alone by `tests.flow.sample.complete_session`; the
record is then read back as a nurse, the PDF and the database would read it.
"""

import json
from datetime import datetime, timedelta

import pytest

from kiosk.flow.record import (
    blank_form_data,
    build_record,
    derive_flags,
    has_identity,
    question_status,
    session_outcome,
    signer_name,
    statements_complete,
)
from kiosk.flow.results import (
    Attempt,
    DecisionResult,
    NameResult,
    PageResult,
    QuestionResult,
    SignerResult,
    StatementsResult,
    TaskResult,
)
from kiosk.flow.task import DECISION, STATEMENTS
from tests.flow.sample import complete_session, ticking_clock

STAMP = "2026-11-25T14:00:05+00:00"  # every time stamp of a session on the fixed clock
DOCUMENT_ID = "7d0c2c9e-6f0e-4a0e-9d61-2b7b0f0b7a11"
ALL_STATEMENTS = ("read_information", "understand_procedure", "understand_risks", "can_ask_questions",
                  "can_change_mind", "agree_anaesthesia")
# A signature with points that are not on the hundredths, to see them rounded.
INK = (((100.126, 50.0), (300.0, 80.334), (640.5, 120.25)), ((120.0, 90.004), (700.0, 95.0)))
INK_ROUNDED = [[[100.13, 50.0], [300.0, 80.33], [640.5, 120.25]], [[120.0, 90.0], [700.0, 95.0]]]


def record_of(pack, *, saved_as=None, time_zone="Europe/London", **walk):
    """The record of a sample session; `saved_as` is build_record's `outcome` (e.g. "abandoned")."""
    return build_record(complete_session(pack, **walk), pack, time_zone=time_zone, outcome=saved_as)


def answer_of(record, question_id):
    return next(a for a in record["answers"] if a["question_id"] == question_id)


def attempts(*correct):
    return QuestionResult(("a", "b", "c"), tuple(Attempt("b" if ok else "a", ok, STAMP) for ok in correct))


# ----- the record's header -----------------------------------------------------------------------
@pytest.mark.parametrize("field, expected", [
    ("schema", 1), ("document_id", DOCUMENT_ID), ("started_at", STAMP), ("time_zone", "Europe/London"),
    ("language", "en"), ("direction", "ltr"),
])
def test_header_field(real_pack, field, expected):
    assert record_of(real_pack, session_id=DOCUMENT_ID)[field] == expected


def test_document_id_is_the_session_id(real_pack):
    session = complete_session(real_pack)
    assert build_record(session, real_pack, time_zone="UTC")["document_id"] == session.id


def test_finished_at_is_when_the_record_is_made(real_pack):
    session = complete_session(real_pack, clock=ticking_clock())
    record = build_record(session, real_pack, time_zone="UTC")
    after = datetime.fromisoformat(session.now())
    assert datetime.fromisoformat(record["finished_at"]) == after - timedelta(seconds=1)
    assert record["finished_at"] > record["started_at"]


def test_content_names_the_pack_exactly(real_pack):
    assert record_of(real_pack)["content"] == {
        "id": "vertebroplasty", "version": "1.0.0", "sha256": real_pack.sha256,
        "title": "Vertebroplasty: mending a broken bone in your spine",
    }


def test_record_is_plain_json(real_pack):
    record = record_of(real_pack, wrong_once=("q_leak",), help_at=("statements",))
    assert json.loads(json.dumps(record, allow_nan=False)) == record


# ----- who ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("representative", [None, "Tom Obrien"])
def test_patient_is_who_the_consent_is_for(real_pack, representative):
    record = record_of(real_pack, representative=representative, birth_date="1951-06-30")
    assert record["patient"] == {"full_name": "Margaret Obrien", "date_of_birth": "1951-06-30"}


@pytest.mark.parametrize("abandon_at, patient", [
    ("patient_name", {"full_name": "", "date_of_birth": None}),
    ("birth_date", {"full_name": "Margaret Obrien", "date_of_birth": None}),
])
def test_patient_as_far_as_it_was_entered(real_pack, abandon_at, patient):
    assert record_of(real_pack, abandon_at=abandon_at, saved_as="abandoned")["patient"] == patient


def test_no_representative_when_the_patient_signs(real_pack):
    assert record_of(real_pack)["representative"] is None


def test_representative_with_relationship(real_pack):
    record = record_of(real_pack, representative="Tom Obrien", relationship="Carer")
    assert record["representative"] == {"full_name": "Tom Obrien", "relationship": "Carer"}


@pytest.mark.parametrize("abandon_at, representative", [
    ("representative_name", {"full_name": "", "relationship": ""}),
    ("relationship", {"full_name": "Tom Obrien", "relationship": ""}),
])
def test_representative_as_far_as_it_was_entered(real_pack, abandon_at, representative):
    record = record_of(real_pack, representative="Tom Obrien", abandon_at=abandon_at, saved_as="abandoned")
    assert record["representative"] == representative


# ----- outcome and signature ---------------------------------------------------------------------
@pytest.mark.parametrize("decision", ["consented", "questions", "declined"])
def test_outcome_is_the_patients_decision(real_pack, decision):
    assert record_of(real_pack, outcome=decision)["outcome"] == decision


@pytest.mark.parametrize("abandon_at", ["signer", "info.risks_leak", "quiz.q_leak", "statements", "decision"])
def test_a_session_without_a_decision_is_abandoned(real_pack, abandon_at):
    assert record_of(real_pack, abandon_at=abandon_at)["outcome"] == "abandoned"


def test_outcome_given_by_the_caller_wins_over_the_decision(real_pack):
    assert record_of(real_pack, outcome="consented", saved_as="abandoned")["outcome"] == "abandoned"


@pytest.mark.parametrize("representative, name, role", [
    (None, "Margaret Obrien", "patient"), ("Tom Obrien", "Tom Obrien", "representative"),
])
def test_signature_of_a_consent(real_pack, representative, name, role):
    record = record_of(real_pack, representative=representative, signature=INK)
    assert record["signature"] == {
        "signer_name": name, "signer_role": role, "signed_at": STAMP,
        "meaning": "consent to percutaneous vertebroplasty", "width": 1200.0, "height": 400.0,
        "strokes": INK_ROUNDED,
    }


@pytest.mark.parametrize("decision", ["questions", "declined"])
def test_signature_is_dropped_when_the_decision_changed_after_signing(real_pack, decision):
    session = complete_session(real_pack, signature=INK)  # signed, then back to the decision
    session.set_result(DECISION, DecisionResult(decision))
    record = build_record(session, real_pack, time_zone="UTC")
    assert (record["outcome"], record["signature"]) == (decision, None)


def test_signature_is_dropped_when_saved_as_abandoned(real_pack):
    assert record_of(real_pack, signature=INK, saved_as="abandoned")["signature"] is None


@pytest.mark.parametrize("decision", ["questions", "declined"])
def test_no_signature_without_consent(real_pack, decision):
    assert record_of(real_pack, outcome=decision)["signature"] is None


def test_no_signature_when_walking_away_from_the_pad(real_pack):
    assert record_of(real_pack, abandon_at="signature", saved_as="abandoned")["signature"] is None


# ----- what was explained ------------------------------------------------------------------------
def test_sections_and_their_pages_follow_the_pack(real_pack):
    shown = [(s["id"], s["title"], [p["id"] for p in s["pages"]]) for s in record_of(real_pack)["sections"]]
    assert shown == [(s.id, s.title, list(s.page_ids)) for s in real_pack.sections]
    assert shown[0] == ("fracture", "Your fracture", ["fracture_what", "fracture_why"])


def test_each_page_has_its_title_and_illustration(real_pack):
    pages = [p for s in record_of(real_pack)["sections"] for p in s["pages"]]
    assert [(p["title"], p["illustration"]) for p in pages] == \
        [(real_pack.page(p["id"]).title, real_pack.page(p["id"]).illustration) for p in pages]
    assert (pages[0]["title"], pages[0]["illustration"]) == ("A broken bone in your back", "compression_fracture")


def test_every_page_seen_has_its_time(real_pack):
    pages = [p for s in record_of(real_pack)["sections"] for p in s["pages"]]
    assert [p["seen_at"] for p in pages] == [STAMP] * 16


def test_pages_not_reached_have_no_time(real_pack):
    pages = [p for s in record_of(real_pack, abandon_at="info.procedure_what")["sections"] for p in s["pages"]]
    assert [p["seen_at"] for p in pages] == [STAMP] * 2 + [None] * 14


@pytest.mark.parametrize("more_opened", [(), (1,), (2, 5, 16)])
def test_tell_me_more_is_recorded_per_page(real_pack, more_opened):
    pages = [p for s in record_of(real_pack, more_opened=more_opened)["sections"] for p in s["pages"]]
    assert [p["more_opened"] for p in pages] == [n in more_opened for n in range(1, 17)]


def test_tell_me_more_is_false_on_pages_not_reached(real_pack):
    record = record_of(real_pack, more_opened=(1, 2, 3, 4), abandon_at="info.procedure_what")
    pages = [p for s in record["sections"] for p in s["pages"]]
    assert [p["more_opened"] for p in pages[:4]] == [True, True, False, False]


def test_risks_are_the_packs_in_its_words(real_pack):
    risks = record_of(real_pack)["risks"]
    assert [r["id"] for r in risks] == [r.id for r in real_pack.risks]
    assert risks[0] == {"id": "general_anaesthesia", "name": "Risks of being fully asleep",
                        "summary": real_pack.risks[0].summary}


# ----- what was answered -------------------------------------------------------------------------
def test_one_answer_per_question_in_order(real_pack):
    answers = record_of(real_pack)["answers"]
    assert [(a["question_id"], a["prompt"]) for a in answers] == [(q.id, q.prompt) for q in real_pack.questions]


def test_choices_are_recorded_in_the_order_shown(real_pack):
    session = complete_session(real_pack)
    record = build_record(session, real_pack, time_zone="UTC")
    for answer in record["answers"]:
        texts = {c.id: c.text for c in real_pack.question(answer["question_id"]).choices}
        shown = session.results.get(f"quiz.{answer['question_id']}").shown_order
        assert answer["choices"] == [{"id": cid, "text": texts[cid]} for cid in shown]
    assert [c["id"] for c in answer_of(record, "q_leak")["choices"]] == ["a", "c", "b"]  # shuffled


@pytest.mark.parametrize("walk, choices, correct, status, reviewed", [
    ({}, ["c"], [True], "understood", None),
    ({"wrong_once": ("q_leak",)}, ["a", "c"], [False, True], "understood_after_review", "risks_leak"),
    ({"wrong_twice": ("q_leak",)}, ["a", "a"], [False, False], "needs_doctor", "risks_leak"),
])
def test_answer_to_a_question(real_pack, walk, choices, correct, status, reviewed):
    answer = answer_of(record_of(real_pack, **walk), "q_leak")
    texts = {c.id: c.text for c in real_pack.question("q_leak").choices}
    assert answer["correct_choice"] == "c"
    assert answer["attempts"] == [{"choice": c, "text": texts[c], "correct": ok, "at": STAMP}
                                  for c, ok in zip(choices, correct)]
    assert (answer["status"], answer["reviewed_page"]) == (status, reviewed)


def test_wrong_answers_touch_only_their_own_question(real_pack):
    record = record_of(real_pack, wrong_once=("q_leak",), wrong_twice=("q_followup",))
    statuses = {a["question_id"]: a["status"] for a in record["answers"]}
    assert statuses.pop("q_leak") == "understood_after_review"
    assert statuses.pop("q_followup") == "needs_doctor"
    assert set(statuses.values()) == {"understood"}


def test_each_attempt_keeps_its_own_time(real_pack):
    session = complete_session(real_pack, wrong_once=("q_leak",), clock=ticking_clock())
    answer = answer_of(build_record(session, real_pack, time_zone="UTC"), "q_leak")
    assert [a["at"] for a in answer["attempts"]] == [a.at for a in session.results.get("quiz.q_leak").attempts]
    assert answer["attempts"][0]["at"] < answer["attempts"][1]["at"]


def test_questions_not_reached_are_not_answered(real_pack):
    answer = answer_of(record_of(real_pack, abandon_at="quiz.q_treats", saved_as="abandoned"), "q_leak")
    assert answer == {
        "question_id": "q_leak", "prompt": "What is one risk of the bone cement?",
        "choices": [{"id": c.id, "text": c.text} for c in real_pack.question("q_leak").choices],  # pack order
        "correct_choice": "c", "attempts": [], "reviewed_page": None, "status": "not_answered",
    }


def test_a_question_holding_something_else_is_not_answered(real_pack):
    """Only a QuestionResult counts as an answer, whatever a page stored under the question."""
    session = complete_session(real_pack)
    session.set_result("quiz.q_leak", PageResult(STAMP))
    answer = answer_of(build_record(session, real_pack, time_zone="UTC"), "q_leak")
    assert (answer["status"], answer["attempts"], [c["id"] for c in answer["choices"]]) == \
        ("not_answered", [], ["a", "b", "c"])


def test_wrong_once_then_walking_away_is_not_answered(real_pack):
    record = record_of(real_pack, wrong_once=("q_leak",), abandon_at="review.q_leak", saved_as="abandoned")
    answer = answer_of(record, "q_leak")
    assert (answer["status"], answer["reviewed_page"], len(answer["attempts"])) == ("not_answered", None, 1)


@pytest.mark.parametrize("result, status", [
    (None, "not_answered"),
    (QuestionResult(("a", "b", "c")), "not_answered"),       # choices shown, nothing tapped
    (attempts(True), "understood"),
    (attempts(True, False), "understood"),                   # the first answer is what counts
    (attempts(False), "not_answered"),                       # wrong once, then walked away
    (attempts(False, True), "understood_after_review"),
    (attempts(False, False), "needs_doctor"),
    (attempts(False, False, True), "needs_doctor"),
])
def test_question_status(result, status):
    assert question_status(result) == status


def test_wrong_once_and_abandoned_is_not_understood_after_review():
    """Issue 8: with `last_correct or True` this was recorded as understood after review."""
    assert question_status(attempts(False)) != "understood_after_review"


# ----- what was confirmed ------------------------------------------------------------------------
def test_statements_are_recorded_with_their_text_and_time(real_pack):
    statements = record_of(real_pack)["statements"]
    assert [s["id"] for s in statements] == list(ALL_STATEMENTS)
    assert statements[0] == {"id": "read_information", "confirmed_at": STAMP,
                             "text": "I have read the information about vertebroplasty, or someone has read it with me."}
    assert [s["text"] for s in statements] == [s.text for s in real_pack.statements]


def test_statements_are_recorded_in_the_order_tapped(real_pack):
    session = complete_session(real_pack)
    session.set_result(STATEMENTS, StatementsResult((("can_change_mind", "t1"), ("read_information", "t2"))))
    statements = build_record(session, real_pack, time_zone="UTC")["statements"]
    assert [(s["id"], s["confirmed_at"]) for s in statements] == [("can_change_mind", "t1"), ("read_information", "t2")]


def test_no_statements_before_they_were_shown(real_pack):
    assert record_of(real_pack, abandon_at="statements", saved_as="abandoned")["statements"] == []


def confirmed(*ids):
    return TaskResult({STATEMENTS: StatementsResult(tuple((sid, STAMP) for sid in ids))})


@pytest.mark.parametrize("results, complete", [
    (TaskResult(), False),
    (confirmed(), False),
    (confirmed("read_information"), False),
    (confirmed(*ALL_STATEMENTS[:-1]), False),
    (confirmed(*ALL_STATEMENTS), True),
    (confirmed(*reversed(ALL_STATEMENTS)), True),
])
def test_statements_complete(real_pack, results, complete):
    assert statements_complete(results, real_pack) is complete


def test_one_statement_confirmed_is_not_enough_to_sign(real_pack):
    """Issue 8: with `and` turned into `or` one tap was enough; only a disabled button guarded it."""
    assert not statements_complete(confirmed("read_information"), real_pack)


# ----- help and flags ----------------------------------------------------------------------------
def test_help_requests_say_when_and_where(real_pack):
    record = record_of(real_pack, help_at=("info.risks_leak", "statements"))
    assert record["help_requests"] == [{"at": STAMP, "step_id": "info.risks_leak"},
                                       {"at": STAMP, "step_id": "statements"}]


def test_no_help_requests(real_pack):
    assert record_of(real_pack)["help_requests"] == []


@pytest.mark.parametrize("walk, flags", [
    ({}, []),
    ({"wrong_once": ("q_leak",)}, []),
    ({"wrong_twice": ("q_leak",)}, ["needs_doctor:q_leak"]),
    ({"wrong_twice": ("q_new_pain", "q_treats")}, ["needs_doctor:q_treats", "needs_doctor:q_new_pain"]),
    ({"help_at": ("info.risks_leak",)}, ["help_requested"]),
    ({"outcome": "questions"}, ["questions_for_doctor"]),
    ({"outcome": "declined"}, ["declined"]),
    ({"representative": "Tom Obrien"}, []),
    ({"abandon_at": "statements", "saved_as": "abandoned"}, []),
    ({"outcome": "questions", "wrong_twice": ("q_leak",), "help_at": ("statements",)},
     ["needs_doctor:q_leak", "help_requested", "questions_for_doctor"]),
    ({"outcome": "declined", "help_at": ("signer", "decision")}, ["help_requested", "declined"]),
])
def test_flags(real_pack, walk, flags):
    assert record_of(real_pack, **walk)["flags"] == flags


def test_flags_are_derived_from_the_record_alone(real_pack):
    record = record_of(real_pack, wrong_twice=("q_leak",), help_at=("statements",), outcome="declined")
    assert derive_flags(record) == record["flags"] == ["needs_doctor:q_leak", "help_requested", "declined"]


# ----- helpers the pages use ---------------------------------------------------------------------
@pytest.mark.parametrize("abandon_at, known", [
    ("signer", False), ("patient_name", False), ("birth_date", True), ("decision", True), (None, True),
])
def test_has_identity_once_the_name_is_entered(real_pack, abandon_at, known):
    assert has_identity(complete_session(real_pack, abandon_at=abandon_at)) is known


@pytest.mark.parametrize("walk, outcome", [
    ({"outcome": "consented"}, "consented"), ({"outcome": "declined"}, "declined"),
    ({"abandon_at": "decision"}, None),
])
def test_session_outcome_is_the_decision(real_pack, walk, outcome):
    assert session_outcome(complete_session(real_pack, **walk)) == outcome


@pytest.mark.parametrize("by_step, name", [
    ({}, ""),
    ({"patient_name": NameResult("Ada Lovelace")}, "Ada Lovelace"),
    ({"signer": SignerResult("patient"), "patient_name": NameResult("Ada Lovelace"),
      "representative_name": NameResult("Tom Lovelace")}, "Ada Lovelace"),
    ({"signer": SignerResult("representative"), "patient_name": NameResult("Ada Lovelace"),
      "representative_name": NameResult("Tom Lovelace")}, "Tom Lovelace"),
    ({"signer": SignerResult("representative"), "patient_name": NameResult("Ada Lovelace")}, ""),
])
def test_signer_name(by_step, name):
    assert signer_name(TaskResult(dict(by_step))) == name


# ----- the blank paper form ----------------------------------------------------------------------
@pytest.mark.parametrize("field, expected", [
    ("schema", 1), ("document_id", None), ("started_at", None), ("finished_at", None), ("time_zone", None),
    ("language", "en"), ("direction", "ltr"), ("outcome", None), ("patient", None), ("representative", None),
    ("signature", None), ("help_requests", []), ("flags", []),
])
def test_blank_form_field(real_pack, field, expected):
    assert blank_form_data(real_pack)[field] == expected


def test_blank_form_has_the_records_layout(real_pack):
    assert blank_form_data(real_pack).keys() == record_of(real_pack).keys()


@pytest.mark.parametrize("field", ["content", "risks"])
def test_blank_form_shows_the_same_content_as_a_record(real_pack, field):
    assert blank_form_data(real_pack)[field] == record_of(real_pack)[field]


def test_blank_form_sections_have_nothing_seen(real_pack):
    sections = blank_form_data(real_pack)["sections"]
    assert [s["id"] for s in sections] == [s.id for s in real_pack.sections]
    pages = [p for s in sections for p in s["pages"]]
    assert {(p["seen_at"], p["more_opened"]) for p in pages} == {(None, False)}
    assert pages[0]["title"] == "A broken bone in your back"


def test_blank_form_questions_in_pack_order_without_the_answer(real_pack):
    answers = blank_form_data(real_pack)["answers"]
    assert answer_of({"answers": answers}, "q_leak") == {
        "question_id": "q_leak", "prompt": "What is one risk of the bone cement?",
        "choices": [{"id": c.id, "text": c.text} for c in real_pack.question("q_leak").choices],
        "correct_choice": None, "attempts": [], "reviewed_page": None, "status": None,
    }
    assert [a["question_id"] for a in answers] == [q.id for q in real_pack.questions]


def test_blank_form_statements_are_unconfirmed(real_pack):
    statements = blank_form_data(real_pack)["statements"]
    assert statements == [{"id": s.id, "text": s.text, "confirmed_at": None} for s in real_pack.statements]
    assert statements[0]["id"] == "read_information"
