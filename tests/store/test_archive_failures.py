"""archive_consent when things go wrong: nothing half-saved, plain messages, retry works."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from kiosk.store import StoreError, archive_consent, get_consent
from tests.store.records import consent_record


def _pdf_files(files_under, pdf_dir):
    return [f for f in files_under(pdf_dir) if f.endswith(".pdf")]


@pytest.fixture
def folder_under_a_file(tmp_path):
    (tmp_path / "afile").write_text("a regular file where a folder should be")
    return tmp_path / "afile" / "pdfs"


def test_folder_under_a_file_gives_a_plain_message(
    fresh_db, folder_under_a_file, make_record, pdf
):
    with pytest.raises(StoreError) as caught:
        archive_consent(fresh_db, folder_under_a_file, make_record(), pdf)
    assert str(caught.value) == (
        f"The consent folder {folder_under_a_file} cannot be written to: Not a directory"
    )


def test_folder_under_a_file_keeps_the_cause(
    fresh_db, folder_under_a_file, make_record, pdf
):
    with pytest.raises(StoreError) as caught:
        archive_consent(fresh_db, folder_under_a_file, make_record(), pdf)
    assert isinstance(caught.value.__cause__, NotADirectoryError)


def test_folder_under_a_file_commits_no_row(
    fresh_db, folder_under_a_file, make_record, pdf
):
    with pytest.raises(StoreError):
        archive_consent(fresh_db, folder_under_a_file, make_record(), pdf)
    assert fresh_db["consents"].count == 0


def test_same_call_succeeds_once_the_folder_is_fixed(
    fresh_db, folder_under_a_file, make_record, pdf
):
    record = make_record()
    with pytest.raises(StoreError):
        archive_consent(fresh_db, folder_under_a_file, record, pdf)
    folder_under_a_file.parent.unlink()
    saved = archive_consent(fresh_db, folder_under_a_file, record, pdf)
    assert saved.pdf_path.read_bytes() == pdf
    assert get_consent(fresh_db, record["document_id"])["record"] == record


# Root ignores folder permissions, so as root the scenario runs in a child process whose
# capability bounding set lacks CAP_DAC_OVERRIDE: a root without it obeys chmod 0o500.
_READ_ONLY_SCENARIO = """
import json, sys
from pathlib import Path
from kiosk.store import StoreError, archive_consent, open_database

work, record, pdf = Path(sys.argv[1]), json.load(sys.stdin), b"%PDF-1.7 read-only test"
db = open_database(work / "kiosk.db")
pdf_dir = work / "pdfs"
pdf_dir.mkdir()
pdf_dir.chmod(0o500)
seen = {"pdf_dir": str(pdf_dir)}
try:
    archive_consent(db, pdf_dir, record, pdf)
    seen["error"] = None
except StoreError as error:
    seen["error"], seen["cause"] = str(error), type(error.__cause__).__name__
seen["rows"] = db["consents"].count
seen["files"] = sorted(str(p) for p in pdf_dir.rglob("*") if not p.is_dir())
pdf_dir.chmod(0o700)
seen["retry_saved"] = archive_consent(db, pdf_dir, record, pdf).pdf_path.read_bytes() == pdf
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def read_only_folder_scenario(tmp_path_factory):
    """What happened when archive_consent met a chmod 0o500 folder, then the same call again."""
    prefix = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root ignores chmod, and setpriv (util-linux) is missing")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
    work = tmp_path_factory.mktemp("read_only_folder")
    result = subprocess.run(
        [*prefix, sys.executable, "-c", _READ_ONLY_SCENARIO, str(work)],
        input=json.dumps(consent_record()),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_read_only_folder_gives_a_plain_message(read_only_folder_scenario):
    seen = read_only_folder_scenario
    assert (seen["error"], seen["cause"]) == (
        f"The consent folder {seen['pdf_dir']} cannot be written to: Permission denied",
        "PermissionError",
    )


def test_read_only_folder_commits_nothing(read_only_folder_scenario):
    assert (read_only_folder_scenario["rows"], read_only_folder_scenario["files"]) == (
        0,
        [],
    )


def test_same_call_succeeds_once_the_folder_is_writable(read_only_folder_scenario):
    assert read_only_folder_scenario["retry_saved"] is True


@pytest.fixture
def refusing_trigger(fresh_db):
    fresh_db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON consents"
        " BEGIN SELECT RAISE(ABORT, 'the test refuses this row'); END"
    )
    return lambda: fresh_db.execute("DROP TRIGGER refuse")


def test_database_failure_raises_store_error(
    fresh_db, pdf_dir, make_record, pdf, refusing_trigger
):
    with pytest.raises(
        StoreError,
        match=r"refused the change \(the test refuses this row\): consent .* was not saved; try again",
    ) as caught:
        archive_consent(fresh_db, pdf_dir, make_record(), pdf)
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)


def test_database_failure_removes_the_pdf(
    fresh_db, pdf_dir, make_record, pdf, refusing_trigger, files_under
):
    with pytest.raises(StoreError):
        archive_consent(fresh_db, pdf_dir, make_record(), pdf)
    assert _pdf_files(files_under, pdf_dir) == []


def test_database_failure_leaves_no_temporary_file(
    fresh_db, pdf_dir, make_record, pdf, refusing_trigger, files_under
):
    with pytest.raises(StoreError):
        archive_consent(fresh_db, pdf_dir, make_record(), pdf)
    assert files_under(pdf_dir) == []


def test_database_failure_commits_nothing(
    fresh_db, pdf_dir, make_record, pdf, refusing_trigger
):
    with pytest.raises(StoreError):
        archive_consent(fresh_db, pdf_dir, make_record(), pdf)
    assert (fresh_db["consents"].count, fresh_db["answers"].count) == (0, 0)


def test_failing_answers_roll_back_the_consent_row(
    fresh_db, pdf_dir, make_record, pdf, files_under
):
    fresh_db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON answers"
        " BEGIN SELECT RAISE(ABORT, 'no answers today'); END"
    )
    with pytest.raises(StoreError, match="no answers today"):
        archive_consent(fresh_db, pdf_dir, make_record(), pdf)
    assert (fresh_db["consents"].count, _pdf_files(files_under, pdf_dir)) == (0, [])


def test_retry_after_database_failure_succeeds(
    fresh_db, pdf_dir, make_record, pdf, refusing_trigger
):
    record = make_record()
    with pytest.raises(StoreError):
        archive_consent(fresh_db, pdf_dir, record, pdf)
    refusing_trigger()
    saved = archive_consent(fresh_db, pdf_dir, record, pdf)
    assert saved.pdf_path.read_bytes() == pdf
    assert (
        get_consent(fresh_db, record["document_id"])["pdf_sha256"] == saved.pdf_sha256
    )


def _leave_pdf_as_a_crash_would(pdf_dir, record, data):
    """A run that wrote the PDF, then died before committing its row."""
    path = pdf_dir / "2026" / "11" / f"{record['document_id']}.pdf"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    return path


def test_identical_pdf_left_by_a_crash_is_taken_over(
    fresh_db, pdf_dir, make_record, pdf, files_under
):
    record = make_record()
    path = _leave_pdf_as_a_crash_would(pdf_dir, record, pdf)
    saved = archive_consent(fresh_db, pdf_dir, record, pdf)
    assert (saved.pdf_path, path.read_bytes(), files_under(pdf_dir)) == (
        path,
        pdf,
        [str(path.relative_to(pdf_dir))],
    )


def test_different_pdf_left_by_a_crash_is_never_overwritten(
    fresh_db, pdf_dir, make_record, pdf
):
    record = make_record()
    path = _leave_pdf_as_a_crash_would(pdf_dir, record, b"%PDF some other document")
    with pytest.raises(StoreError, match="Nothing was overwritten"):
        archive_consent(fresh_db, pdf_dir, record, pdf)
    assert (path.read_bytes(), fresh_db["consents"].count) == (
        b"%PDF some other document",
        0,
    )


def test_taken_over_pdf_is_kept_when_the_database_fails(
    fresh_db, pdf_dir, make_record, pdf, refusing_trigger
):
    record = make_record()
    path = _leave_pdf_as_a_crash_would(pdf_dir, record, pdf)
    with pytest.raises(StoreError):
        archive_consent(fresh_db, pdf_dir, record, pdf)
    assert path.read_bytes() == pdf
