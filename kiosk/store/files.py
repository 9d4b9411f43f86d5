"""Writing files so that they survive a power cut, and never replace one another.

Durability rule: when `write_file_durably` returns, the file is complete on disk under its
final name and the folder entry naming it is on disk too. A reader can never see a
half-written file under the final name, because the data goes to a temporary file first and
only a complete, fsync'ed file is given the final name.

In-flight files are locked: the writer holds an exclusive ``flock`` on the file (temporary and
final name alike: they are one inode) from before its data is written until the caller's
commit is done (``durable_file``). Recovery (``kiosk.store.recovery``) skips any file it
cannot lock, so it never removes or adopts a file that a live kiosk or nurse station is still
saving; a killed writer's lock goes with its process.

Everything here is plain `os` calls on Linux (Debian); it has no state and is safe to call
from any thread.
"""

from __future__ import annotations

import errno
import fcntl
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Consent PDFs, the database, the seal key and their folders hold patient data (and PIN
# hashes): readable by the kiosk's own account only. The umask can only narrow these.
FILE_MODE = 0o600
FOLDER_MODE = 0o700

# Temporary files are named ``.<final name>.<32 hex digits>.tmp``.
TEMPORARY_SUFFIX = ".tmp"

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
    with durable_file(path, data):
        pass


@contextmanager
def durable_file(path: Path, data: bytes) -> Iterator[Path]:
    """``write_file_durably``, holding an exclusive ``flock`` on the file until the block ends.

    Use it to keep a file marked "being saved" until its database row is committed: recovery
    leaves a locked file alone. The lock is taken before the first byte is written and is
    released when the block ends (or the process dies)."""
    path = Path(path)
    folder = path.parent
    make_folders_durably(folder)
    temporary = folder / f".{path.name}.{uuid.uuid4().hex}{TEMPORARY_SUFFIX}"
    fd = None
    try:
        fd = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE
        )
        fcntl.flock(fd, fcntl.LOCK_EX)
        with os.fdopen(os.dup(fd), "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        _give_final_name(temporary, path)
        fsync_folder(folder)
    except BaseException:
        _remove_quietly(temporary)
        if fd is not None:
            os.close(fd)
        raise
    try:
        yield path
    finally:
        os.close(fd)


@contextmanager
def locked_if_free(path: Path) -> Iterator[bool]:
    """Try to take ``path``'s exclusive lock without waiting: yields True while held (no
    live writer has the file), False if a live writer holds it. A file that vanished
    meanwhile yields False too."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold ``path``'s exclusive lock, waiting for a live writer to finish with it."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


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
