"""The database row of one consent PDF, read without writing anything, for `kiosk verify`.

The database is opened read-only (``database.read_only_uri``): checking a PDF never changes
kiosk.db nor leaves -wal/-shm files beside it, and works while a kiosk or nurse station has it
open.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from kiosk.store.database import StoreError, read_only_uri

_COLUMNS = ("document_id", "outcome", "patient_name", "patient_dob", "pdf_path", "pdf_sha256",
            "countersigned_pdf_path", "countersigned_pdf_sha256", "countersigned_by", "countersigned_at",
            "void", "void_reason")


def find_pdf_row(db_path: Path, document_id: str) -> dict | None:
    """The consent row of `document_id` (its PDF paths and SHA-256s, outcome, patient, void
    state), or None if kiosk.db has no such consent. StoreError with a plain message if the
    database cannot be read."""
    if not Path(db_path).is_file():
        raise StoreError(f"The database {db_path} cannot be opened to check the PDF (there is no such file).")
    try:
        connection = sqlite3.connect(read_only_uri(db_path), uri=True)
    except sqlite3.Error as error:
        raise StoreError(f"The database {db_path} cannot be opened to check the PDF ({error}).") from None
    try:
        present = {row[1] for row in connection.execute("PRAGMA table_info(consents)")}
        if not present:
            raise StoreError(f"{db_path} has no consents table; is it a kiosk database?")
        chosen = [column for column in _COLUMNS if column in present]
        row = connection.execute(f"SELECT {', '.join(chosen)} FROM consents WHERE document_id = ?",
                                 [document_id]).fetchone()
    except sqlite3.Error as error:
        raise StoreError(f"The database {db_path} cannot be read to check the PDF ({error}).") from None
    finally:
        connection.close()
    if row is None:
        return None
    found = dict.fromkeys(_COLUMNS)
    found.update(zip(chosen, row))
    return found
