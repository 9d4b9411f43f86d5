"""Real full and read-only disks (tmpfs and bind mounts; needs root, as in the test image).

Skipped where mounting is not permitted - except under CI=true, where that is a failure.
"""

import errno
import os
import sqlite3
import subprocess

import pytest

from kiosk.store import StoreError, archive_consent, get_consent, open_database


def _mount(*args):
    try:
        result = subprocess.run(
            ["mount", *args], check=False, capture_output=True, text=True
        )
    except FileNotFoundError as exc:
        return str(exc)
    if result.returncode:
        return result.stderr.strip() or "mount failed"
    return None


def _mount_or_skip(*args):
    problem = _mount(*args)
    if problem is None:
        return
    message = f"cannot mount for this test ({problem})"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KB tmpfs: too small for a 100 KB PDF. ``_grow`` makes room."""
    where = tmp_path / "small_disk"
    where.mkdir()
    _mount_or_skip("-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(where))
    yield where
    subprocess.run(["umount", "-l", str(where)], check=True)


def _grow(where):
    assert _mount("-o", "remount,size=4m", str(where)) is None


@pytest.fixture
def read_only_folder(tmp_path):
    where = tmp_path / "read_only"
    where.mkdir()
    _mount_or_skip("--bind", str(where), str(where))
    try:
        _mount_or_skip("-o", "remount,bind,ro", str(where))
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


def _make_writable(where):
    assert _mount("-o", "remount,bind,rw", str(where)) is None


BIG_PDF = b"%PDF-1.7\n" + os.urandom(100 * 1024)


def test_full_disk_gives_a_plain_message(fresh_db, small_disk, make_record):
    with pytest.raises(StoreError) as caught:
        archive_consent(fresh_db, small_disk, make_record(), BIG_PDF)
    assert str(caught.value) == (
        f"The disk holding the consent folder {small_disk} is full: No space left on device"
    )


def test_full_disk_keeps_the_cause(fresh_db, small_disk, make_record):
    with pytest.raises(StoreError) as caught:
        archive_consent(fresh_db, small_disk, make_record(), BIG_PDF)
    assert caught.value.__cause__.errno == errno.ENOSPC


def test_full_disk_leaves_no_file_and_no_row(
    fresh_db, small_disk, make_record, files_under
):
    with pytest.raises(StoreError):
        archive_consent(fresh_db, small_disk, make_record(), BIG_PDF)
    assert (files_under(small_disk), fresh_db["consents"].count) == ([], 0)


def test_same_call_succeeds_once_there_is_room(fresh_db, small_disk, make_record):
    record = make_record()
    with pytest.raises(StoreError):
        archive_consent(fresh_db, small_disk, record, BIG_PDF)
    _grow(small_disk)
    assert (
        archive_consent(fresh_db, small_disk, record, BIG_PDF).pdf_path.read_bytes()
        == BIG_PDF
    )


@pytest.fixture
def database_on_full_disk(small_disk):
    """The database on the small disk, then the disk filled up to the last byte."""
    _grow(small_disk)  # room for the schema first
    db = open_database(small_disk / "kiosk.db")
    assert _mount("-o", "remount,size=1m", str(small_disk)) is None
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as file:
        try:
            while True:
                file.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    yield db, filler
    db.close()


def test_full_database_disk_raises_and_removes_the_pdf(
    database_on_full_disk, pdf_dir, make_record, pdf, files_under
):
    db, _ = database_on_full_disk
    with pytest.raises(
        StoreError, match="The disk holding the consent database .* is full"
    ) as caught:
        archive_consent(db, pdf_dir, make_record(), pdf)
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    assert files_under(pdf_dir) == []


def test_full_database_disk_then_room_again(
    database_on_full_disk, pdf_dir, make_record, pdf
):
    db, filler = database_on_full_disk
    record = make_record()
    with pytest.raises(StoreError):
        archive_consent(db, pdf_dir, record, pdf)
    filler.unlink()
    archive_consent(db, pdf_dir, record, pdf)
    assert get_consent(db, record["document_id"])["record"] == record


def test_read_only_disk_gives_a_plain_message(
    fresh_db, read_only_folder, make_record, pdf
):
    with pytest.raises(StoreError) as caught:
        archive_consent(fresh_db, read_only_folder, make_record(), pdf)
    assert str(caught.value) == (
        f"The consent folder {read_only_folder} is on a read-only disk: Read-only file system"
    )
    assert fresh_db["consents"].count == 0


def test_same_call_succeeds_once_the_disk_is_writable(
    fresh_db, read_only_folder, make_record, pdf
):
    record = make_record()
    with pytest.raises(StoreError):
        archive_consent(fresh_db, read_only_folder, record, pdf)
    _make_writable(read_only_folder)
    assert (
        archive_consent(fresh_db, read_only_folder, record, pdf).pdf_path.read_bytes()
        == pdf
    )
