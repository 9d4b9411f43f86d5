"""The nurse station's queue: filters, sorting, search and counts."""

import re
from datetime import date

import pytest

from kiosk.store import archive_consent
from kiosk.store.database import MIGRATIONS
from kiosk.store.queue import QUEUE_COLUMNS, QueueFilter, count_queue, query_queue
from kiosk.store.review import mark_viewed, set_identity_checked, void_consent
from tests.store.queue_people import PEOPLE, save_people

AT = "2026-11-26T09:30:00+00:00"
NEWEST_FIRST = [5, 4, 3, 2, 1, 0, 6]


@pytest.fixture
def ids(fresh_db, pdf_dir, make_record, pdf):
    return save_people(fresh_db, pdf_dir, make_record, pdf)


def _people(db, ids, flt, limit=100, offset=0):
    found = [r["document_id"] for r in query_queue(db, flt, limit=limit, offset=offset)]
    return [ids.index(d) for d in found]


def test_default_is_newest_first_abandoned_by_start(fresh_db, ids):
    assert _people(fresh_db, ids, QueueFilter()) == NEWEST_FIRST


def test_ascending_is_oldest_first(fresh_db, ids):
    assert _people(fresh_db, ids, QueueFilter(descending=False)) == NEWEST_FIRST[::-1]


def test_rows_have_the_queue_columns(fresh_db, ids):
    row = query_queue(fresh_db, QueueFilter(), limit=1, offset=0)[0]
    assert tuple(row) == QUEUE_COLUMNS
    assert row["flags"] == ["needs_doctor:q_rest"] and row["needs_doctor_count"] == 1
    assert (row["void"], row["countersigned_pdf_path"], row["review_state"]) == (0, None, "new")


@pytest.mark.parametrize("outcome", ["consented", "questions", "declined", "abandoned"])
def test_filter_by_outcome(fresh_db, ids, outcome):
    expected = [p for p in NEWEST_FIRST if PEOPLE[p][1] == outcome]
    assert _people(fresh_db, ids, QueueFilter(outcome=outcome)) == expected


@pytest.mark.parametrize("flag, people", [("needs_doctor", [5, 0]), ("help", [3, 0])])
def test_filter_by_flag(fresh_db, ids, flag, people):
    assert _people(fresh_db, ids, QueueFilter(flag=flag)) == people


def test_outcome_and_flag_together(fresh_db, ids):
    assert _people(fresh_db, ids, QueueFilter(outcome="consented", flag="help")) == [0]


@pytest.mark.parametrize(
    "date_from, date_to, people",
    [
        ("2026-11-21", "2026-11-23", [3, 2, 1]),  # 23:30 on the 22nd is the 22nd
        ("2026-11-24", None, [5, 4]),  # abandoned: the day it started
        (None, "2026-11-20", [0, 6]),
        ("2026-11-25", "2026-11-25", [5]),
        ("2026-11-26", None, []),
    ],
)
def test_filter_by_dates_inclusive(fresh_db, ids, date_from, date_to, people):
    assert _people(fresh_db, ids, QueueFilter(date_from=date_from, date_to=date_to)) == people


def test_filter_by_review_state(fresh_db, ids):
    mark_viewed(fresh_db, ids[2], nurse="Anna Lee", at=AT)
    set_identity_checked(fresh_db, ids[0], mrn="MRN-1", nurse="Anna Lee", at=AT)
    void_consent(fresh_db, ids[1], reason="Wrong patient", nurse="Anna Lee", at=AT)
    assert _people(fresh_db, ids, QueueFilter(review_state="seen")) == [2]
    assert _people(fresh_db, ids, QueueFilter(review_state="identity_checked")) == [0]
    assert _people(fresh_db, ids, QueueFilter(review_state="void")) == [1]
    assert _people(fresh_db, ids, QueueFilter(review_state="new")) == [5, 4, 3, 6]


def test_void_rows_say_so(fresh_db, ids):
    void_consent(fresh_db, ids[1], reason="Wrong patient", nurse="Anna Lee", at=AT)
    row = query_queue(fresh_db, QueueFilter(outcome="declined"), limit=1, offset=0)[0]
    assert (row["void"], row["review_state"]) == (1, "void")


@pytest.mark.parametrize("descending", [False, True])
def test_sort_by_name_ignores_case(fresh_db, ids, descending):
    flt = QueueFilter(outcome="consented", sort="patient_name", descending=descending)
    expected = [5, 0, 2, 6]  # Jose, Margaret, Zoë, then Arabic script
    assert _people(fresh_db, ids, flt) == (expected[::-1] if descending else expected)


@pytest.mark.parametrize(
    "descending, people",
    [(False, [4, 5, 2, 0, 6, 1, 3]), (True, [3, 1, 5, 2, 0, 6, 4])],
)
def test_sort_by_outcome_keeps_newest_first_within(fresh_db, ids, descending, people):
    assert _people(fresh_db, ids, QueueFilter(sort="outcome", descending=descending)) == people


def test_sort_by_review_state(fresh_db, ids):
    mark_viewed(fresh_db, ids[6], nurse="Anna Lee", at=AT)
    flt = QueueFilter(sort="review_state", descending=False)
    assert _people(fresh_db, ids, flt) == [5, 4, 3, 2, 1, 0, 6]  # "new" < "seen"


@pytest.mark.parametrize(
    "search, people",
    [
        ("lopez", [5, 1]),
        ("LÓPEZ", [5, 1]),
        ("josé lóp", [5, 1]),
        ("jose garc", [5]),
        ("o'brien", [0]),
        ("BRI", [0]),
        ("zoe", [2]),
        ("mull", [2]),
        ("müller", [2]),
        ("أوبراين", [6]),
        ("smith anne", [3]),
        ("nobody", []),
        ("%", []),
        ('"', []),
        ("AND", []),
    ],
)
def test_search_names_by_word_start_without_accents(fresh_db, ids, search, people):
    assert _people(fresh_db, ids, QueueFilter(search=search)) == people


def test_search_does_not_match_inside_words(fresh_db, ids):
    assert _people(fresh_db, ids, QueueFilter(search="opez")) == []


@pytest.mark.parametrize("length", [8, 13, 36])
def test_search_by_document_id_start(fresh_db, ids, length):
    assert _people(fresh_db, ids, QueueFilter(search=ids[4][:length])) == [4]


def test_search_by_document_id_ignores_case(fresh_db, ids):
    assert _people(fresh_db, ids, QueueFilter(search=ids[3].upper())) == [3]


def test_search_with_a_filter(fresh_db, ids):
    assert _people(fresh_db, ids, QueueFilter(search="lopez", outcome="declined")) == [1]


def test_blank_search_finds_everything(fresh_db, ids):
    assert _people(fresh_db, ids, QueueFilter(search="  ")) == NEWEST_FIRST


def test_search_sorted_by_name(fresh_db, ids):
    flt = QueueFilter(search="lopez", sort="patient_name", descending=False)
    assert _people(fresh_db, ids, flt) == [5, 1]  # "Jose" < "José"


@pytest.mark.parametrize(
    "flt",
    [
        QueueFilter(),
        QueueFilter(outcome="consented"),
        QueueFilter(flag="help"),
        QueueFilter(date_from="2026-11-21", date_to="2026-11-23"),
        QueueFilter(search="lopez"),
        QueueFilter(search="nobody"),
        QueueFilter(outcome="consented", flag="needs_doctor", sort="patient_name"),
    ],
)
def test_count_matches_the_rows(fresh_db, ids, flt):
    assert count_queue(fresh_db, flt) == len(query_queue(fresh_db, flt, limit=100, offset=0))


@pytest.mark.parametrize("limit, offset, people", [(2, 0, [5, 4]), (2, 2, [3, 2]), (5, 5, [0, 6]), (0, 0, [])])
def test_pages(fresh_db, ids, limit, offset, people):
    assert _people(fresh_db, ids, QueueFilter(), limit=limit, offset=offset) == people


def test_a_new_consent_is_searchable_at_once(fresh_db, pdf_dir, make_record, pdf, ids):
    record = make_record(patient={"full_name": "Siobhán Ní Bhriain", "date_of_birth": "1944-02-02"})
    archive_consent(fresh_db, pdf_dir, record, pdf)
    rows = query_queue(fresh_db, QueueFilter(search="siobhan"), limit=5, offset=0)
    assert [r["document_id"] for r in rows] == [record["document_id"]]


def test_consents_saved_before_the_migration_are_searchable(tmp_path, make_record, pdf, monkeypatch):
    import sqlite_utils

    import kiosk.store.consents
    from kiosk.store import open_database

    path = tmp_path / "kiosk.db"
    old = sqlite_utils.Database(path)
    MIGRATIONS.apply(old, stop_before="m002_nurse_station")
    record = make_record(patient={"full_name": "Hélène Lefèvre", "date_of_birth": "1940-05-06"})
    with monkeypatch.context() as before_the_outbox:  # that kiosk wrote no outbox entry (m004)
        before_the_outbox.setattr(kiosk.store.consents, "add_entry", lambda db, **entry: None)
        archive_consent(old, tmp_path / "pdfs", record, pdf)
    old.close()
    with open_database(path) as db:
        rows = query_queue(db, QueueFilter(search="helene lefe"), limit=5, offset=0)
        assert [r["document_id"] for r in rows] == [record["document_id"]]


@pytest.mark.parametrize(
    "changes",
    [{"outcome": "signed"}, {"flag": "urgent"}, {"sort": "mrn"}, {"review_state": "done"},
     {"date_from": "25/11/2026"}, {"date_to": "yesterday"}],
)  # fmt: skip
def test_mistakes_in_a_filter_are_caught_when_made(changes):
    with pytest.raises(ValueError):
        QueueFilter(**changes)


def test_negative_limit_is_a_mistake(fresh_db):
    with pytest.raises(ValueError):
        query_queue(fresh_db, QueueFilter(), limit=-1, offset=0)


def _count_plan(db, flt):
    """How SQLite answers count_queue: its query, traced with the values filled in."""
    traced = []
    db.conn.set_trace_callback(traced.append)
    try:
        count_queue(db, flt)
    finally:
        db.conn.set_trace_callback(None)
    sql = next(s for s in traced if s.startswith("SELECT count(*)"))
    return " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}"))


@pytest.mark.parametrize(
    "flt",
    [
        QueueFilter(outcome="consented", flag="needs_doctor"),
        QueueFilter(review_state="new", flag="help"),
        QueueFilter(search="lopez", outcome="declined"),
        QueueFilter(date_from="2026-11-21", outcome="questions"),
    ],
)
def test_counts_use_a_queue_index(fresh_db, flt):
    # (SQLite 3.40 labels an index on an expression "USING INDEX" even when it reads no row.)
    # Scanning a flag's partial index is fine (a fifth of the entries); the table never.
    plan = _count_plan(fresh_db, flt)
    table_scan = re.search(r"SCAN consents\b(?! USING (COVERING )?INDEX consents_queue_)", plan)
    assert "INDEX consents_queue_" in plan and not table_scan, plan


def test_a_large_page_is_whole_and_in_order(tmp_path):
    from bench.generate_consents import generate
    from kiosk.store import open_database

    path = tmp_path / "kiosk.db"
    generate(path, n=1_100, seed=3, today=date(2026, 11, 25), record_kib=1)
    with open_database(path) as db:
        assert count_queue(db, QueueFilter()) == 1_100
        rows = query_queue(db, QueueFilter(), limit=1_000, offset=50)
        times = [r["finished_at"] or r["started_at"] for r in rows]
        assert len(rows) == 1_000 and times == sorted(times, reverse=True)


def test_search_follows_a_corrected_name(fresh_db, ids, raw):
    raw.execute("UPDATE consents SET patient_name = 'Margaret Byrne' WHERE document_id = ?", [ids[0]])
    assert _people(fresh_db, ids, QueueFilter(search="byrne")) == [0]
    assert _people(fresh_db, ids, QueueFilter(search="o'brien")) == []


def test_search_forgets_a_removed_consent(fresh_db, ids, raw):
    raw.execute("DELETE FROM answers WHERE document_id = ?", [ids[2]])
    raw.execute("DELETE FROM consents WHERE document_id = ?", [ids[2]])
    assert fresh_db.execute("SELECT count(*) FROM consents_fts").fetchone()[0] == len(ids) - 1
    assert _people(fresh_db, ids, QueueFilter(search="zoe")) == []
