"""archive_consent when things go right, and the checks made before anything is written."""

import copy
import hashlib
import json
import os
import sqlite3
import statistics
import time

import pytest

from kiosk.store import (
    SavedConsent,
    StoreError,
    archive_consent,
    get_consent,
    list_consents,
)


def test_writes_the_pdf(fresh_db, pdf_dir, make_record, pdf):
    saved = archive_consent(fresh_db, pdf_dir, make_record(), pdf)
    assert saved.pdf_path.read_bytes() == pdf


def test_pdf_path_uses_year_and_month_of_finished_at(
    fresh_db, pdf_dir, make_record, pdf
):
    record = make_record(finished_at="2027-01-31T23:59:00-05:00")
    saved = archive_consent(fresh_db, pdf_dir, record, pdf)
    assert saved.pdf_path == pdf_dir / "2027" / "01" / f"{record['document_id']}.pdf"


def test_returns_what_was_saved(fresh_db, pdf_dir, make_record, pdf):
    record = make_record()
    saved = archive_consent(fresh_db, pdf_dir, record, pdf)
    assert saved == SavedConsent(
        document_id=record["document_id"],
        pdf_path=pdf_dir / "2026" / "11" / f"{record['document_id']}.pdf",
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        pdf_size=len(pdf),
        saved_at=saved.saved_at,
    )
    assert saved.saved_at.endswith("+00:00")


def test_row_has_the_pdf_path_hash_and_size(fresh_db, pdf_dir, make_record, pdf):
    record = make_record()
    saved = archive_consent(fresh_db, pdf_dir, record, pdf)
    row = get_consent(fresh_db, record["document_id"])
    assert (row["pdf_path"], row["pdf_sha256"], row["pdf_size"]) == (
        str(saved.pdf_path),
        hashlib.sha256(pdf).hexdigest(),
        len(pdf),
    )


def test_pdf_path_is_absolute_for_a_relative_pdf_dir(
    fresh_db, tmp_path, make_record, pdf, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    saved = archive_consent(fresh_db, "relative/pdfs", make_record(), pdf)
    assert saved.pdf_path.is_absolute() and saved.pdf_path.read_bytes() == pdf


@pytest.mark.parametrize(
    "column, expected",
    [
        ("started_at", "2026-11-25T14:01:00+00:00"),
        ("finished_at", "2026-11-25T14:14:40+00:00"),
        ("outcome", "consented"),
        ("patient_name", "Margaret O'Brien"),
        ("patient_dob", "1948-03-07"),
        ("representative_name", None),
        ("representative_relationship", None),
        ("signer_name", "Margaret O'Brien"),
        ("signed_at", "2026-11-25T14:14:30+00:00"),
        ("language", "en"),
        ("content_id", "vertebroplasty"),
        ("content_version", "1.0.0"),
        ("content_sha256", "a" * 64),
        ("flags", ["needs_doctor:q_rest", "help_requested"]),
        ("needs_doctor_count", 1),
        ("help_requested", 1),
        ("review_state", "new"),
    ],
)
def test_row_matches_record(fresh_db, pdf_dir, make_record, pdf, column, expected):
    record = make_record()
    archive_consent(fresh_db, pdf_dir, record, pdf)
    assert get_consent(fresh_db, record["document_id"])[column] == expected


@pytest.mark.parametrize(
    "column, expected",
    [
        ("representative_name", "Siobhán O'Brien"),
        ("representative_relationship", "daughter"),
    ],
)
def test_row_has_the_representative(
    fresh_db, pdf_dir, make_record, pdf, column, expected
):
    record = make_record(
        representative={"full_name": "Siobhán O'Brien", "relationship": "daughter"}
    )
    archive_consent(fresh_db, pdf_dir, record, pdf)
    assert get_consent(fresh_db, record["document_id"])[column] == expected


def test_answers_are_one_row_per_question(fresh_db, pdf_dir, make_record, pdf):
    record = make_record()
    archive_consent(fresh_db, pdf_dir, record, pdf)
    rows = fresh_db.query(
        "SELECT question_id, first_try_correct, attempts, status FROM answers"
        " WHERE document_id = ? ORDER BY position",
        [record["document_id"]],
    )
    assert [tuple(r.values()) for r in rows] == [
        ("q_cause", 1, 1, "understood"),
        ("q_leak", 0, 2, "understood_after_review"),
        ("q_rest", 0, 2, "needs_doctor"),
    ]


def test_record_json_is_the_whole_record(fresh_db, pdf_dir, make_record, pdf):
    record = make_record()
    archive_consent(fresh_db, pdf_dir, record, pdf)
    assert get_consent(fresh_db, record["document_id"])["record"] == record


def test_record_json_is_sorted_plain_json(fresh_db, pdf_dir, make_record, pdf):
    record = make_record()
    archive_consent(fresh_db, pdf_dir, record, pdf)
    stored = fresh_db.execute("SELECT record_json FROM consents").fetchone()[0]
    assert stored == json.dumps(record, ensure_ascii=False, sort_keys=True)


NAMES = {
    "arabic": "مارغريت أوبراين",
    "hebrew": "מרגרט או'בריאן",
    "emoji": "Margaret 👵🏽 O'Brien 🇮🇪",
    "500 chars": ("Zoë Ñandú-Øvergård 李" * 25)[:500],
}


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_unicode_names_round_trip(fresh_db, pdf_dir, make_record, pdf, name):
    record = make_record(patient={"full_name": name, "date_of_birth": "1948-03-07"})
    archive_consent(fresh_db, pdf_dir, record, pdf)
    row = get_consent(fresh_db, record["document_id"])
    assert (row["patient_name"], row["record"]) == (name, record)


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_unicode_names_are_stored_as_characters(
    fresh_db, pdf_dir, make_record, pdf, name
):
    record = make_record(patient={"full_name": name})
    archive_consent(fresh_db, pdf_dir, record, pdf)
    assert name in fresh_db.execute("SELECT record_json FROM consents").fetchone()[0]


def test_record_is_not_modified(fresh_db, pdf_dir, make_record, pdf):
    record = make_record()
    before = copy.deepcopy(record)
    archive_consent(fresh_db, pdf_dir, record, pdf)
    assert record == before


def test_abandoned_without_pdf(fresh_db, pdf_dir, make_record, files_under):
    record = make_record(
        outcome="abandoned", patient={"full_name": "", "date_of_birth": None}
    )
    saved = archive_consent(fresh_db, pdf_dir, record, None)
    assert (saved.pdf_path, saved.pdf_sha256, saved.pdf_size) == (None, None, None)
    row = get_consent(fresh_db, record["document_id"])
    assert (row["outcome"], row["pdf_path"], row["pdf_sha256"], row["pdf_size"]) == (
        "abandoned",
        None,
        None,
        None,
    )
    assert files_under(pdf_dir) == []


def test_abandoned_with_a_pdf_keeps_it(fresh_db, pdf_dir, make_record, pdf):
    saved = archive_consent(fresh_db, pdf_dir, make_record(outcome="abandoned"), pdf)
    assert saved.pdf_path.read_bytes() == pdf


def test_saving_twice_raises_already_saved(fresh_db, pdf_dir, make_record, pdf):
    record = make_record()
    archive_consent(fresh_db, pdf_dir, record, pdf)
    with pytest.raises(StoreError, match="already saved"):
        archive_consent(fresh_db, pdf_dir, record, pdf)


def test_saving_twice_keeps_one_row_and_the_first_pdf(
    fresh_db, pdf_dir, make_record, pdf, files_under
):
    record = make_record()
    saved = archive_consent(fresh_db, pdf_dir, record, pdf)
    with pytest.raises(StoreError):
        archive_consent(fresh_db, pdf_dir, record, b"%PDF another")
    assert fresh_db["consents"].count == 1
    assert saved.pdf_path.read_bytes() == pdf
    assert files_under(pdf_dir) == [str(saved.pdf_path.relative_to(pdf_dir))]


def test_success_leaves_no_temporary_file(
    fresh_db, pdf_dir, make_record, pdf, files_under
):
    saved = archive_consent(fresh_db, pdf_dir, make_record(), pdf)
    assert files_under(pdf_dir) == [str(saved.pdf_path.relative_to(pdf_dir))]


def _without_patient(record):
    del record["patient"]


def _name(value):
    return lambda record: record.update(patient={"full_name": value})


def _set(**changes):
    return lambda record: record.update(changes)


@pytest.mark.parametrize(
    "spoil, message",
    [
        (_set(document_id="not-a-uuid"), "document id"),
        (_set(document_id="../../etc/passwd"), "document id"),
        (_set(document_id="7D0C2C9E-6F0E-4A0E-9D61-2B7B0F0B7A11"), "document id"),
        (_set(document_id="{7d0c2c9e-6f0e-4a0e-9d61-2b7b0f0b7a11}"), "document id"),
        (_set(document_id=None), "document id"),
        (_set(outcome="maybe"), "outcome"),
        (_set(outcome=None), "outcome"),
        (_name(""), "patient name"),
        (_name("   "), "patient name"),
        (_name(None), "patient name"),
        (_without_patient, "patient name"),
        (_set(extra=float("nan")), "JSON"),
        (_set(extra=object()), "JSON"),
    ],
)
def test_invalid_record_is_refused_before_anything_is_written(
    fresh_db, pdf_dir, make_record, pdf, files_under, spoil, message
):
    record = make_record()
    spoil(record)
    with pytest.raises(StoreError, match=message):
        archive_consent(fresh_db, pdf_dir, record, pdf)
    assert (fresh_db["consents"].count, files_under(pdf_dir)) == (0, [])


@pytest.mark.parametrize("outcome", ["consented", "questions", "declined"])
def test_pdf_is_required_unless_abandoned(fresh_db, pdf_dir, make_record, outcome):
    with pytest.raises(StoreError, match="needs its PDF"):
        archive_consent(fresh_db, pdf_dir, make_record(outcome=outcome), None)
    assert fresh_db["consents"].count == 0


@pytest.mark.parametrize("bad_pdf", [b"", "a string"], ids=["empty", "str"])
def test_pdf_must_be_non_empty_bytes(
    fresh_db, pdf_dir, make_record, files_under, bad_pdf
):
    with pytest.raises(StoreError, match="PDF"):
        archive_consent(fresh_db, pdf_dir, make_record(), bad_pdf)
    assert files_under(pdf_dir) == []


def test_refused_inside_an_open_transaction(
    fresh_db, pdf_dir, make_record, pdf, files_under
):
    with pytest.raises(StoreError, match="transaction"), fresh_db.atomic():
        archive_consent(fresh_db, pdf_dir, make_record(), pdf)
    assert (fresh_db["consents"].count, files_under(pdf_dir)) == (0, [])


def test_saved_consent_is_visible_to_another_connection(
    fresh_db, pdf_dir, make_record, pdf
):
    record = make_record()
    archive_consent(fresh_db, pdf_dir, record, pdf)
    path = fresh_db.execute("PRAGMA database_list").fetchone()[2]
    with sqlite3.connect(path) as other:
        assert other.execute("SELECT document_id FROM consents").fetchall() == [
            (record["document_id"],)
        ]
    other.close()


def test_archive_time(fresh_db, pdf_dir, make_record):
    """Not a benchmark: prints the time of one save with a ~100 KB PDF (pytest -s)."""
    big_pdf = b"%PDF-1.7\n" + os.urandom(100 * 1024)
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        archive_consent(fresh_db, pdf_dir, make_record(), big_pdf)
        timings.append(time.perf_counter() - start)
    print(
        f"\narchive_consent, 100 KB PDF: median {statistics.median(timings) * 1000:.1f} ms,"
        f" max {max(timings) * 1000:.1f} ms (n={len(timings)})"
    )
    assert len(list_consents(fresh_db, limit=100)) == 20


@pytest.mark.parametrize(
    "changes",
    [
        {"content": None},
        {"answers": "not a list"},
        {"answers": [{"question_id": "q1"}, {"question_id": "q1"}, "junk"]},
        {"flags": "help_requested"},
        {"representative": "daughter"},
        {"started_at": 1732543260, "finished_at": None},
        {"language": ["en", "ar"]},
    ],
    ids=repr,
)
def test_odd_fields_never_stop_a_save(fresh_db, pdf_dir, make_record, pdf, changes):
    record = make_record(**changes)
    archive_consent(fresh_db, pdf_dir, record, pdf)
    assert get_consent(fresh_db, record["document_id"])["record"] == record
