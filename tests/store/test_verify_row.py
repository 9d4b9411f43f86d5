"""`find_pdf_row`: the row `kiosk verify` compares a PDF with, read without writing anything."""

import hashlib
import sqlite3
from pathlib import Path

import pytest

from kiosk.store import StoreError, archive_consent, open_database
from kiosk.store.verify_row import find_pdf_row


def _bytes_of(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}


def test_a_saved_consent_gives_its_whole_row(tmp_path, make_record, pdf):
    folder = tmp_path / "ward 7 #? %20"  # the path is quoted into a URI
    db_path = folder / "kiosk.db"
    db = open_database(db_path)
    record = make_record()
    saved = archive_consent(db, tmp_path / "pdfs", record, pdf)
    db.close()
    before = _bytes_of(db_path)
    row = find_pdf_row(db_path, saved.document_id)
    assert row == {
        "document_id": saved.document_id, "outcome": "consented",
        "patient_name": record["patient"]["full_name"], "patient_dob": record["patient"]["date_of_birth"],
        "pdf_path": str(saved.pdf_path), "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
        "countersigned_pdf_path": None, "countersigned_pdf_sha256": None, "countersigned_by": None,
        "countersigned_at": None, "void": 0, "void_reason": None,
    }
    assert _bytes_of(db_path) == before  # nothing written, no -wal or -shm left


def test_an_unknown_document_is_none(tmp_path, fresh_db, saved):
    path = Path(fresh_db.conn.execute("PRAGMA database_list").fetchone()[2])
    assert find_pdf_row(path, "no-such-id") is None
    assert find_pdf_row(path, saved.document_id)["document_id"] == saved.document_id


def test_an_older_database_without_the_newer_columns_gives_them_as_none(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE consents (document_id TEXT, outcome TEXT, pdf_path TEXT, pdf_sha256 TEXT)")
        connection.execute("INSERT INTO consents VALUES ('d1', 'consented', '/x.pdf', 'ab')")
    row = find_pdf_row(path, "d1")
    assert row["document_id"] == "d1" and row["pdf_path"] == "/x.pdf" and row["pdf_sha256"] == "ab"
    assert row["countersigned_pdf_path"] is None and row["void"] is None and len(row) == 12


def test_a_missing_database_is_explained_and_not_created(tmp_path):
    path = tmp_path / "nowhere" / "kiosk.db"
    with pytest.raises(StoreError, match="cannot be opened to check the PDF"):
        find_pdf_row(path, "d1")
    assert not path.exists() and not path.parent.exists()


def test_a_database_that_is_no_kiosk_database_is_explained(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (x)")
    with pytest.raises(StoreError, match="has no consents table; is it a kiosk database"):
        find_pdf_row(path, "d1")


def test_a_file_that_is_not_sqlite_is_explained(tmp_path):
    path = tmp_path / "kiosk.db"
    path.write_bytes(b"this is not a database, only some text " * 200)
    with pytest.raises(StoreError, match="cannot be read to check the PDF"):
        find_pdf_row(path, "d1")


def test_a_consent_still_in_the_wal_of_a_running_kiosk_is_found(tmp_path, make_record, pdf):
    """The kiosk keeps kiosk.db open (its newest rows may be only in -wal): not immutable then."""
    db_path = tmp_path / "kiosk.db"
    db = open_database(db_path)
    try:
        saved = archive_consent(db, tmp_path / "pdfs", make_record(), pdf)
        assert Path(f"{db_path}-wal").stat().st_size > 0
        assert find_pdf_row(db_path, saved.document_id)["pdf_sha256"] == hashlib.sha256(pdf).hexdigest()
    finally:
        db.close()
