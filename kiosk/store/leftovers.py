"""What a crash can leave in the consent folder, found and cleared at start (and on demand
with ``kiosk doctor``).

A save writes its PDF (as a locked temporary file, then under its final name) and then
commits its row (``kiosk.store.consents``). A process killed in between leaves:

- a **temporary file** ``.<name>.<hex>.tmp``, complete or half-written: removed;
- a **complete PDF without a row**: taken back into the database from the record sealed
  inside it, or moved to quarantine (``kiosk.recovery`` decides; it checks the seal);
- a **countersigned PDF the row does not name** (killed between writing it and the commit):
  adopted from the countersignature sealed inside it, or moved to quarantine.

Files that a live writer still holds locked (``kiosk.store.files.durable_file``) are never
touched: a nurse station may be saving beside the kiosk this very moment. A temporary file
is also left alone for its first ``TEMPORARY_GRACE_SECONDS``, the instant between its
creation and its lock.

Threading: call from the thread that opened the database.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from kiosk.store.database import StoreError
from kiosk.store.files import TEMPORARY_SUFFIX, fsync_folder, locked_if_free
from kiosk.store.quarantine import QUARANTINE_FOLDER
from kiosk.store.transactions import reading

TEMPORARY_GRACE_SECONDS = 1.0
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_CONSENT = re.compile(rf"({_UUID})\.pdf")
_COUNTERSIGNED = re.compile(rf"({_UUID})-countersigned\.pdf")


@dataclass
class FolderScan:
    """What lies in the consent folder that the database does not account for."""

    temporaries: list[Path] = field(default_factory=list)
    orphan_consents: list[Path] = field(default_factory=list)  # <id>.pdf with no row
    orphan_countersigned: list[Path] = field(default_factory=list)  # the row does not name it
    consent_files: int = 0


def scan_consent_folder(db: sqlite_utils.Database, pdf_dir: Path) -> FolderScan:
    """Walk the consent folder (not its quarantine) and compare it with the database.

    Reads only the primary-key index for the consent ids, so it stays fast with 100,000
    consents; a countersigned file is looked up one by one (there are few)."""
    scan = FolderScan()
    pdf_dir = Path(pdf_dir)
    if not pdf_dir.is_dir():
        return scan
    consents: list[tuple[str, Path]] = []
    countersigned: list[tuple[str, Path]] = []
    for folder, subfolders, files in os.walk(pdf_dir):
        if Path(folder) == pdf_dir:
            subfolders[:] = [s for s in subfolders if s != QUARANTINE_FOLDER]
        for name in files:
            path = Path(folder, name)
            if name.startswith(".") and name.endswith(TEMPORARY_SUFFIX):
                scan.temporaries.append(path)
            elif match := _CONSENT.fullmatch(name):
                consents.append((match[1], path))
            elif match := _COUNTERSIGNED.fullmatch(name):
                countersigned.append((match[1], path))
    scan.consent_files = len(consents)
    with reading(db):
        known = {row[0] for row in db.conn.execute("SELECT document_id FROM consents")}
        scan.orphan_consents = sorted(path for document_id, path in consents if document_id not in known)
        for document_id, path in sorted(countersigned):
            row = db.conn.execute(
                "SELECT countersigned_pdf_path FROM consents WHERE document_id = ?", [document_id]
            ).fetchone()
            if row is None or row[0] != str(path):
                scan.orphan_countersigned.append(path)
    return scan


def remove_stale_temporaries(paths: list[Path], *, now: float | None = None) -> list[Path]:
    """Remove each temporary file that no live writer holds; the ones removed.

    Never raises for one file (it may vanish meanwhile); an OSError other than that becomes
    a StoreError naming the file, because a folder the kiosk cannot clean is IT's to fix."""
    now = time.time() if now is None else now
    removed = []
    for path in paths:
        try:
            if now - path.stat().st_mtime < TEMPORARY_GRACE_SECONDS:
                continue
        except FileNotFoundError:
            continue
        with locked_if_free(path) as free:
            if not free:
                continue
            try:
                os.unlink(path)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise StoreError(
                    f"The unfinished file {path} cannot be removed: {exc.strerror or exc}."
                ) from exc
        fsync_folder(path.parent)
        removed.append(path)
    return removed


def has_row(db: sqlite_utils.Database, document_id: str) -> bool:
    with reading(db):
        return db.conn.execute(
            "SELECT 1 FROM consents WHERE document_id = ?", [document_id]
        ).fetchone() is not None


def consent_id_of(path: Path) -> str | None:
    """The document id a consent or countersigned PDF is named after, or None."""
    match = _CONSENT.fullmatch(path.name) or _COUNTERSIGNED.fullmatch(path.name)
    return match[1] if match else None
