"""Review actions on a saved consent: each stored together with its audit entry."""

import hashlib
import json
from pathlib import Path

import pytest

from kiosk.store import StoreError, archive_consent, get_consent, record_help_request
from kiosk.store.review import (
    acknowledge_help,
    add_countersignature,
    mark_viewed,
    set_identity_checked,
    void_consent,
)

AT = "2026-11-26T09:30:00+00:00"
SIGNED_PDF = b"%PDF-1.7\n" + b"countersigned page " * 64 + b"\n%%EOF\n"
SIGNATURE = {"clinician_name": "Dr Amal Haddad", "role": "doctor", "signed_at": AT,
             "width": 600.0, "height": 200.0, "strokes": [[[1.0, 2.0], [3.5, 4.0]]]}  # fmt: skip


def _countersign(db, pdf_dir, document_id, pdf_bytes=SIGNED_PDF):
    return add_countersignature(
        db, pdf_dir, document_id, clinician_name="Dr Amal Haddad", role="doctor",
        signed_at=AT, countersignature=SIGNATURE, pdf_bytes=pdf_bytes, nurse="Anna Lee",
    )  # fmt: skip


def _row(db, document_id):
    return get_consent(db, document_id)


@pytest.fixture
def declined(fresh_db, pdf_dir, make_record, pdf):
    return archive_consent(fresh_db, pdf_dir, make_record(outcome="declined"), pdf)


@pytest.mark.parametrize(
    "act, action",
    [
        (lambda db, d, doc: mark_viewed(db, doc, nurse="Anna Lee", at=AT), "view_record"),
        (lambda db, d, doc: set_identity_checked(db, doc, mrn="MRN-0042", nurse="Anna Lee", at=AT),
         "identity_checked"),
        (lambda db, d, doc: _countersign(db, d, doc), "countersigned"),
        (lambda db, d, doc: void_consent(db, doc, reason="Wrong patient", nurse="Anna Lee", at=AT),
         "voided"),
    ],
    ids=["view", "identity", "countersign", "void"],
)  # fmt: skip
def test_every_action_writes_its_audit_entry(fresh_db, pdf_dir, saved, actions, act, action):
    act(fresh_db, pdf_dir, saved.document_id)
    assert actions() == [("Anna Lee", action, saved.document_id)]


def test_viewing_makes_a_new_consent_seen(fresh_db, saved):
    mark_viewed(fresh_db, saved.document_id, nurse="Anna Lee", at=AT)
    assert _row(fresh_db, saved.document_id)["review_state"] == "seen"


def test_viewing_again_is_audited_again_and_changes_nothing_else(fresh_db, saved, actions):
    set_identity_checked(fresh_db, saved.document_id, mrn="MRN-0042", nurse="Anna Lee", at=AT)
    mark_viewed(fresh_db, saved.document_id, nurse="Ben Ode", at=AT)
    assert _row(fresh_db, saved.document_id)["review_state"] == "identity_checked"
    assert actions()[-1] == ("Ben Ode", "view_record", saved.document_id)


def test_identity_check_stores_who_when_and_the_mrn(fresh_db, saved):
    set_identity_checked(fresh_db, saved.document_id, mrn=" MRN-0042 ", nurse="Anna Lee", at=AT)
    row = _row(fresh_db, saved.document_id)
    assert (row["mrn"], row["identity_checked_by"], row["identity_checked_at"]) == (
        "MRN-0042", "Anna Lee", AT,
    )  # fmt: skip
    assert row["review_state"] == "identity_checked"


@pytest.mark.parametrize("mrn", ["", "   ", "ab", "x" * 21, "12 34", "12/34", "١٢٣٤", None])
def test_bad_mrn_is_refused(fresh_db, saved, actions, mrn):
    with pytest.raises(StoreError, match="hospital number"):
        set_identity_checked(fresh_db, saved.document_id, mrn=mrn, nurse="Anna Lee", at=AT)
    assert _row(fresh_db, saved.document_id)["mrn"] is None and actions() == []


@pytest.mark.parametrize("mrn", ["123", "a" * 20, "MRN-0042", "k-1"])
def test_good_mrn_is_taken(fresh_db, saved, mrn):
    set_identity_checked(fresh_db, saved.document_id, mrn=mrn, nurse="Anna Lee", at=AT)
    assert _row(fresh_db, saved.document_id)["mrn"] == mrn


def test_countersigning_writes_the_second_pdf_beside_the_original(fresh_db, pdf_dir, saved):
    path = _countersign(fresh_db, pdf_dir, saved.document_id)
    assert path == saved.pdf_path.parent / f"{saved.document_id}-countersigned.pdf"
    assert path.read_bytes() == SIGNED_PDF


def test_countersigning_keeps_the_original_pdf_and_its_hash(fresh_db, pdf_dir, saved, pdf):
    _countersign(fresh_db, pdf_dir, saved.document_id)
    row = _row(fresh_db, saved.document_id)
    assert saved.pdf_path.read_bytes() == pdf
    assert (row["pdf_path"], row["pdf_sha256"]) == (str(saved.pdf_path), saved.pdf_sha256)
    assert hashlib.sha256(pdf).hexdigest() == row["pdf_sha256"]


def test_countersigning_stores_the_signature(fresh_db, pdf_dir, saved):
    path = _countersign(fresh_db, pdf_dir, saved.document_id)
    row = _row(fresh_db, saved.document_id)
    assert row["countersigned_pdf_path"] == str(path)
    assert row["countersigned_pdf_sha256"] == hashlib.sha256(SIGNED_PDF).hexdigest()
    assert (row["countersigned_by"], row["countersigned_role"], row["countersigned_at"]) == (
        "Dr Amal Haddad", "doctor", AT,
    )  # fmt: skip
    assert row["review_state"] == "fully_signed"
    assert json.loads(row["countersignature_json"]) == SIGNATURE


def test_identity_check_after_countersigning_stays_fully_signed(fresh_db, pdf_dir, saved):
    _countersign(fresh_db, pdf_dir, saved.document_id)
    set_identity_checked(fresh_db, saved.document_id, mrn="MRN-0042", nurse="Anna Lee", at=AT)
    assert _row(fresh_db, saved.document_id)["review_state"] == "fully_signed"


def test_countersigning_twice_is_refused_and_keeps_the_first(fresh_db, pdf_dir, saved):
    path = _countersign(fresh_db, pdf_dir, saved.document_id)
    with pytest.raises(StoreError, match="already countersigned"):
        _countersign(fresh_db, pdf_dir, saved.document_id, pdf_bytes=b"%PDF other")
    assert path.read_bytes() == SIGNED_PDF


def test_only_a_consented_consent_can_be_countersigned(fresh_db, pdf_dir, declined, files_under):
    before = files_under(pdf_dir)
    with pytest.raises(StoreError, match="nothing to countersign"):
        _countersign(fresh_db, pdf_dir, declined.document_id)
    assert files_under(pdf_dir) == before


def test_a_void_consent_cannot_be_countersigned(fresh_db, pdf_dir, saved, files_under):
    void_consent(fresh_db, saved.document_id, reason="Wrong patient", nurse="Anna Lee", at=AT)
    with pytest.raises(StoreError, match="void"):
        _countersign(fresh_db, pdf_dir, saved.document_id)
    assert files_under(pdf_dir) == [str(saved.pdf_path.relative_to(pdf_dir))]


@pytest.mark.parametrize("pdf_bytes", [b"", None, "text"])
def test_countersigned_pdf_must_be_bytes(fresh_db, pdf_dir, saved, pdf_bytes):
    with pytest.raises(StoreError, match="empty"):
        _countersign(fresh_db, pdf_dir, saved.document_id, pdf_bytes=pdf_bytes)


def test_failed_commit_leaves_no_second_pdf(fresh_db, pdf_dir, saved, files_under):
    fresh_db.execute(
        "CREATE TRIGGER refuse BEFORE UPDATE OF countersigned_pdf_path ON consents"
        " BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises(StoreError, match="not countersigned"):
        _countersign(fresh_db, pdf_dir, saved.document_id)
    assert files_under(pdf_dir) == [str(saved.pdf_path.relative_to(pdf_dir))]
    assert _row(fresh_db, saved.document_id)["review_state"] == "new"


def test_an_orphan_file_in_the_way_goes_to_quarantine_intact_and_never_blocks_the_countersignature(
        fresh_db, pdf_dir, saved):
    from kiosk.store.quarantine import list_quarantine

    in_the_way = saved.pdf_path.parent / f"{saved.document_id}-countersigned.pdf"
    in_the_way.write_bytes(b"%PDF left by a countersignature killed before its commit")
    path = _countersign(fresh_db, pdf_dir, saved.document_id)
    assert path == in_the_way and path.read_bytes() != b"%PDF left by a countersignature killed before its commit"
    assert _row(fresh_db, saved.document_id)["review_state"] == "fully_signed"
    [moved] = list_quarantine(pdf_dir)
    assert moved.path.read_bytes() == b"%PDF left by a countersignature killed before its commit"
    assert "no record owns" in moved.reason


def test_a_file_in_the_way_that_a_live_writer_holds_is_left_alone(fresh_db, pdf_dir, saved):
    from kiosk.store.files import durable_file

    in_the_way = saved.pdf_path.parent / f"{saved.document_id}-countersigned.pdf"
    with durable_file(in_the_way, b"%PDF being written by another station"):
        with pytest.raises(StoreError, match="this very moment"):
            _countersign(fresh_db, pdf_dir, saved.document_id)
    assert in_the_way.read_bytes() == b"%PDF being written by another station"


def test_voiding_stores_the_reason_and_keeps_everything(fresh_db, pdf_dir, saved, pdf, files_under):
    before = files_under(pdf_dir)
    void_consent(fresh_db, saved.document_id, reason=" Wrong patient ", nurse="Anna Lee", at=AT)
    row = _row(fresh_db, saved.document_id)
    assert (row["void"], row["void_reason"], row["voided_by"], row["voided_at"]) == (
        1, "Wrong patient", "Anna Lee", AT,
    )  # fmt: skip
    assert row["review_state"] == "void"
    assert (row["pdf_sha256"], row["record"]["document_id"]) == (saved.pdf_sha256, saved.document_id)
    assert files_under(pdf_dir) == before and saved.pdf_path.read_bytes() == pdf


def test_voiding_keeps_a_countersigned_pdf(fresh_db, pdf_dir, saved):
    path = _countersign(fresh_db, pdf_dir, saved.document_id)
    void_consent(fresh_db, saved.document_id, reason="Wrong patient", nurse="Anna Lee", at=AT)
    assert path.read_bytes() == SIGNED_PDF
    assert _row(fresh_db, saved.document_id)["countersigned_pdf_path"] == str(path)


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 501])
def test_voiding_needs_a_reason(fresh_db, saved, actions, reason):
    with pytest.raises(StoreError, match="reason"):
        void_consent(fresh_db, saved.document_id, reason=reason, nurse="Anna Lee", at=AT)
    assert _row(fresh_db, saved.document_id)["void"] == 0 and actions() == []


def test_a_500_character_reason_is_taken(fresh_db, saved):
    void_consent(fresh_db, saved.document_id, reason="x" * 500, nurse="Anna Lee", at=AT)
    assert _row(fresh_db, saved.document_id)["void"] == 1


@pytest.mark.parametrize(
    "act",
    [
        lambda db, doc: void_consent(db, doc, reason="Again", nurse="Anna Lee", at=AT),
        lambda db, doc: set_identity_checked(db, doc, mrn="MRN-1", nurse="Anna Lee", at=AT),
    ],
    ids=["void again", "identity check"],
)
def test_a_void_consent_stays_as_it_is(fresh_db, saved, act):
    void_consent(fresh_db, saved.document_id, reason="Wrong patient", nurse="Anna Lee", at=AT)
    with pytest.raises(StoreError, match="is void"):
        act(fresh_db, saved.document_id)
    assert _row(fresh_db, saved.document_id)["void_reason"] == "Wrong patient"


@pytest.mark.parametrize(
    "act",
    [
        lambda db, d: mark_viewed(db, "no-such-consent", nurse="Anna Lee", at=AT),
        lambda db, d: void_consent(db, "no-such-consent", reason="x", nurse="Anna Lee", at=AT),
        lambda db, d: _countersign(db, d, "no-such-consent"),
    ],
    ids=["view", "void", "countersign"],
)
def test_unknown_consent_is_refused(fresh_db, pdf_dir, act):
    with pytest.raises(StoreError, match="There is no consent no-such-consent"):
        act(fresh_db, pdf_dir)


@pytest.mark.parametrize("changes", [{"nurse": ""}, {"at": "soon"}, {"nurse": None}])
def test_missing_nurse_or_time_is_refused(fresh_db, saved, changes):
    with pytest.raises(StoreError, match="Nothing was stored"):
        mark_viewed(fresh_db, saved.document_id, **{"nurse": "Anna Lee", "at": AT, **changes})


def test_change_and_audit_entry_commit_together(fresh_db, saved):
    fresh_db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'full'); END"
    )
    with pytest.raises(StoreError, match="identity check was not stored"):
        set_identity_checked(fresh_db, saved.document_id, mrn="MRN-0042", nurse="Anna Lee", at=AT)
    row = _row(fresh_db, saved.document_id)
    assert (row["mrn"], row["review_state"]) == (None, "new")


def test_acknowledging_help_stores_who_and_when(fresh_db, saved, actions):
    record_help_request(fresh_db, session_id=saved.document_id, at=AT, step_id="risks_leak")
    acknowledge_help(fresh_db, 1, nurse="Ben Ode", at=AT)
    row = next(fresh_db.query("SELECT * FROM help_requests"))
    assert (row["acknowledged_by"], row["acknowledged_at"]) == ("Ben Ode", AT)
    assert actions() == [("Ben Ode", "help_acknowledged", saved.document_id)]


def test_the_first_acknowledgement_counts(fresh_db, saved, actions):
    record_help_request(fresh_db, session_id=saved.document_id, at=AT, step_id="risks_leak")
    acknowledge_help(fresh_db, 1, nurse="Ben Ode", at=AT)
    acknowledge_help(fresh_db, 1, nurse="Anna Lee", at="2026-11-26T09:31:00+00:00")
    row = next(fresh_db.query("SELECT * FROM help_requests"))
    assert row["acknowledged_by"] == "Ben Ode" and len(actions()) == 1


def test_acknowledging_an_unknown_call_is_refused(fresh_db):
    with pytest.raises(StoreError, match="no call for help number 9"):
        acknowledge_help(fresh_db, 9, nurse="Ben Ode", at=AT)


def test_countersigning_a_moved_archive_writes_under_the_new_folder(
    fresh_db, tmp_path, saved, pdf_dir
):
    moved = tmp_path / "moved"
    path = _countersign(fresh_db, moved, saved.document_id)
    assert path == moved / saved.pdf_path.relative_to(pdf_dir).parent / path.name
    assert Path(path).read_bytes() == SIGNED_PDF
