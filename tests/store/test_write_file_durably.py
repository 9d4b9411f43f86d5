"""write_file_durably: complete files under their final name, never an overwrite."""

import pytest

from kiosk.store import write_file_durably
from kiosk.store.files import _give_final_name_without_link


def test_writes_the_bytes(tmp_path):
    write_file_durably(tmp_path / "a.pdf", b"%PDF data")
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF data"


def test_creates_missing_folders(tmp_path):
    write_file_durably(tmp_path / "2026" / "11" / "a.pdf", b"x")
    assert (tmp_path / "2026" / "11" / "a.pdf").read_bytes() == b"x"


def test_file_is_not_readable_by_others(tmp_path):
    write_file_durably(tmp_path / "a.pdf", b"x")
    assert (tmp_path / "a.pdf").stat().st_mode & 0o007 == 0


def test_leaves_no_temporary_file(tmp_path, files_under):
    write_file_durably(tmp_path / "a.pdf", b"x")
    assert files_under(tmp_path) == ["a.pdf"]


def test_refuses_to_overwrite(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"the original")
    with pytest.raises(FileExistsError):
        write_file_durably(tmp_path / "a.pdf", b"a replacement")
    assert (tmp_path / "a.pdf").read_bytes() == b"the original"


@pytest.mark.parametrize(
    "data, error",
    [(b"new", FileExistsError), ("text, not bytes", TypeError)],
    ids=["name taken", "not bytes"],
)
def test_failure_leaves_no_temporary_file(tmp_path, files_under, data, error):
    (tmp_path / "a.pdf").write_bytes(b"the original")
    with pytest.raises(error):
        write_file_durably(tmp_path / "a.pdf", data)
    assert files_under(tmp_path) == ["a.pdf"]


def test_folder_under_a_file_fails(tmp_path, files_under):
    (tmp_path / "afile").write_text("not a folder")
    with pytest.raises(NotADirectoryError):
        write_file_durably(tmp_path / "afile" / "pdfs" / "a.pdf", b"x")
    assert files_under(tmp_path) == ["afile"]


# The path taken on filesystems without hard links (FAT), exercised on real files here.
def test_without_links_gives_the_final_name(tmp_path, files_under):
    (tmp_path / ".a.tmp").write_bytes(b"x")
    _give_final_name_without_link(tmp_path / ".a.tmp", tmp_path / "a.pdf")
    assert files_under(tmp_path) == ["a.pdf"]


def test_without_links_refuses_to_overwrite(tmp_path):
    (tmp_path / ".a.tmp").write_bytes(b"new")
    (tmp_path / "a.pdf").write_bytes(b"the original")
    with pytest.raises(FileExistsError):
        _give_final_name_without_link(tmp_path / ".a.tmp", tmp_path / "a.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == b"the original"
