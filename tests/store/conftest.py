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
