"""The fast queue (m003, issue 11) finds exactly what a plain Python filter over
``list_consents`` finds: every filter, sort, search and page, on a few hundred generated
consents with names in many scripts, ties in time and name, and a consent with no time.
Also: the migration turns a database made by m002 into one that searches the same."""

import re
import unicodedata
from datetime import date, timedelta

import pytest
import sqlite_utils

from bench.generate_consents import add_consents
from kiosk.store import list_consents, open_database
from kiosk.store.database import MIGRATIONS
from kiosk.store.queue import QueueFilter, _walk_the_order, count_queue, query_queue

TODAY = date(2026, 11, 25)
# Names given to the first generated consents (the rest keep the generator's names).
NAMES = [
    "José Núñez", "Jose Nunez", "JOSÉ NÚÑEZ", "Ольга Петрова", "ольга иванова", "فاطمة الحسن",
    "محمد فاطمة", "Nguyễn Thị Thảo", "Anne-Marie O'Neill", "anne-marie o'neill", "M", "Mo Li",
    "Zoë Brontë", "Łucja Wójcik", "Größe Jürgen", "Siobhán Ní Bhriain", "D'Angelo Ávila",
    "Ma Ma", "Zhang Wei", "Åsa Østergaard", None,
]  # fmt: skip
SEARCHES = [
    "m", "M", "z", "ó", "o", "a", "n", "ma", "mo", "zo", "zh", "jo", "jos", "josé", "jose nu",
    "núñez josé", "nunez", "ol", "ольга", "Оль", "ф", "فاطمة", "محمد", "nguyen", "thao", "thảo",
    "o'n", "o'neill", "anne-marie", "marie anne", "d'ang", "avila", "bront", "lucja", "łu",
    "gro", "jur", "ni bh", "siobhan", "ost", "asa", "lopez", "maría garc", "garcia lopez",
    "mary smith", "q", "xyz", "%", "'", "-", "--", "----", ".,;", "  ", "", "m m", "ma ma",
]  # fmt: skip
FILTERS = [
    {}, {"outcome": "consented"}, {"outcome": "abandoned"}, {"flag": "needs_doctor"},
    {"flag": "help"}, {"review_state": "void"}, {"review_state": "new"},
    {"outcome": "consented", "flag": "needs_doctor"},
    {"date_from": "2026-10-01"}, {"date_to": "2026-06-30"},
    {"date_from": "2026-11-01", "date_to": "2026-11-20", "outcome": "declined"},
]  # fmt: skip
SORTS = [
    ("finished_at", True), ("finished_at", False), ("patient_name", False),
    ("patient_name", True), ("outcome", True), ("review_state", False),
]  # fmt: skip


def _change(db, sql, params=()):
    with db.atomic():
        db.execute(sql, params)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("queue") / "kiosk.db"
    with open_database(path) as made:
        add_consents(made, 1_600, seed=11, today=TODAY, record_kib=1)  # pages past 1,000 too
    db = open_database(path)
    _shape(db)
    yield db
    db.close()


@pytest.fixture(scope="module")
def everyone(db):
    return _everyone(db)


def _shape(db):
    """Names in many scripts, equal times, a consent with no time at all: written as a
    correction would be, so the name index follows through its triggers."""
    ids = [r[0] for r in db.execute("SELECT document_id FROM consents ORDER BY document_id")]
    for document_id, name in zip(ids, NAMES):
        _change(db, "UPDATE consents SET patient_name = ? WHERE document_id = ?", [name, document_id])
    for document_id in ids[30:36]:  # six Mary Smiths finished at the same moment
        _change(
            db, "UPDATE consents SET finished_at = ?, started_at = ?, patient_name = ?"
            " WHERE document_id = ?",
            ["2026-11-20T10:00:00+00:00", "2026-11-20T09:40:00+00:00", "Mary Smith", document_id],
        )  # fmt: skip
    _change(
        db, "UPDATE consents SET finished_at = NULL, started_at = NULL WHERE document_id = ?",
        [ids[40]],
    )  # fmt: skip


def _fold(text):
    """Lower case without accents: what "ignoring case and accents" means to a nurse."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _found_by(row, search):
    text = unicodedata.normalize("NFC", search).strip()
    typed = [_fold(w) for w in re.findall(r"\w+", text)]
    name_words = re.findall(r"\w+", _fold(row["patient_name"] or ""))
    by_name = bool(typed) and all(any(w.startswith(t) for w in name_words) for t in typed)
    by_id = bool(re.fullmatch(r"[0-9a-f-]{4,36}", text.lower())) and row["document_id"].startswith(text.lower())
    return by_name or by_id


def _everyone(db):
    return list_consents(db, limit=10_000)


def _expected(rows, flt):
    """The queue's rows for ``flt``, by plain Python over every consent (``_everyone``)."""
    time = {r["document_id"]: r["finished_at"] if r["finished_at"] is not None else r["started_at"] for r in rows}
    kept = []
    for r in rows:
        t = time[r["document_id"]]
        if flt.outcome is not None and r["outcome"] != flt.outcome:
            continue
        if flt.review_state is not None and r["review_state"] != flt.review_state:
            continue
        if flt.flag == "needs_doctor" and not r["needs_doctor_count"] > 0:
            continue
        if flt.flag == "help" and r["help_requested"] != 1:
            continue
        if flt.date_from is not None and (t is None or t < flt.date_from):
            continue
        day_after = flt.date_to and (date.fromisoformat(flt.date_to) + timedelta(days=1)).isoformat()
        if flt.date_to is not None and (t is None or t >= day_after):
            continue
        if flt.search is not None and flt.search.strip() and not _found_by(r, flt.search):
            continue
        kept.append(r)

    def nulls_first(value):  # SQLite puts NULL before any value
        return (0, "") if value is None else (1, value)

    ascii_lower = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")  # NOCASE
    kept.sort(key=lambda r: (nulls_first(time[r["document_id"]]), r["document_id"]), reverse=True)
    if flt.sort == "finished_at":
        if not flt.descending:
            kept.reverse()
    else:  # equal values keep the newest first (a stable sort on the sorted list)
        def key(r):
            value = r[flt.sort]
            return nulls_first(value.translate(ascii_lower) if flt.sort == "patient_name" and value else value)

        kept.sort(key=key, reverse=flt.descending)
    return [r["document_id"] for r in kept]


def _found(db, flt, limit=10_000, offset=0):
    return [r["document_id"] for r in query_queue(db, flt, limit=limit, offset=offset)]


@pytest.mark.parametrize("search", SEARCHES)
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "-".join(f.values()) or "all")
def test_search_and_filter_find_what_python_finds(db, everyone, filters, search):
    flt = QueueFilter(search=search, **filters)
    expected = _expected(everyone, flt)
    assert _found(db, flt) == expected
    assert count_queue(db, flt) == len(expected)


@pytest.mark.parametrize("sort, descending", SORTS)
@pytest.mark.parametrize("search", ["m", "jo", "z", "ольга", "a", "mary smith", None])
def test_every_sort_orders_as_python_does(db, everyone, search, sort, descending):
    flt = QueueFilter(search=search, sort=sort, descending=descending)
    assert _found(db, flt) == _expected(everyone, flt)


@pytest.mark.parametrize("search", ["m", "a", "ma", "z", "jo", None])
@pytest.mark.parametrize("descending", [True, False])
def test_pages_put_together_are_the_whole_list(db, everyone, search, descending):
    flt = QueueFilter(search=search, descending=descending)
    expected = _expected(everyone, flt)
    pages = [_found(db, flt, limit=7, offset=offset) for offset in range(0, len(expected) + 7, 7)]
    assert [d for page in pages for d in page] == expected
    assert _found(db, flt, limit=5, offset=len(expected) - 3) == expected[-3:]


@pytest.mark.parametrize("sort, descending", SORTS)
@pytest.mark.parametrize("filters", [{}, {"outcome": "consented"}, {"date_from": "2026-03-01"}], ids=str)
def test_pages_far_down_read_from_the_end_are_the_same_pages(db, everyone, filters, sort, descending):
    flt = QueueFilter(sort=sort, descending=descending, **filters)
    expected = _expected(everyone, flt)
    assert len(expected) > 1_050  # past _FROM_THE_END_AFTER, nearer the end than the start
    for offset in (999, 1_000, 1_001, len(expected) - 50, len(expected) - 1, len(expected), len(expected) + 5):
        assert _found(db, flt, limit=50, offset=offset) == expected[offset : offset + 50]


def test_the_pages_compared_take_both_ways_to_a_search_page(db):
    # The comparisons above only prove both ways right if both are taken.
    assert _walk_the_order(db, QueueFilter(search="m"), 7, 0)
    assert not _walk_the_order(db, QueueFilter(search="m"), 7, 900)
    assert not _walk_the_order(db, QueueFilter(search="ольга"), 50, 0)


@pytest.mark.parametrize("length", [4, 8, 13, 36])
def test_document_id_prefixes_find_what_python_finds(db, everyone, length):
    some = [r["document_id"] for r in everyone[:5]]
    for document_id in some:
        for typed in (document_id[:length], document_id[:length].upper(), f"  {document_id[:length]} "):
            flt = QueueFilter(search=typed)
            assert _found(db, flt) == _expected(everyone, flt) and document_id in _found(db, flt)
            assert count_queue(db, flt) == len(_expected(everyone, flt))


def _old_database(path, consents=300):
    """A database as the previous version (m002) made it, with consents saved, corrected
    and removed through m002's triggers."""
    old = sqlite_utils.Database(path)
    MIGRATIONS.apply(old, stop_before="m003_name_search_in_queue_order")
    add_consents(old, consents, seed=5, today=TODAY, record_kib=1)
    ids = [r[0] for r in old.execute("SELECT document_id FROM consents ORDER BY document_id")]
    for document_id, name in zip(ids, NAMES):
        _change(old, "UPDATE consents SET patient_name = ? WHERE document_id = ?", [name, document_id])
    for document_id in ids[-3:]:
        _change(old, "DELETE FROM answers WHERE document_id = ?", [document_id])
        _change(old, "DELETE FROM help_requests WHERE session_id = ?", [document_id])
        _change(old, "DELETE FROM consents WHERE document_id = ?", [document_id])
    return old


def test_the_migration_keeps_every_search_of_a_database_made_by_m002(tmp_path):
    path = tmp_path / "kiosk.db"
    old = _old_database(path)
    assert [m.name for m in MIGRATIONS.applied(old)][-1] == "m002_nurse_station"
    before = {  # what m002's name index answers, straight from it
        search: sorted(
            d for (d,) in old.execute(
                "SELECT document_id FROM consents_fts WHERE consents_fts MATCH ?",
                [" AND ".join(f'patient_name : "{w}"*' for w in re.findall(r"\w+", search))],
            )
        )
        for search in SEARCHES if re.findall(r"\w+", search)
    }  # fmt: skip
    old.close()
    with open_database(path) as db:
        assert MIGRATIONS.pending(db) == []
        for search, found in before.items():
            assert sorted(_found(db, QueueFilter(search=search))) == found, search
            flt = QueueFilter(search=search)
            assert _found(db, flt) == _expected(_everyone(db), flt) and count_queue(db, flt) == len(found)
        sizes = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("consents", "consents_fts", "consents_fts_queue")]
        assert sizes == [297, 297, 297]


def test_after_the_migration_the_index_follows_new_changed_and_removed_consents(tmp_path):
    path = tmp_path / "kiosk.db"
    _old_database(path, consents=40).close()
    with open_database(path) as db:
        add_consents(db, 20, seed=9, today=TODAY, record_kib=1)
        first = db.execute("SELECT document_id FROM consents WHERE patient_name = 'José Núñez'").fetchone()[0]
        second = db.execute("SELECT max(document_id) FROM consents").fetchone()[0]
        _change(db, "UPDATE consents SET patient_name = 'Ольга Sokolova' WHERE document_id = ?", [first])
        _change(db, "UPDATE consents SET finished_at = '2027-01-01T00:00:00+00:00' WHERE document_id = ?", [second])
        for flt in (QueueFilter(search="ольга"), QueueFilter(search="sok"), QueueFilter(search="m"), QueueFilter()):
            assert _found(db, flt) == _expected(_everyone(db), flt)
        assert _found(db, QueueFilter(search="sokolova")) == [first]
        assert first not in _found(db, QueueFilter(search="josé núñez"))  # the old name is gone
        assert _found(db, QueueFilter(), limit=1) == [second]  # its new time moved it first
        _change(db, "DELETE FROM help_requests WHERE session_id = ?", [first])
        _change(db, "DELETE FROM answers WHERE document_id = ?", [first])
        _change(db, "DELETE FROM consents WHERE document_id = ?", [first])
        assert _found(db, QueueFilter(search="sokolova")) == []
        sizes = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("consents", "consents_fts", "consents_fts_queue")]
        assert sizes == [40 - 3 + 20 - 1] * 3

