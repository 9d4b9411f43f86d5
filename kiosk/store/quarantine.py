"""The quarantine folder: files found in the consent folder that no record owns and that
could not be taken back into the database (no seal, a broken seal, no record inside).

They are never deleted - they may hold a patient's data or be evidence - only moved out of
the archive, each with a ``<name>.reason.txt`` beside it saying why and when. The nurse
station lists them (``list_quarantine``); IT decides what becomes of them (``kiosk doctor``
prints the same list).

Durability: the move is a rename inside the consent folder's filesystem, with both folders
fsync'ed; the reason file is written durably first. Threading: any thread.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.store.files import fsync_folder, make_folders_durably, write_file_durably

QUARANTINE_FOLDER = "quarantine"
_REASON = ".reason.txt"


@dataclass(frozen=True)
class QuarantinedFile:
    """One file in quarantine, with why it is there."""

    path: Path
    reason: str
    moved_at: str
    size: int


def quarantine_folder(pdf_dir: Path) -> Path:
    """``<consent folder>/quarantine``: on the same disk, so a move is a rename."""
    return Path(pdf_dir) / QUARANTINE_FOLDER


def quarantine(pdf_dir: Path, path: Path, reason: str) -> Path:
    """Move ``path`` into the quarantine folder with a reason file; the new path.

    A name already taken there gets ``-2``, ``-3`` ... before its suffix, so nothing in
    quarantine is ever overwritten."""
    folder = quarantine_folder(pdf_dir)
    make_folders_durably(folder)
    path = Path(path)
    target = folder / path.name
    number = 2
    while os.path.lexists(target) or os.path.lexists(f"{target}{_REASON}"):
        target = folder / f"{path.stem}-{number}{path.suffix}"
        number += 1
    moved_at = datetime.now(UTC).isoformat(timespec="seconds")
    note = f"{reason}\nMoved here from {path} at {moved_at}.\n"
    write_file_durably(Path(f"{target}{_REASON}"), note.encode("utf-8"))
    os.rename(path, target)
    fsync_folder(folder)
    fsync_folder(path.parent)
    return target


def list_quarantine(pdf_dir: Path) -> list[QuarantinedFile]:
    """Every file in quarantine, oldest first; an empty list when there is none."""
    folder = quarantine_folder(pdf_dir)
    found = []
    try:
        entries = sorted(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        if entry.name.endswith(_REASON) or not entry.is_file():
            continue
        try:
            lines = Path(f"{entry}{_REASON}").read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        reason = lines[0] if lines else "No reason was recorded."
        moved_at = lines[1].rsplit(" at ", 1)[-1].rstrip(".") if len(lines) > 1 else ""
        found.append(QuarantinedFile(entry, reason, moved_at, entry.stat().st_size))
    return sorted(found, key=lambda f: (f.moved_at, f.path.name))
