"""The rules of kiosk.store.consents that the broader archive tests do not pin down: where a
PDF goes, the exact words of each refusal, what a failed save leaves, and reading a database
that cannot answer. Found by mutation testing (docs/mutation/store.md)."""

import logging
import math
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.store import AlreadySavedError, StoreError, archive_consent, get_consent, list_consents
from kiosk.store.consents import pdf_path_for


# --------------------------------------------------------------------------- where the PDF goes


def test_pdf_path_for_is_where_archive_consent_puts_it(fresh_db, pdf_dir, make_record, pdf):
    record = make_record(finished_at="2025-02-28T23:59:00+00:00", started_at="2025-01-31T10:00:00+00:00")
    expected = pdf_path_for(pdf_dir, record)
    assert expected == pdf_dir.absolute() / "2025" / "02" / f"{record['document_id']}.pdf"
    assert archive_consent(fresh_db, pdf_dir, record, pdf).pdf_path == expected


def test_pdf_path_for_is_absolute_for_a_relative_folder(make_record, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    record = make_record(finished_at="2026-07-04T09:00:00+00:00")
    assert pdf_path_for(Path("consents"), record) == tmp_path / "consents" / "2026" / "07" / f"{record['document_id']}.pdf"


def test_without_a_finish_time_the_start_month_is_used(make_record, pdf_dir):
    record = make_record(finished_at=None, started_at="2024-12-31T23:30:00+00:00")
    assert pdf_path_for(pdf_dir, record).parent == pdf_dir.absolute() / "2024" / "12"


def test_an_unreadable_finish_time_falls_back_to_the_start(make_record, pdf_dir):
    record = make_record(finished_at="not a time", started_at="2023-03-01T08:00:00+00:00")
    assert pdf_path_for(pdf_dir, record).parent == pdf_dir.absolute() / "2023" / "03"


def test_with_neither_time_the_month_is_now(make_record, pdf_dir):
    record = make_record(finished_at=None, started_at="")
    before = datetime.now(UTC)
    folder = pdf_path_for(pdf_dir, record).parent
    after = datetime.now(UTC)
    assert folder in {pdf_dir.absolute() / f"{t.year:04d}" / f"{t.month:02d}" for t in (before, after)}


# --------------------------------------------------------------------------- the words of refusals


@pytest.mark.parametrize("not_a_record", [None, "a string", ["a", "list"], 42])
def test_a_record_that_is_not_a_dictionary_is_refused_in_plain_words(fresh_db, pdf_dir, pdf, not_a_record):
    with pytest.raises(StoreError) as caught:
        archive_consent(fresh_db, pdf_dir, not_a_record, pdf)
    assert str(caught.value) == "The consent record is not a record (expected a dictionary)."


def test_a_pdf_that_is_not_bytes_is_refused(fresh_db, pdf_dir, make_record):
    with pytest.raises(StoreError) as caught:
        archive_consent(fresh_db, pdf_dir, make_record(), "%PDF-1.7 as text")
    assert str(caught.value) == "The consent PDF must be bytes."


@pytest.mark.parametrize("empty", [b"", bytearray(), memoryview(b"")])
def test_an_empty_pdf_is_refused(fresh_db, pdf_dir, make_record, empty):
    with pytest.raises(StoreError) as caught:
        archive_consent(fresh_db, pdf_dir, make_record(), empty)
    assert str(caught.value) == "The consent PDF is empty."


@pytest.mark.parametrize("kind", [bytearray, memoryview])
def test_a_pdf_as_a_bytearray_or_memoryview_is_saved_as_its_bytes(fresh_db, pdf_dir, make_record, pdf, kind):
    saved = archive_consent(fresh_db, pdf_dir, make_record(), kind(pdf))
    assert saved.pdf_path.read_bytes() == pdf and saved.pdf_size == len(pdf)


def test_a_declined_consent_without_its_pdf_says_which_outcome_needs_one(fresh_db, pdf_dir, make_record):
    with pytest.raises(StoreError) as caught:
        archive_consent(fresh_db, pdf_dir, make_record(outcome="declined"), None)
    assert str(caught.value) == "A 'declined' consent needs its PDF; only an abandoned session is saved without one."


@pytest.mark.parametrize("patient", [None, "Margaret", {"full_name": "   "}, {"full_name": 7}, {}])
def test_a_consent_without_a_patient_name_is_refused(fresh_db, pdf_dir, make_record, pdf, patient):
    with pytest.raises(StoreError) as caught:
        archive_consent(fresh_db, pdf_dir, make_record(patient=patient), pdf)
    assert str(caught.value) == "The consent record has no patient name."


def test_an_abandoned_session_needs_no_name(fresh_db, pdf_dir, make_record):
    saved = archive_consent(fresh_db, pdf_dir, make_record(outcome="abandoned", patient=None), None)
    assert get_consent(fresh_db, saved.document_id)["outcome"] == "abandoned"


@pytest.mark.parametrize("document_id", ["{7d0c2c9e-8a57-4a3e-9f2e-0c1d2e3f4a5b}",
                                         "7D0C2C9E-8A57-4A3E-9F2E-0C1D2E3F4A5B", "../../etc/passwd", None])
def test_a_document_id_that_is_no_canonical_uuid_is_refused(fresh_db, pdf_dir, make_record, pdf, document_id):
    with pytest.raises(StoreError) as caught:
        archive_consent(fresh_db, pdf_dir, make_record(document_id=document_id), pdf)
    assert str(caught.value) == f"The consent record has no valid document id: {document_id!r}."


def test_an_unknown_outcome_is_named(fresh_db, pdf_dir, make_record, pdf):
    with pytest.raises(StoreError) as caught:
        archive_consent(fresh_db, pdf_dir, make_record(outcome="maybe"), pdf)
    assert str(caught.value) == "The consent record has an unknown outcome: 'maybe'."


@pytest.mark.parametrize("bad", [math.nan, math.inf, {1, 2}, b"bytes"])
def test_a_record_that_json_cannot_hold_is_refused_and_nothing_written(fresh_db, pdf_dir, make_record, pdf,
                                                                       files_under, bad):
    with pytest.raises(StoreError, match=r"^The consent record cannot be stored as JSON: .+\.$"):
        archive_consent(fresh_db, pdf_dir, make_record(odd=bad), pdf)
    assert files_under(pdf_dir) == [] and fresh_db["consents"].count == 0


def test_saving_twice_says_exactly_that(fresh_db, pdf_dir, make_record, pdf):
    record = make_record()
    archive_consent(fresh_db, pdf_dir, record, pdf)
    with pytest.raises(AlreadySavedError) as caught:
        archive_consent(fresh_db, pdf_dir, record, pdf)
    assert str(caught.value) == (f"Consent {record['document_id']} is already saved; "
                                 "it was not saved a second time.")


def test_a_different_pdf_left_behind_is_named_with_its_path(fresh_db, pdf_dir, make_record, pdf):
    record = make_record(finished_at="2026-11-25T14:14:30+00:00")
    path = pdf_path_for(pdf_dir, record)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"%PDF another document")
    with pytest.raises(StoreError) as caught:
        archive_consent(fresh_db, pdf_dir, record, pdf)
    assert str(caught.value) == (
        f"A different PDF for consent {record['document_id']} is already in the consent folder ({path}) "
        "although the consent is not in the database. Nothing was overwritten and nothing was saved: "
        "ask IT to look at that file.")


# --------------------------------------------------------------------------- a failed save


@pytest.fixture
def refusing(fresh_db):
    fresh_db.execute("CREATE TRIGGER refuse BEFORE INSERT ON consents"
                     " BEGIN SELECT RAISE(ABORT, 'the test refuses this row'); END")
    yield
    fresh_db.execute("DROP TRIGGER IF EXISTS refuse")


def test_a_refused_row_takes_back_the_pdf_this_call_wrote(fresh_db, pdf_dir, make_record, pdf, refusing,
                                                          files_under, caplog):
    with caplog.at_level(logging.WARNING), pytest.raises(StoreError):
        archive_consent(fresh_db, pdf_dir, make_record(), pdf)
    assert files_under(pdf_dir) == []  # neither the PDF nor a temporary file is left
    assert "Kept" not in caplog.text


def test_when_the_database_cannot_say_whether_it_was_saved_the_pdf_is_kept(fresh_db, pdf_dir, make_record,
                                                                          pdf, caplog):
    """A row whose PDF is missing would be the worst outcome: in doubt, keep the file.

    The insert is refused by a trigger, and from that moment the connection may no longer read
    the consents table (an authorizer, installed by the trigger itself: installing one expires
    the statements SQLite has prepared, so the save's check after the failure is denied)."""
    record = make_record()

    def deny_reading_consents(action, table, *_):
        return sqlite3.SQLITE_DENY if action == sqlite3.SQLITE_READ and table == "consents" else sqlite3.SQLITE_OK

    def lose_the_database():
        fresh_db.conn.set_authorizer(deny_reading_consents)
        return 0

    fresh_db.conn.create_function("lose_the_database", 0, lose_the_database)
    fresh_db.execute("CREATE TRIGGER refuse BEFORE INSERT ON consents"
                     " BEGIN SELECT lose_the_database(); SELECT RAISE(ABORT, 'the test refuses this row'); END")
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.store.consents"), pytest.raises(StoreError):
            archive_consent(fresh_db, pdf_dir, record, pdf)
    finally:
        fresh_db.conn.set_authorizer(None)
    path = pdf_path_for(pdf_dir, record)
    assert path.read_bytes() == pdf
    assert f"Kept {path} after a failed save: the database may refer to it" in caplog.text


# --------------------------------------------------------------------------- reading


@pytest.fixture
def broken_db(fresh_db, saved):
    """The consents table gone from under the kiosk (a damaged or foreign database)."""
    fresh_db.execute("ALTER TABLE consents RENAME TO consents_elsewhere")
    return fresh_db


def test_reading_a_consent_from_a_database_that_cannot_answer_is_a_store_error(broken_db, saved):
    with pytest.raises(StoreError, match=r"^The consent database .*kiosk\.db cannot be read: no such table"):
        get_consent(broken_db, saved.document_id)


def test_listing_from_a_database_that_cannot_answer_is_a_store_error(broken_db):
    with pytest.raises(StoreError, match=r"^The consent database .*kiosk\.db cannot be read: no such table"):
        list_consents(broken_db, search="obrien")


def test_saving_into_a_database_that_cannot_answer_is_a_store_error_and_writes_no_pdf(
        broken_db, pdf_dir, make_record, pdf):
    before = sorted(p for p in pdf_dir.rglob("*.pdf"))
    with pytest.raises(StoreError, match=r"^The consent database .*kiosk\.db cannot be read: no such table"):
        archive_consent(broken_db, pdf_dir, make_record(), pdf)
    assert sorted(p for p in pdf_dir.rglob("*.pdf")) == before


def test_limit_zero_lists_nothing_and_negative_numbers_are_refused(fresh_db, saved):
    assert list_consents(fresh_db, limit=0) == []
    assert len(list_consents(fresh_db, offset=0)) == 1
    for bad in ({"limit": -1}, {"offset": -1}):
        with pytest.raises(ValueError, match="^limit and offset must not be negative$"):
            list_consents(fresh_db, **bad)


def test_the_default_page_is_fifty(fresh_db, pdf_dir, make_record, pdf):
    for _ in range(51):
        archive_consent(fresh_db, pdf_dir, make_record(), pdf)
    assert len(list_consents(fresh_db)) == 50
    assert len(list_consents(fresh_db, offset=50)) == 1


def test_a_search_with_spaces_around_it_still_finds(fresh_db, saved):
    assert [r["document_id"] for r in list_consents(fresh_db, search="  o'brien  ")] == [saved.document_id]
    assert list_consents(fresh_db, search="   ") == list_consents(fresh_db)
