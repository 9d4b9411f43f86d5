"""Is every saved consent's PDF still there, byte for byte? (``kiosk doctor``)

Reads every PDF the database names and compares its SHA-256 with the row's: slow on a big
archive (about a second per thousand PDFs), so it runs on demand, never at start.
Threading: call from the thread that opened the database.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlite_utils

from kiosk.store.transactions import reading


def check_archive(db: sqlite_utils.Database) -> tuple[int, list[str]]:
    """(PDFs checked, one sentence per missing or changed PDF)."""
    problems: list[str] = []
    checked = 0
    with reading(db):
        rows = list(db.conn.execute(
            "SELECT document_id, pdf_path, pdf_sha256, countersigned_pdf_path, countersigned_pdf_sha256"
            " FROM consents WHERE pdf_path IS NOT NULL OR countersigned_pdf_path IS NOT NULL"))
    for document_id, *files in rows:
        for label, path, sha256 in (("PDF", files[0], files[1]), ("countersigned PDF", files[2], files[3])):
            if not path:
                continue
            checked += 1
            try:
                digest = _sha256(Path(path))
            except FileNotFoundError:
                problems.append(f"Consent {document_id}: its {label} {path} is missing. Restore it from a backup.")
                continue
            except OSError as exc:
                problems.append(f"Consent {document_id}: its {label} {path} cannot be read ({exc.strerror}).")
                continue
            if digest != sha256:
                problems.append(f"Consent {document_id}: its {label} {path} was CHANGED after it was saved "
                                "(its SHA-256 no longer matches). Restore it from a backup.")
    return checked, problems


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
