"""Sample consents (`kiosk demo`) told from real ones, straight from the database."""

import sqlite3

from kiosk.store import archive_consent, open_database
from kiosk.store.samples import ConsentCounts, count_sample_consents, holds_samples


def _save(db, pdf_dir, make_record, pdf, **changes):
    return archive_consent(db, pdf_dir, make_record(**changes), pdf)


def test_a_new_archive_has_neither(fresh_db):
    assert count_sample_consents(fresh_db) == ConsentCounts(sample=0, real=0)
    assert holds_samples(fresh_db) is False


def test_a_database_without_a_consents_table_yet_has_neither(tmp_path):
    path = tmp_path / "kiosk.db"
    sqlite3.connect(path).execute("CREATE TABLE other (x)").connection.commit()
    db = open_database(path, read_only=True)
    try:
        assert count_sample_consents(db) == ConsentCounts(0, 0)
        assert holds_samples(db) is False
    finally:
        db.close()


def test_samples_and_real_consents_are_counted_apart(fresh_db, pdf_dir, make_record, pdf):
    for sample in (True, True, True):
        _save(fresh_db, pdf_dir, make_record, pdf, sample=sample)
    _save(fresh_db, pdf_dir, make_record, pdf)  # no "sample" key: real
    _save(fresh_db, pdf_dir, make_record, pdf, sample=False)
    _save(fresh_db, pdf_dir, make_record, pdf, sample="true")  # only JSON true marks a sample
    assert count_sample_consents(fresh_db) == ConsentCounts(sample=3, real=3)


def test_an_archive_of_real_consents_holds_no_samples(fresh_db, pdf_dir, make_record, pdf):
    for _ in range(3):
        _save(fresh_db, pdf_dir, make_record, pdf)
    assert holds_samples(fresh_db) is False


def test_a_sample_first_or_newest_marks_a_demo_folder(fresh_db, pdf_dir, make_record, pdf, tmp_path):
    _save(fresh_db, pdf_dir, make_record, pdf, sample=True)
    _save(fresh_db, pdf_dir, make_record, pdf)
    assert holds_samples(fresh_db) is True  # the first is a sample

    other = open_database(tmp_path / "other" / "kiosk.db")
    try:
        _save(other, pdf_dir, make_record, pdf)
        _save(other, pdf_dir, make_record, pdf, sample=True)
        assert holds_samples(other) is True  # the newest is a sample
    finally:
        other.close()


def test_a_sample_only_in_the_middle_is_not_looked_for(fresh_db, pdf_dir, make_record, pdf):
    """Two rows read, whatever the size: a demo folder starts with samples (demo refuses real
    data), so a sample between two real consents is not what it looks for."""
    _save(fresh_db, pdf_dir, make_record, pdf)
    _save(fresh_db, pdf_dir, make_record, pdf, sample=True)
    _save(fresh_db, pdf_dir, make_record, pdf)
    assert holds_samples(fresh_db) is False
    assert count_sample_consents(fresh_db) == ConsentCounts(sample=1, real=2)
