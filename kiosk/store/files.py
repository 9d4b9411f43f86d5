"""Writing files so that they survive a power cut, and never replace one another.

Durability rule: when `write_file_durably` returns, the file is complete on disk under its
final name and the folder entry naming it is on disk too. A reader can never see a
half-written file under the final name, because the data goes to a temporary file first and
only a complete, fsync'ed file is given the final name.

Everything here is plain `os` calls on Linux (Debian); it has no state and is safe to call
from any thread.
"""

from __future__ import annotations

import errno
import os
import uuid
from pathlib import Path

# Consent PDFs and their folders hold patient data: readable by the owner and the group
# (e.g. a nurse-station account), never by everybody. The umask can only narrow these.
FILE_MODE = 0o640
FOLDER_MODE = 0o750

# Filesystems without hard links (FAT/exFAT memory sticks) answer link() with one of these.
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK}


def write_file_durably(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` durably, creating missing folders; never overwrite.

    Steps: create any missing folders (fsync'ing each new folder's parent); write
    ``.{name}.{uuid}.tmp`` in the same folder, ``flush`` + ``os.fsync`` it; give it the
    final name; fsync the folder. On any error the temporary file is removed and the
    error re-raised unchanged (``OSError`` from the system, ``TypeError`` for bad data).

    If ``path`` already exists, raises ``FileExistsError`` and leaves it untouched.
    Choice: the final name is given with ``os.link(tmp, path)`` followed by unlinking the
    temporary name, not with ``os.replace``: ``link`` refuses an existing name atomically,
    so even a second process racing for the same name cannot make us overwrite a consent
    PDF. On filesystems without hard links (FAT/exFAT) we fall back to check-then-
    ``os.replace``; that leaves a short window in which another writer could create the same
    name, acceptable because the kiosk is the only writer of its archive.

    Example::

        write_file_durably(Path("/srv/consents/2026/11/7d0c….pdf"), pdf_bytes)
    """
    path = Path(path)
    folder = path.parent
    make_folders_durably(folder)
    temporary = folder / f".{path.name}.{uuid.uuid4().hex}.tmp"
    try:
        fd = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE
        )
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        _give_final_name(temporary, path)
    except BaseException:
        _remove_quietly(temporary)
        raise
    fsync_folder(folder)


def _give_final_name(temporary: Path, path: Path) -> None:
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        _give_final_name_without_link(temporary, path)
    else:
        os.unlink(temporary)


def _give_final_name_without_link(temporary: Path, path: Path) -> None:
    """Check-then-replace, for filesystems without hard links (see write_file_durably)."""
    if os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    os.replace(temporary, path)


def make_folders_durably(folder: Path) -> None:
    """Create ``folder`` and any missing parents, fsync'ing each new folder's parent.

    Without the parent fsync a power cut can forget a freshly created folder - and with it
    every file written inside.
    """
    missing = []
    current = Path(folder)
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for new_folder in reversed(missing):
        try:
            os.mkdir(new_folder, FOLDER_MODE)
        except FileExistsError:
            if not new_folder.is_dir():
                raise
            continue  # made meanwhile by someone else: fine
        fsync_folder(new_folder.parent)
    if not Path(folder).is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))


def remove_file_durably(path: Path) -> None:
    """Delete ``path`` and fsync its folder, so the deletion survives a power cut."""
    os.unlink(path)
    fsync_folder(Path(path).parent)


def fsync_file(path: Path) -> None:
    """Flush an existing file's data to disk (e.g. one written by an earlier run)."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (names created, renamed or deleted) to disk."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    except OSError as exc:
        # A few filesystems cannot fsync a folder at all; nothing more can be done there.
        if exc.errno != errno.EINVAL:
            raise
    finally:
        os.close(fd)


def explain_write_failure(what: str, place: Path, exc: OSError) -> str:
    """A sentence a nurse or IT can act on, e.g.
    ``"The consent folder /x cannot be written to: Permission denied"``."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"The disk holding {what} {place} is full: {reason}"
    if exc.errno == errno.EROFS:
        return f"{what[:1].upper()}{what[1:]} {place} is on a read-only disk: {reason}"
    return f"{what[:1].upper()}{what[1:]} {place} cannot be written to: {reason}"


def _remove_quietly(path: Path) -> None:
    """Best-effort cleanup while another error is on its way up: never mask that error."""
    try:
        os.unlink(path)
    except OSError:
        pass
