"""kiosk.store.files on real files: the no-hard-link fallback, folder fsync, modes, locks.

Where a disk behaviour cannot be had on the test machine (a FAT stick without hard links, a
filesystem that refuses to fsync a folder), only the one system call is replaced - ``os.link``
or ``os.fsync`` raising the errno that disk would give - and everything else is real.
"""

import errno
import fcntl
import os
import stat
from pathlib import Path

import pytest

from kiosk.store.files import (
    durable_file,
    explain_write_failure,
    fsync_file,
    fsync_folder,
    locked,
    locked_if_free,
    make_folders_durably,
    remove_file_durably,
    write_file_durably,
)


@pytest.fixture(autouse=True)
def umask_022():
    """The usual umask, so that a mode left to the default shows (0o644, 0o755)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _os_error(code):
    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return refuse


def _can_lock(path) -> bool:
    """Whether another open file description can take path's lock right now."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


# --- disks without hard links ----------------------------------------------------------------


@pytest.mark.parametrize("code", [errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK],
                         ids=["EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK"])  # fmt: skip
def test_without_hard_links_the_file_is_written_complete(tmp_path, files_under, monkeypatch, code):
    monkeypatch.setattr(os, "link", _os_error(code))
    write_file_durably(tmp_path / "a.pdf", b"%PDF all of it")
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF all of it"
    assert files_under(tmp_path) == ["a.pdf"]


def test_without_hard_links_an_existing_file_is_not_overwritten(tmp_path, files_under, monkeypatch):
    (tmp_path / "a.pdf").write_bytes(b"the original")
    monkeypatch.setattr(os, "link", _os_error(errno.EPERM))
    with pytest.raises(FileExistsError) as refused:
        write_file_durably(tmp_path / "a.pdf", b"a replacement")
    assert (refused.value.errno, refused.value.strerror, refused.value.filename) == (
        errno.EEXIST, "File exists", str(tmp_path / "a.pdf"))  # fmt: skip
    assert (tmp_path / "a.pdf").read_bytes() == b"the original"
    assert files_under(tmp_path) == ["a.pdf"]


@pytest.mark.parametrize("code", [errno.EIO, errno.ENOSPC, errno.EACCES], ids=["EIO", "ENOSPC", "EACCES"])
def test_another_link_error_is_raised_and_leaves_no_file(tmp_path, files_under, monkeypatch, code):
    monkeypatch.setattr(os, "link", _os_error(code))
    with pytest.raises(OSError) as failed:
        write_file_durably(tmp_path / "a.pdf", b"x")
    assert failed.value.errno == code
    assert files_under(tmp_path) == []


def test_a_name_taken_during_the_write_is_never_overwritten(tmp_path, monkeypatch):
    real_link = os.link

    def link_after_someone_else(source, target):
        Path(target).write_bytes(b"the other writer's")
        return real_link(source, target)

    monkeypatch.setattr(os, "link", link_after_someone_else)
    with pytest.raises(FileExistsError):
        write_file_durably(tmp_path / "a.pdf", b"ours")
    assert (tmp_path / "a.pdf").read_bytes() == b"the other writer's"


# --- folder fsync ----------------------------------------------------------------------------


def test_a_folder_fsync_refused_with_einval_is_tolerated(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", _os_error(errno.EINVAL))
    before = _open_fds()
    fsync_folder(tmp_path)
    assert _open_fds() == before


@pytest.mark.parametrize("code", [errno.EIO, errno.ENOSPC, errno.EROFS], ids=["EIO", "ENOSPC", "EROFS"])
def test_a_folder_fsync_failing_otherwise_is_raised(tmp_path, monkeypatch, code):
    monkeypatch.setattr(os, "fsync", _os_error(code))
    before = _open_fds()
    with pytest.raises(OSError) as failed:
        fsync_folder(tmp_path)
    assert failed.value.errno == code
    assert _open_fds() == before


def test_a_file_written_where_folder_fsync_is_refused_is_complete(tmp_path, monkeypatch):
    real_fsync = os.fsync

    def folders_refused(fd):
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, os.strerror(errno.EINVAL))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", folders_refused)
    write_file_durably(tmp_path / "new" / "a.pdf", b"x")
    assert (tmp_path / "new" / "a.pdf").read_bytes() == b"x"


def test_fsync_folder_refuses_a_file(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"x")
    with pytest.raises(NotADirectoryError):
        fsync_folder(tmp_path / "a.pdf")


def _flags_given_to_fsync(monkeypatch) -> list[int]:
    """Record the kernel's open flags of every fd handed to os.fsync (from /proc/self/fdinfo)."""
    real_fsync, seen = os.fsync, []

    def recording(fd):
        info = Path(f"/proc/self/fdinfo/{fd}").read_text()
        seen.append(int(info.split("flags:")[1].split()[0], 8))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording)
    return seen


def test_a_folder_is_fsynced_through_a_read_only_close_on_exec_folder_fd(tmp_path, monkeypatch):
    seen = _flags_given_to_fsync(monkeypatch)
    fsync_folder(tmp_path)
    [flags] = seen
    assert flags & os.O_ACCMODE == os.O_RDONLY
    assert flags & os.O_CLOEXEC and flags & os.O_DIRECTORY


def test_a_file_is_fsynced_through_a_read_only_close_on_exec_fd(tmp_path, monkeypatch):
    (tmp_path / "a.pdf").write_bytes(b"x")
    seen = _flags_given_to_fsync(monkeypatch)
    fsync_file(tmp_path / "a.pdf")
    [flags] = seen
    assert flags & os.O_ACCMODE == os.O_RDONLY and flags & os.O_CLOEXEC


def test_fsync_file_keeps_the_file_and_closes_its_fd(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"x")
    before = _open_fds()
    fsync_file(tmp_path / "a.pdf")
    assert _open_fds() == before and (tmp_path / "a.pdf").read_bytes() == b"x"


def test_fsync_file_of_a_missing_file_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        fsync_file(tmp_path / "a.pdf")


def test_remove_file_durably_removes_the_file_and_fsyncs_its_folder(tmp_path, monkeypatch):
    (tmp_path / "a.pdf").write_bytes(b"x")
    seen = _flags_given_to_fsync(monkeypatch)
    remove_file_durably(tmp_path / "a.pdf")
    assert list(tmp_path.iterdir()) == []
    [flags] = seen
    assert flags & os.O_DIRECTORY


def test_remove_file_durably_of_a_missing_file_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        remove_file_durably(tmp_path / "a.pdf")


# --- modes -----------------------------------------------------------------------------------


def test_a_written_file_has_mode_0600(tmp_path):
    write_file_durably(tmp_path / "a.pdf", b"x")
    assert stat.S_IMODE((tmp_path / "a.pdf").stat().st_mode) == 0o600


def test_each_new_folder_has_mode_0700(tmp_path):
    write_file_durably(tmp_path / "2026" / "11" / "25" / "a.pdf", b"x")
    modes = [stat.S_IMODE((tmp_path / part).stat().st_mode) for part in ("2026", "2026/11", "2026/11/25")]
    assert modes == [0o700, 0o700, 0o700]


def test_an_existing_folder_keeps_its_mode(tmp_path):
    (tmp_path / "pdfs").mkdir(mode=0o750)
    write_file_durably(tmp_path / "pdfs" / "a.pdf", b"x")
    assert stat.S_IMODE((tmp_path / "pdfs").stat().st_mode) == 0o750


# --- making folders --------------------------------------------------------------------------


def test_nested_missing_folders_are_all_made(tmp_path):
    make_folders_durably(tmp_path / "a" / "b" / "c")
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == ["a", "a/b", "a/b/c"]


def test_each_new_folder_is_fsynced_in_its_parent(tmp_path, monkeypatch):
    real_fsync, synced = os.fsync, []

    def recording(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording)
    make_folders_durably(tmp_path / "a" / "b")
    assert synced == [str(tmp_path), str(tmp_path / "a")]


def test_an_existing_folder_is_fine_and_nothing_is_fsynced(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    seen = _flags_given_to_fsync(monkeypatch)
    make_folders_durably(tmp_path / "a")
    assert seen == [] and (tmp_path / "a").is_dir()


def test_a_folder_made_meanwhile_by_someone_else_is_fine(tmp_path, monkeypatch):
    real_mkdir = os.mkdir

    def someone_else_first(path, mode=0o777):
        if Path(path) == tmp_path / "a":
            real_mkdir(path)  # another process wins the race for this one
        return real_mkdir(path, mode)

    monkeypatch.setattr(os, "mkdir", someone_else_first)
    make_folders_durably(tmp_path / "a" / "b")
    assert (tmp_path / "a" / "b").is_dir()


def test_a_dangling_link_in_the_way_is_not_taken_for_a_folder(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        make_folders_durably(tmp_path / "a")


def test_a_file_where_the_folder_should_be_is_refused_saying_so(tmp_path):
    (tmp_path / "a").write_text("not a folder")
    with pytest.raises(NotADirectoryError) as refused:
        make_folders_durably(tmp_path / "a")
    assert (refused.value.errno, refused.value.strerror, refused.value.filename) == (
        errno.ENOTDIR, "Not a directory", str(tmp_path / "a"))  # fmt: skip


def test_a_file_above_the_folder_is_refused(tmp_path):
    (tmp_path / "a").write_text("not a folder")
    with pytest.raises(NotADirectoryError):
        make_folders_durably(tmp_path / "a" / "b" / "c")
    assert [p.name for p in tmp_path.iterdir()] == ["a"]


# --- locks -----------------------------------------------------------------------------------


def test_durable_file_holds_the_lock_until_its_block_ends(tmp_path):
    with durable_file(tmp_path / "a.pdf", b"x") as path:
        assert path == tmp_path / "a.pdf" and path.read_bytes() == b"x"
        assert not _can_lock(path)
    assert _can_lock(tmp_path / "a.pdf")


def test_durable_file_releases_the_lock_when_its_block_raises(tmp_path):
    with pytest.raises(RuntimeError), durable_file(tmp_path / "a.pdf", b"x"):
        raise RuntimeError("the commit failed")
    assert _can_lock(tmp_path / "a.pdf")


def test_durable_file_closes_its_fd_when_the_write_fails(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"the original")
    before = _open_fds()
    with pytest.raises(FileExistsError), durable_file(tmp_path / "a.pdf", b"new"):
        pass
    assert _open_fds() == before


def test_locked_if_free_yields_false_while_a_writer_holds_the_file(tmp_path):
    with durable_file(tmp_path / "a.pdf", b"x"), locked_if_free(tmp_path / "a.pdf") as free:
        assert free is False


def test_locked_if_free_yields_true_and_holds_the_lock(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"x")
    with locked_if_free(tmp_path / "a.pdf") as free:
        assert free is True and not _can_lock(tmp_path / "a.pdf")
    assert _can_lock(tmp_path / "a.pdf")


def test_locked_if_free_yields_false_for_a_vanished_file(tmp_path):
    with locked_if_free(tmp_path / "gone.pdf") as free:
        assert free is False


def test_locked_holds_the_lock_until_its_block_ends(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"x")
    with locked(tmp_path / "a.pdf"):
        assert not _can_lock(tmp_path / "a.pdf")
    assert _can_lock(tmp_path / "a.pdf")


# --- messages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "exc, message",
    [
        (OSError(errno.ENOSPC, "No space left on device"),
         "The disk holding the consent folder /srv/pdfs is full: No space left on device"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"),
         "The disk holding the consent folder /srv/pdfs is full: Disk quota exceeded"),
        (OSError(errno.EROFS, "Read-only file system"),
         "The consent folder /srv/pdfs is on a read-only disk: Read-only file system"),
        (OSError(errno.EACCES, "Permission denied"),
         "The consent folder /srv/pdfs cannot be written to: Permission denied"),
        (OSError("the stick was pulled out"),
         "The consent folder /srv/pdfs cannot be written to: the stick was pulled out"),
        (OSError(), "The consent folder /srv/pdfs cannot be written to: OSError"),
        (PermissionError(), "The consent folder /srv/pdfs cannot be written to: PermissionError"),
    ],
    ids=["full", "quota", "read-only", "denied", "no errno", "nothing", "nothing, subclass"],
)  # fmt: skip
def test_a_write_failure_is_explained_in_one_sentence(exc, message):
    assert explain_write_failure("the consent folder", Path("/srv/pdfs"), exc) == message
