"""Fixtures for the store: real SQLite files and real folders under tmp_path."""

from pathlib import Path

import pytest

from kiosk.store import open_database
from tests.store.records import PDF, consent_record


@pytest.fixture
def make_record():
    return consent_record


@pytest.fixture
def fresh_db(tmp_path):
    db = open_database(tmp_path / "database" / "kiosk.db")
    yield db
    db.close()


@pytest.fixture
def pdf_dir(tmp_path) -> Path:
    return tmp_path / "pdfs"


def _files_under(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_dir()
    )


@pytest.fixture
def files_under():
    """files_under(folder): every file under it, hidden temporary files included."""
    return _files_under


@pytest.fixture
def pdf():
    return PDF


@pytest.fixture
def saved(fresh_db, pdf_dir, make_record, pdf):
    """A saved, consented consent: its SavedConsent."""
    from kiosk.store import archive_consent

    return archive_consent(fresh_db, pdf_dir, make_record(), pdf)


@pytest.fixture
def raw(fresh_db):
    """A second, plain sqlite3 connection to the same file: what someone going around the
    kiosk would use."""
    import sqlite3

    path = fresh_db.execute("PRAGMA database_list").fetchone()[2]
    connection = sqlite3.connect(path, isolation_level=None)
    yield connection
    connection.close()


@pytest.fixture
def actions(fresh_db):
    """actions(): the audit trail as (actor, action, document_id), oldest first."""
    return lambda: [
        (r["actor"], r["action"], r["document_id"])
        for r in fresh_db.query("SELECT actor, action, document_id FROM audit_log ORDER BY id")
    ]
