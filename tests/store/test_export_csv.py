"""export_queue_csv: a CSV a spreadsheet opens with the names intact; audited."""

import csv
import json

import pytest

from kiosk.store import StoreError, archive_consent
from kiosk.store.queue import QUEUE_COLUMNS, QueueFilter, export_queue_csv
from tests.store.queue_people import PEOPLE, save_people


@pytest.fixture
def ids(fresh_db, pdf_dir, make_record, pdf):
    return save_people(fresh_db, pdf_dir, make_record, pdf)


def _read(path):
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def test_rows_read_back_with_unicode_names(fresh_db, ids, tmp_path):
    path = tmp_path / "queue.csv"
    assert export_queue_csv(fresh_db, QueueFilter(), path, nurse="Anna Lee") == len(PEOPLE)
    names = {row["patient_name"] for row in _read(path)}
    assert names == {name or "" for name, *_ in PEOPLE}


def test_starts_with_a_byte_order_mark_for_excel(fresh_db, ids, tmp_path):
    export_queue_csv(fresh_db, QueueFilter(), tmp_path / "queue.csv", nurse="Anna Lee")
    assert (tmp_path / "queue.csv").read_bytes().startswith(b"\xef\xbb\xbfdocument_id,")


def test_header_is_the_queue_columns(fresh_db, ids, tmp_path):
    export_queue_csv(fresh_db, QueueFilter(), tmp_path / "queue.csv", nurse="Anna Lee")
    assert tuple(_read(tmp_path / "queue.csv")[0]) == QUEUE_COLUMNS


def test_keeps_the_filter_and_order(fresh_db, ids, tmp_path):
    flt = QueueFilter(outcome="consented", descending=False)
    export_queue_csv(fresh_db, flt, tmp_path / "queue.csv", nurse="Anna Lee")
    assert [row["document_id"] for row in _read(tmp_path / "queue.csv")] == [
        ids[6], ids[0], ids[2], ids[5],
    ]  # fmt: skip


def test_flags_are_joined(fresh_db, ids, tmp_path):
    export_queue_csv(fresh_db, QueueFilter(flag="help", outcome="consented"), tmp_path / "q.csv", nurse="Anna Lee")
    assert _read(tmp_path / "q.csv")[0]["flags"] == "needs_doctor:q_rest; help_requested"


def test_export_is_audited(fresh_db, ids, tmp_path):
    path = tmp_path / "queue.csv"
    export_queue_csv(fresh_db, QueueFilter(outcome="declined"), path, nurse="Anna Lee")
    entry = next(fresh_db.query("SELECT * FROM audit_log"))
    assert (entry["actor"], entry["action"]) == ("Anna Lee", "export_csv")
    assert json.loads(entry["detail"]) == {
        "file": str(path), "rows": 1, "filter": {"outcome": "declined"},
    }  # fmt: skip


def test_an_existing_file_is_never_overwritten(fresh_db, ids, tmp_path):
    path = tmp_path / "queue.csv"
    path.write_text("keep me")
    with pytest.raises(StoreError, match="already exists"):
        export_queue_csv(fresh_db, QueueFilter(), path, nurse="Anna Lee")
    assert path.read_text() == "keep me" and fresh_db["audit_log"].count == 0


def test_no_file_without_its_audit_entry(fresh_db, ids, tmp_path):
    fresh_db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'full'); END"
    )
    with pytest.raises(StoreError, match="export was not recorded"):
        export_queue_csv(fresh_db, QueueFilter(), tmp_path / "queue.csv", nurse="Anna Lee")
    assert not (tmp_path / "queue.csv").exists()


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+44 1234", "@SUM(A1)", "-1+2"])
def test_formulas_typed_as_names_stay_text(fresh_db, pdf_dir, make_record, pdf, tmp_path, name):
    archive_consent(fresh_db, pdf_dir, make_record(patient={"full_name": name, "date_of_birth": None}), pdf)
    export_queue_csv(fresh_db, QueueFilter(), tmp_path / "queue.csv", nurse="Anna Lee")
    assert _read(tmp_path / "queue.csv")[0]["patient_name"] == "'" + name


def test_an_empty_queue_is_a_header_only(fresh_db, tmp_path):
    assert export_queue_csv(fresh_db, QueueFilter(), tmp_path / "queue.csv", nurse="Anna Lee") == 0
    assert _read(tmp_path / "queue.csv") == []
