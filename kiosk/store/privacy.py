"""Private files, whatever the umask: the data folder and everything of a patient in it are
readable by the kiosk's own account only.

Under the usual umask 022 a new folder is 0755 and a new file 0644: every record and every
PIN hash would be readable by any local account, and a 4-digit PIN falls to an offline
search in minutes. So the kiosk sets its umask to 077 when it starts (``kiosk.cli``), creates
files 0600 and folders 0700 (``kiosk.store.files``), and ``make_private`` checks what is
already there at every start: a folder or file found too open is tightened, and each
tightening is returned (to be logged and audited).

At start the check is cheap: the data folder, its top-level files and folders (kiosk.db and
its -wal/-shm, settings.toml, the anchor file, the seal key), and every FOLDER of the consent
archive - a file inside a 0700 folder cannot be reached by another account whatever its own
mode. ``every_file=True`` (``kiosk doctor``) also tightens each PDF. Threading: any thread.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from kiosk.store.files import FILE_MODE, FOLDER_MODE

log = logging.getLogger(__name__)


def make_private(data_dir: Path, consents_dir: Path | None = None, *, every_file: bool = False) -> list[str]:
    """Tighten the data folder (and the consent archive, wherever it is) to the owner only.

    Returns one sentence per folder or file that was too open and has been tightened, e.g.
    ``"/srv/kiosk was readable by others (0755); now 0700."``. Nothing is ever loosened.
    A folder that does not exist yet is left for whoever creates it (with the right mode).
    """
    tightened: list[str] = []
    data_dir = Path(data_dir)
    if data_dir.is_dir():
        _tighten(data_dir, FOLDER_MODE, tightened)
        for entry in _entries(data_dir):
            if entry.is_dir(follow_symlinks=False):
                _tighten_tree(Path(entry.path), tightened, every_file=True)
            elif entry.is_file(follow_symlinks=False):
                _tighten(Path(entry.path), FILE_MODE, tightened)
    if consents_dir is not None and Path(consents_dir).is_dir():
        _tighten_tree(Path(consents_dir), tightened, every_file=every_file)
    for sentence in tightened:
        log.warning("%s", sentence)
    return tightened


def is_private(path: Path) -> bool:
    """True when no one but the owner can read, write or enter ``path``."""
    return Path(path).stat().st_mode & 0o077 == 0


def _tighten_tree(folder: Path, tightened: list[str], *, every_file: bool) -> None:
    _tighten(folder, FOLDER_MODE, tightened)
    for entry in _entries(folder):
        if entry.is_dir(follow_symlinks=False):
            _tighten_tree(Path(entry.path), tightened, every_file=every_file)
        elif every_file and entry.is_file(follow_symlinks=False):
            _tighten(Path(entry.path), FILE_MODE, tightened)


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


def _tighten(path: Path, wanted: int, tightened: list[str]) -> None:
    try:
        mode = stat.S_IMODE(path.stat(follow_symlinks=False).st_mode)
    except OSError:
        return
    if mode & 0o077 == 0:
        return
    new_mode = mode & 0o700 | (wanted & 0o700)
    try:
        os.chmod(path, new_mode, follow_symlinks=False)
    except OSError as exc:
        tightened.append(f"{path} is readable by others ({mode:04o}) and could not be "
                         f"tightened: {exc.strerror or exc}. Ask IT to fix its permissions.")
        return
    tightened.append(f"{path} was open to others ({mode:04o}); now {new_mode:04o}.")
