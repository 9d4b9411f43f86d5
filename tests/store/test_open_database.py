"""open_database: folders, pragmas, migrations, and refusing damaged files."""

import os
import sqlite3

import pytest

from kiosk.store import StoreError, open_database
from kiosk.store.database import MIGRATIONS


def _schema(db):
    return sorted(
        (r["name"], r["sql"]) for r in db.query("SELECT name, sql FROM sqlite_master")
    )


def test_creates_missing_parent_folders(tmp_path):
    path = tmp_path / "a" / "b" / "kiosk.db"
    open_database(path).close()
    assert path.is_file()


@pytest.mark.parametrize(
    "table", ["consents", "answers", "help_requests", "nurses", "audit_log", "consents_fts"]
)
def test_migrations_create_tables(fresh_db, table):
    assert fresh_db[table].exists()


def test_migrations_are_recorded(fresh_db):
    assert [m.name for m in MIGRATIONS.applied(fresh_db)] == [
        "m001_consents_answers_help_requests",
        "m002_nurse_station",
        "m003_name_search_in_queue_order",
        "m004_outbox",
    ]
    assert MIGRATIONS.pending(fresh_db) == []


def test_reopening_applies_nothing_again(tmp_path):
    path = tmp_path / "kiosk.db"
    with open_database(path) as db:
        schema, applied = _schema(db), MIGRATIONS.applied(db)
    with open_database(path) as db:
        assert _schema(db) == schema
        assert MIGRATIONS.applied(db) == applied


@pytest.mark.parametrize(
    "pragma, expected",
    [("journal_mode", "wal"), ("synchronous", 2), ("foreign_keys", 1)],
)
def test_connection_settings(fresh_db, pragma, expected):
    assert fresh_db.execute(f"PRAGMA {pragma}").fetchone()[0] == expected


@pytest.mark.parametrize(
    "table, columns",
    [
        ("consents", ["finished_at"]),
        ("consents", ["outcome"]),
        ("consents", ["review_state"]),
        ("consents", ["patient_name"]),
        ("answers", ["question_id"]),
    ],
)
def test_indexes(fresh_db, table, columns):
    assert columns in [index.columns for index in fresh_db[table].indexes]


def test_review_state_defaults_to_new(fresh_db):
    assert fresh_db["consents"].columns_dict["review_state"] is str
    default = next(
        c.default_value
        for c in fresh_db["consents"].columns
        if c.name == "review_state"
    )
    assert default == "'new'"


def test_foreign_keys_are_enforced(fresh_db):
    with pytest.raises(sqlite3.IntegrityError):
        fresh_db.execute(
            "INSERT INTO answers (document_id, position, attempts) VALUES ('nobody', 0, 1)"
        )


def _random_bytes(path):
    path.write_bytes(os.urandom(8192))


def _damaged_page(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 50)
    conn.close()
    data = bytearray(path.read_bytes())
    data[4096 : 4096 + 1024] = os.urandom(1024)  # the second page
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage", [_random_bytes, _damaged_page], ids=["random bytes", "damaged page"]
)
def test_damaged_file_is_refused_and_left_untouched(tmp_path, damage):
    path = tmp_path / "kiosk.db"
    damage(path)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="kiosk.db") as caught:
        open_database(path)
    assert "restore it from a backup" in str(caught.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiosk.db"]


def test_random_bytes_error_keeps_the_cause(tmp_path):
    path = tmp_path / "kiosk.db"
    _random_bytes(path)
    with pytest.raises(StoreError) as caught:
        open_database(path)
    assert isinstance(caught.value.__cause__, sqlite3.DatabaseError)


def test_folder_instead_of_file_is_refused(tmp_path):
    (tmp_path / "kiosk.db").mkdir()
    with pytest.raises(StoreError, match="is not a file"):
        open_database(tmp_path / "kiosk.db")


def test_parent_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    with pytest.raises(
        StoreError, match="cannot be written to: Not a directory"
    ) as caught:
        open_database(tmp_path / "afile" / "kiosk.db")
    assert isinstance(caught.value.__cause__, OSError)


def test_database_from_a_newer_kiosk_is_refused(tmp_path):
    path = tmp_path / "kiosk.db"
    with open_database(path) as db:
        db["_sqlite_migrations"].insert(
            {
                "migration_set": "kiosk_store",
                "name": "m999_future",
                "applied_at": "2030-01-01",
            }
        )
    with pytest.raises(StoreError, match="newer version"):
        open_database(path)


def test_a_new_database_opened_by_several_at_once_is_never_seen_empty(tmp_path):
    """The kiosk's first save, its outbox sender and a nurse station may all open a database
    that does not exist yet at the same moment: each gets the one database, none a 0-byte
    file it refuses as damaged (kiosk.store.database._create_whole)."""
    import threading

    failures = []
    for attempt in range(15):
        path = tmp_path / f"try-{attempt}" / "kiosk.db"
        barrier = threading.Barrier(6)

        def open_it():
            barrier.wait()
            try:
                db = open_database(path)
                db.execute("SELECT count(*) FROM consents").fetchone()
                db.close()
            except Exception as error:  # noqa: BLE001 - collected and shown
                failures.append(str(error))

        threads = [threading.Thread(target=open_it) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(p.name for p in path.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))) == ["kiosk.db"]
    assert failures == []
