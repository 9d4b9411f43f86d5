"""What the nurse pages will show: a consent's detail and history as typed rows, every code
with its words, every "who" a name from the accounts table (old name-only entries too)."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.review import consent_detail, history
from kiosk.review.actions import check_identity, view, void
from kiosk.store.audit import audit
from kiosk.store.nurses import remove_nurse
from tests.review.conftest import WRONG_TWICE


def test_a_flagged_consent_shows_its_outcome_and_what_the_patient_misunderstood(ctx, ids):
    detail = consent_detail(ctx, ids["Margaret Obrien"])
    assert (detail.patient_name, detail.date_of_birth) == ("Margaret Obrien", "1948-03-07")
    assert (detail.outcome.code, detail.outcome.text) == ("consented", "Consented")
    assert (detail.review_state.code, detail.review_state.text) == ("new", "New")
    assert detail.misunderstood == (WRONG_TWICE.prompt,)
    assert [f.text for f in detail.flags] == [f"Needs the doctor's attention: {WRONG_TWICE.prompt}"]
    assert detail.can_countersign and detail.can_print and not detail.has_questions


def test_help_calls_and_questions_are_flags_in_plain_words(ctx, ids):
    detail = consent_detail(ctx, ids["José Pérez"])
    assert detail.outcome.text == "Questions for the doctor" and detail.has_questions and detail.help_calls == 2
    assert [(f.code, f.text) for f in detail.flags] == [("help", "Asked for help 2 times"),
                                                        ("questions", "Has questions for the doctor")]
    assert [f.text for f in consent_detail(ctx, ids["Edith Clarke"]).flags] == ["Asked for help 1 time"]


def test_an_abandoned_record_cannot_be_printed_or_countersigned(ctx, ids):
    detail = consent_detail(ctx, ids["Walter Away"])
    assert detail.outcome.text == "Abandoned" and detail.pdf_path is None
    assert not detail.can_print and not detail.can_countersign


def test_rows_are_frozen(ctx, ids):
    detail = consent_detail(ctx, ids["Ann Lee"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        detail.void = True  # type: ignore[misc]


def test_history_lines_are_words_and_names_never_codes(ctx, ids):
    view(ctx, ids["Ann Lee"])
    check_identity(ctx, ids["Ann Lee"], "40512")
    void(ctx, ids["Ann Lee"], "wrong patient")
    lines = history(ctx, ids["Ann Lee"])
    assert [(line.actor, line.text) for line in lines] == [
        ("Nora Nurse", "Opened the consent"),
        ("Nora Nurse", "Checked the patient's identity (MRN 40512)"),
        ("Nora Nurse", "Marked the consent void: wrong patient"),
    ]
    assert [line.action for line in lines] == ["view_record", "identity_checked", "voided"]
    assert all("_" not in line.text for line in lines)


def test_an_old_entry_that_holds_a_name_still_shows_it(ctx, ids, data):
    audit(data[1], actor="Sister Old", action="view_record", document_id=ids["Ann Lee"])  # as before issue 11
    [line] = history(ctx, ids["Ann Lee"])
    assert (line.actor, line.text) == ("Sister Old", "Opened the consent")


def test_a_removed_nurse_is_still_named_in_the_history(make_ctx, ctx, ids, data):
    view(make_ctx(data[4]), ids["Ann Lee"])  # Ben opens it, then leaves the ward
    remove_nurse(data[1], data[4], by="Nora Nurse")
    assert [line.actor for line in history(ctx, ids["Ann Lee"])] == ["Ben Ode"]


def test_an_action_the_layer_does_not_know_gets_a_plain_line(ctx, ids, data):
    audit(data[1], actor="kiosk", action="something_new", document_id=ids["Ann Lee"])
    assert history(ctx, ids["Ann Lee"])[0].text == "Another action was recorded"


def test_identity_checked_by_shows_the_name_from_the_accounts_table(ctx, ids, data):
    check_identity(ctx, ids["Ann Lee"], "40512")
    data[1].conn.execute("UPDATE nurses SET name = 'Nora Nurse-Smith' WHERE id = ?", [ctx.account.id])  # renamed
    assert consent_detail(ctx, ids["Ann Lee"]).identity_checked_by == "Nora Nurse-Smith"
