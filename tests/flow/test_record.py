"""The consent record built from sample sessions (docs/consent-record.md), field by field.

Every session here is walked on the model alone by `tests.flow.sample.complete_session`; the
record is then read back as a nurse, the PDF and the database would read it.
"""

import json
from datetime import datetime, timedelta

import pytest

from kiosk.flow.codes import RELATIONSHIPS, SIGNER_ROLES
from kiosk.flow.record import (
    blank_form_data,
    build_record,
    derive_flags,
    has_identity,
    question_status,
    session_outcome,
    signer_name,
    statements_complete,
    strokes_sha256,
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
from kiosk.content.entries import Approval
from kiosk.flow.task import DECISION, SIGNER, STATEMENTS
from tests.flow.sample import complete_session, ticking_clock

STAMP = "2026-11-25T14:00:05+00:00"  # every time stamp of a session on the fixed clock
DOCUMENT_ID = "7d0c2c9e-6f0e-4a0e-9d61-2b7b0f0b7a11"
# A signature with points that are not on the hundredths, to see them rounded.
INK = (((100.126, 50.0), (300.0, 80.334), (640.5, 120.25)), ((120.0, 90.004), (700.0, 95.0)))
INK_ROUNDED = [[[100.13, 50.0], [300.0, 80.33], [640.5, 120.25]], [[120.0, 90.0], [700.0, 95.0]]]


def record_of(pack, *, saved_as=None, time_zone="Europe/London", **walk):
    """The record of a sample session; `saved_as` is build_record's `outcome` (e.g. "abandoned")."""
    return build_record(complete_session(pack, **walk), pack, time_zone=time_zone, outcome=saved_as)


def answer_of(record, question_id):
    return next(a for a in record["answers"] if a["question_id"] == question_id)


def patient_statements(pack) -> tuple[str, ...]:
    """The ids of the statements a patient signing for themselves confirms, in order."""
    return tuple(s.id for s in pack.statements_for("patient"))


def first_wrong(pack, question_id) -> str:
    """The wrong choice the sample walk picks: the first one in the pack."""
    question = pack.question(question_id)
    return next(c.id for c in question.choices if c.id != question.correct)


def attempts(*correct):
    return QuestionResult(("a", "b", "c"), tuple(Attempt("b" if ok else "a", ok, STAMP) for ok in correct))


# ----- the record's header -----------------------------------------------------------------------
@pytest.mark.parametrize("field, expected", [
    ("schema", 3), ("document_id", DOCUMENT_ID), ("started_at", STAMP), ("time_zone", "Europe/London"),
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
    approval = real_pack.approval
    assert record_of(real_pack)["content"] == {
        "id": "vertebroplasty", "version": real_pack.version, "sha256": real_pack.sha256,
        "title": "Vertebroplasty: mending a broken bone in your spine",
        "key_pictures": ["compression_fracture", "cement_fill"],
        "approval": {"approved": approval.approved, "approved_by": approval.approved_by or None,
                     "role": approval.role or None, "date": approval.date or None},
        "translation": {"status": "source", "reviewed_by": None, "reviewed_on": None},
    }


class _Pack:
    """A real pack with its approval and translation status replaced, as another language or
    a signed-off release would have them."""

    def __init__(self, pack, **changes):
        self._pack, self._changes = pack, changes

    def __getattr__(self, name):
        return self._changes[name] if name in self._changes else getattr(self._pack, name)


@pytest.mark.parametrize("approval, recorded", [
    (Approval(), {"approved": False, "approved_by": None, "role": None, "date": None}),
    (Approval("Dr Amara Okonkwo", "", "2026-10-01"),  # half filled in: not an approval
     {"approved": False, "approved_by": "Dr Amara Okonkwo", "role": None, "date": "2026-10-01"}),
    (Approval("Dr Amara Okonkwo", "Consultant interventional radiologist", "2026-10-01"),
     {"approved": True, "approved_by": "Dr Amara Okonkwo", "role": "Consultant interventional radiologist",
      "date": "2026-10-01"}),
])
def test_content_carries_the_packs_approval(real_pack, approval, recorded):
    pack = _Pack(real_pack, approval=approval)
    assert build_record(complete_session(real_pack), pack, time_zone="UTC")["content"]["approval"] == recorded


@pytest.mark.parametrize("status, by, on", [("draft", "", ""), ("reviewed", "Jan Novak", "2026-10-05")])
def test_content_carries_the_translations_review(real_pack, status, by, on):
    pack = _Pack(real_pack, translation=status, translation_reviewed_by=by, translation_reviewed_on=on)
    recorded = build_record(complete_session(real_pack), pack, time_zone="UTC")["content"]["translation"]
    assert recorded == {"status": status, "reviewed_by": by or None, "reviewed_on": on or None}


def test_record_is_plain_json(real_pack):
    record = record_of(real_pack, wrong_once=("q_leak",), help_at=("statements",))
    assert json.loads(json.dumps(record, allow_nan=False)) == record


# ----- the time zone, by its IANA name ----------------------------------------------------------
@pytest.mark.parametrize("configured", ["Europe/London", "America/New_York", "Etc/UTC"])
def test_a_configured_zone_is_recorded_as_it_is(real_pack, configured):
    assert record_of(real_pack, time_zone=configured)["time_zone"] == configured


@pytest.mark.parametrize("unset", ["", "local"])
def test_the_computers_own_zone_is_recorded_by_its_name(real_pack, unset):
    from zoneinfo import ZoneInfo

    from tzlocal import get_localzone_name

    record = record_of(real_pack, time_zone=unset)
    assert record["time_zone"] == get_localzone_name()  # this machine's zone, by name
    finished = datetime.fromisoformat(record["finished_at"])
    assert finished.astimezone(ZoneInfo(record["time_zone"])).utcoffset() == finished.utcoffset()


def test_a_zone_name_that_disagrees_with_the_times_is_not_recorded():
    """Times three hours off the computer's zone: its name would be untrue beside them, so the
    record says "local" (and the PDF prints the offset alone)."""
    from datetime import timezone
    from zoneinfo import ZoneInfo

    from tzlocal import get_localzone_name

    from kiosk.flow.record import zone_name

    there = datetime(2026, 11, 25, 14, 0, 5, tzinfo=ZoneInfo(get_localzone_name()))
    elsewhere = there.replace(tzinfo=timezone(there.utcoffset() + timedelta(hours=3)))
    assert zone_name("", there.isoformat()) == get_localzone_name()
    assert zone_name("", elsewhere.isoformat()) == "local"


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
    assert record["representative"] == {"full_name": "Tom Obrien", "relationship": "Carer",
                                        "relationship_code": RELATIONSHIPS["carer"].to_dict()}


@pytest.mark.parametrize("abandon_at, representative", [
    ("representative_name", {"full_name": "", "relationship": "", "relationship_code": None}),
    ("relationship", {"full_name": "Tom Obrien", "relationship": "", "relationship_code": None}),
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
        "signer_name": name, "signer_role": role, "signer_role_code": SIGNER_ROLES[role].to_dict(), "signed_at": STAMP,
        "meaning": real_pack.ui("signature_meaning", procedure=real_pack.procedure), "width": 1200.0, "height": 400.0,
        "strokes": INK_ROUNDED, "strokes_sha256": strokes_sha256({"width": 1200.0, "height": 400.0, "strokes": INK_ROUNDED}),
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
    assert [p["seen_at"] for p in pages] == [STAMP] * len(real_pack.pages)


def test_pages_not_reached_have_no_time(real_pack):
    pages = [p for s in record_of(real_pack, abandon_at="info.procedure_what")["sections"] for p in s["pages"]]
    assert [p["seen_at"] for p in pages] == [STAMP] * 2 + [None] * (len(real_pack.pages) - 2)


@pytest.mark.parametrize("more_opened", [(), (1,), (2, 5, 16)])
def test_tell_me_more_is_recorded_per_page(real_pack, more_opened):
    pages = [p for s in record_of(real_pack, more_opened=more_opened)["sections"] for p in s["pages"]]
    assert [p["more_opened"] for p in pages] == [n in more_opened for n in range(1, len(real_pack.pages) + 1)]


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
    assert [c["id"] for c in answer_of(record, "q_leak")["choices"]] != \
        [c.id for c in real_pack.question("q_leak").choices]  # shuffled


@pytest.mark.parametrize("walk, correct, status, reviewed", [
    ({}, [True], "understood", None),
    ({"wrong_once": ("q_leak",)}, [False, True], "understood_after_review", "risks_leak"),
    ({"wrong_twice": ("q_leak",)}, [False, False], "needs_doctor", "risks_leak"),
])
def test_answer_to_a_question(real_pack, walk, correct, status, reviewed):
    answer = answer_of(record_of(real_pack, **walk), "q_leak")
    question = real_pack.question("q_leak")
    texts = {c.id: c.text for c in question.choices}
    choices = [question.correct if ok else first_wrong(real_pack, "q_leak") for ok in correct]
    assert answer["correct_choice"] == question.correct
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
        "question_id": "q_leak", "prompt": real_pack.question("q_leak").prompt,
        "choices": [{"id": c.id, "text": c.text} for c in real_pack.question("q_leak").choices],  # pack order
        "correct_choice": real_pack.question("q_leak").correct, "attempts": [], "reviewed_page": None,
        "status": "not_answered",
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
    assert [s["id"] for s in statements] == list(patient_statements(real_pack))
    first = real_pack.statements_for("patient")[0]
    assert statements[0] == {"id": first.id, "confirmed_at": STAMP, "text": first.text}
    assert [s["text"] for s in statements] == [s.text for s in real_pack.statements_for("patient")]


def test_a_representative_confirms_the_statements_in_the_representatives_words(real_pack):
    statements = record_of(real_pack, representative="Tom Obrien")["statements"]
    shown = real_pack.statements_for("representative")
    assert [s["id"] for s in statements] == [s.id for s in shown]
    assert [s["text"] for s in statements] == [s.text_for("representative") for s in shown]
    assert {s["confirmed_at"] for s in statements} == {STAMP}
    only = [s.id for s in shown if s.representative_only]
    assert only and set(only) <= {s["id"] for s in statements}  # that they may decide for the patient
    assert any(s.text != s.representative_text for s in shown)  # and the words really differ


def test_a_patient_never_sees_the_representatives_own_statements(real_pack):
    ids = {s["id"] for s in record_of(real_pack)["statements"]}
    assert ids.isdisjoint(s.id for s in real_pack.statements if s.representative_only)


def test_every_statement_is_recorded_as_shown_confirmed_or_not(real_pack):
    session = complete_session(real_pack)
    first, last = patient_statements(real_pack)[0], patient_statements(real_pack)[-1]
    session.set_result(STATEMENTS, StatementsResult(((last, "t1"), (first, "t2"))))  # in the order tapped
    statements = build_record(session, real_pack, time_zone="UTC")["statements"]
    times = {first: "t2", last: "t1"}
    assert [(s["id"], s["confirmed_at"]) for s in statements] == \
        [(sid, times.get(sid)) for sid in patient_statements(real_pack)]  # in the order shown


def test_statements_not_reached_are_not_confirmed(real_pack):
    statements = record_of(real_pack, abandon_at="statements", saved_as="abandoned")["statements"]
    assert [s["id"] for s in statements] == list(patient_statements(real_pack))
    assert {s["confirmed_at"] for s in statements} == {None}


def confirmed(*ids, role="patient"):
    return TaskResult({SIGNER: SignerResult(role), STATEMENTS: StatementsResult(tuple((sid, STAMP) for sid in ids))})


@pytest.mark.parametrize("which, complete", [
    (lambda ids: None, False),
    (lambda ids: (), False),
    (lambda ids: ids[:1], False),
    (lambda ids: ids[:-1], False),
    (lambda ids: ids, True),
    (lambda ids: tuple(reversed(ids)), True),
], ids=["nothing", "none", "one", "all but the last", "all", "all, last first"])
@pytest.mark.parametrize("role", ["patient", "representative"])
def test_statements_complete(real_pack, which, complete, role):
    ids = which(tuple(s.id for s in real_pack.statements_for(role)))
    results = TaskResult({SIGNER: SignerResult(role)}) if ids is None else confirmed(*ids, role=role)
    assert statements_complete(results, real_pack) is complete


def test_a_patient_need_not_confirm_what_only_a_representative_is_shown(real_pack):
    assert statements_complete(confirmed(*patient_statements(real_pack)), real_pack)
    assert statements_complete(TaskResult({STATEMENTS: confirmed(*patient_statements(real_pack)).get(STATEMENTS)}),
                               real_pack)  # no signer chosen: a patient


def test_a_representative_must_also_confirm_they_may_decide(real_pack):
    assert not statements_complete(confirmed(*patient_statements(real_pack), role="representative"), real_pack)


def test_one_statement_confirmed_is_not_enough_to_sign(real_pack):
    """Issue 8: with `and` turned into `or` one tap was enough; only a disabled button guarded it."""
    assert not statements_complete(confirmed(patient_statements(real_pack)[0]), real_pack)


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
    ("schema", 3), ("document_id", None), ("started_at", None), ("finished_at", None), ("time_zone", None),
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
        "question_id": "q_leak", "prompt": real_pack.question("q_leak").prompt,
        "choices": [{"id": c.id, "text": c.text} for c in real_pack.question("q_leak").choices],
        "correct_choice": None, "attempts": [], "reviewed_page": None, "status": None,
    }
    assert [a["question_id"] for a in answers] == [q.id for q in real_pack.questions]


def test_blank_form_statements_are_unconfirmed(real_pack):
    statements = blank_form_data(real_pack)["statements"]
    assert statements == [{"id": s.id, "text": s.text, "representative_text": s.representative_text,
                           "representative_only": s.representative_only, "confirmed_at": None}
                          for s in real_pack.statements]  # every one: on paper nobody knows yet who signs
    assert any(s["representative_only"] for s in statements)
