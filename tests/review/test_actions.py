"""The review layer's actions on real consents: each one stored with its audit entry (read
back from the audit table), as the signed-in account; each refusal kind, and writing nothing."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.documents.seal import embedded_files, verify_pdf
from kiosk.review import ReviewError, consent_detail
from kiosk.review.actions import (
    acknowledge_call,
    check_identity,
    countersign,
    countersignature_for,
    view,
    void,
)
from kiosk.seal_key import load_seal_signer
from kiosk.store import get_consent
from tests.review.conftest import CALL_SESSION, SETTINGS

# A handwriting-like signature on a 1200 x 400 pad (enough ink for check_ink).
STROKES = [[(150 + i * 10, 200 + (i % 9) * 8) for i in range(60)], [(800 + 6 * i, 300 - 5 * i) for i in range(40)]]
PAD = {"width": 1200.0, "height": 400.0}


def test_view_is_audited_as_the_account_and_a_new_consent_becomes_seen(ctx, ids, entries):
    detail = view(ctx, ids["Ann Lee"])
    assert detail.review_state.code == "seen" and detail.review_state.text == "Seen"
    [entry] = entries("view_record")
    assert (entry["actor"], entry["document_id"]) == (f"nurse:{ctx.account.id}", ids["Ann Lee"])


def test_view_of_a_consent_that_is_not_there_is_a_kind_refusal(ctx, audit_count):
    before = audit_count()
    with pytest.raises(ReviewError, match="no longer in the archive"):
        view(ctx, "00000000-0000-4000-8000-000000000000")
    assert audit_count() == before


def test_identity_check_stores_the_mrn_and_the_account_and_shows_the_name(ctx, ids, entries, data):
    detail = check_identity(ctx, ids["Ann Lee"], "  40512 ")
    assert (detail.mrn, detail.identity_checked_by) == ("40512", "Nora Nurse")
    assert detail.review_state.code == "identity_checked"
    assert get_consent(data[1], ids["Ann Lee"])["identity_checked_by"] == f"nurse:{ctx.account.id}"
    [entry] = entries("identity_checked")
    assert entry["actor"] == f"nurse:{ctx.account.id}" and entry["detail"] == {"mrn": "40512"}


@pytest.mark.parametrize("mrn, message", [("", "Type the patient's hospital number"),
                                          ("   ", "Type the patient's hospital number"),
                                          ("40 512", "does not look right"), ("12", "does not look right"),
                                          ("40/512", "does not look right")])
def test_an_mrn_the_default_pattern_refuses_writes_nothing(ctx, ids, mrn, message, audit_count, data):
    before = audit_count()
    with pytest.raises(ReviewError, match=message):
        check_identity(ctx, ids["Ann Lee"], mrn)
    assert audit_count() == before and get_consent(data[1], ids["Ann Lee"])["mrn"] is None


def test_the_mrn_pattern_setting_decides_what_an_mrn_is(ctx, ids):
    hospital = replace(ctx, settings=replace(SETTINGS, mrn_pattern="[0-9]{2}/[0-9]{4}"))
    assert check_identity(hospital, ids["Ann Lee"], "12/3456").mrn == "12/3456"  # the default refuses "/"
    with pytest.raises(ReviewError, match="does not look right"):
        check_identity(hospital, ids["Ann Lee"], "40512")  # the default would take it


def test_identity_check_of_a_voided_consent_is_refused(ctx, ids, audit_count):
    void(ctx, ids["Ann Lee"], "wrong patient")
    before = audit_count()
    with pytest.raises(ReviewError, match="void, so the patient's identity cannot be checked"):
        check_identity(ctx, ids["Ann Lee"], "40512")
    assert audit_count() == before


def test_void_keeps_the_record_and_its_pdf_and_is_audited_with_the_reason(ctx, ids, entries):
    detail = void(ctx, ids["Edith Clarke"], " wrong patient ")
    assert detail.void and detail.void_reason == "wrong patient" and detail.review_state.text == "Void"
    assert detail.pdf_path.exists()
    [entry] = entries("voided")
    assert entry["actor"] == f"nurse:{ctx.account.id}" and entry["detail"] == {"reason": "wrong patient"}


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_void_without_a_reason_is_refused_and_writes_nothing(ctx, ids, reason, audit_count):
    before = audit_count()
    with pytest.raises(ReviewError, match="Give the reason for voiding"):
        void(ctx, ids["Edith Clarke"], reason)
    assert audit_count() == before and not consent_detail(ctx, ids["Edith Clarke"]).void


def test_void_with_a_reason_too_long_is_refused(ctx, ids):
    with pytest.raises(ReviewError, match=r"too long \(501 characters; at most 500\)"):
        void(ctx, ids["Edith Clarke"], "x" * 501)


def test_voiding_twice_is_refused(ctx, ids):
    void(ctx, ids["Edith Clarke"], "wrong patient")
    with pytest.raises(ReviewError, match="already void"):
        void(ctx, ids["Edith Clarke"], "again")


def test_countersign_extends_the_sealed_original_and_is_audited(ctx, ids, entries, data):
    check_identity(ctx, ids["Margaret Obrien"], "40512")
    before = get_consent(data[1], ids["Margaret Obrien"])
    original = Path(before["pdf_path"]).read_bytes()
    detail = countersign(ctx, ids["Margaret Obrien"], clinician_name=" Dr  Kim ", role="interventional_radiologist",
                         strokes=STROKES, **PAD)
    assert detail.review_state.code == "fully_signed" and detail.countersigned_by == "Dr Kim"
    assert detail.countersigned_role == "Interventional radiologist"
    assert Path(before["pdf_path"]).read_bytes() == original
    assert hashlib.sha256(original).hexdigest() == before["pdf_sha256"]
    countersigned = detail.countersigned_pdf_path.read_bytes()
    assert countersigned[:len(original)] == original
    report = verify_pdf(countersigned, [load_seal_signer(ctx.data_dir, SETTINGS)])
    assert report.ok and report.trusted, report.summary
    attached = embedded_files(countersigned)["countersignature.json"]
    assert b'"mrn": "40512"' in attached and b'"role_code": "interventional_radiologist"' in attached
    signature = json.loads(get_consent(data[1], ids["Margaret Obrien"])["countersignature_json"])
    assert signature["recorded_by"] == f"nurse:{ctx.account.id}"  # an account id, not a display name
    assert signature["identity_checked_by_actor"] == f"nurse:{ctx.account.id}"
    [entry] = entries("countersigned")
    assert entry["actor"] == f"nurse:{ctx.account.id}"
    assert entry["detail"]["clinician"] == "Dr Kim" and entry["detail"]["role"] == "Interventional radiologist"


def test_countersign_of_a_voided_consent_is_refused(ctx, ids, audit_count):
    void(ctx, ids["Ann Lee"], "wrong patient")
    before = audit_count()
    with pytest.raises(ReviewError, match="void, so it cannot be countersigned"):
        countersign(ctx, ids["Ann Lee"], clinician_name="Dr Kim", role="doctor", strokes=STROKES, **PAD)
    assert audit_count() == before and not list(ctx.consents_dir.rglob("*-countersigned.pdf"))


@pytest.mark.parametrize("name, outcome", [("José Pérez", "Questions for the doctor"), ("Edith Clarke", "Declined"),
                                           ("Walter Away", "Abandoned")])
def test_countersign_of_a_consent_not_given_is_refused_in_words(ctx, ids, name, outcome):
    with pytest.raises(ReviewError, match=re.escape(f"did not give consent ({outcome})")):
        countersign(ctx, ids[name], clinician_name="Dr Kim", role="doctor", strokes=STROKES, **PAD)


def test_countersigning_twice_is_refused(ctx, ids):
    countersign(ctx, ids["Ann Lee"], clinician_name="Dr Kim", role="doctor", strokes=STROKES, **PAD)
    with pytest.raises(ReviewError, match="already countersigned"):
        countersign(ctx, ids["Ann Lee"], clinician_name="Dr Kim", role="doctor", strokes=STROKES, **PAD)


@pytest.mark.parametrize("changes, message", [
    ({"clinician_name": "  "}, "Type the clinician's full name"),
    ({"role": "Surgeon"}, "Choose the clinician's role"),
    ({"role": "Interventional radiologist"}, "Choose the clinician's role"),  # a code, not its text
    ({"strokes": []}, "has not signed yet"),
    ({"strokes": [[(10, 10), (14, 12)]]}, "too small"),
])
def test_countersign_needs_a_name_a_role_from_the_list_and_enough_ink(ctx, ids, changes, message):
    arguments = {"clinician_name": "Dr Kim", "role": "doctor", "strokes": STROKES, **PAD, **changes}
    with pytest.raises(ReviewError, match=message):
        countersignature_for(ctx, ids["Ann Lee"], **arguments)


def test_acknowledge_call_is_audited_once_the_first_answer_counts(ctx, entries, make_ctx, data):
    request_id = data[1].conn.execute("SELECT id FROM help_requests").fetchone()[0]
    assert acknowledge_call(ctx, request_id) == "The call for help is marked as answered."
    acknowledge_call(make_ctx(data[4]), request_id)  # Ben, a moment later
    [entry] = entries("help_acknowledged")
    assert (entry["actor"], entry["document_id"]) == (f"nurse:{ctx.account.id}", CALL_SESSION)
    assert data[1].conn.execute("SELECT acknowledged_by FROM help_requests").fetchone()[0] == f"nurse:{ctx.account.id}"


def test_acknowledging_a_call_that_does_not_exist_is_a_review_error(ctx):
    with pytest.raises(ReviewError, match="no call for help number 999"):
        acknowledge_call(ctx, 999)
