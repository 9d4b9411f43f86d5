"""The central schema on a real PostgreSQL: versioned, idempotent, and guarding the PDFs."""

import hashlib
import threading
import uuid

import psycopg
import pytest

from kiosk.central.schema import migrate, schema_version


def _tables(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]


def test_migrate_makes_the_tables_once(dsn):
    with psycopg.connect(dsn) as conn:
        assert schema_version(conn) == 0
        conn.rollback()
        assert migrate(conn) == [1]
        assert _tables(conn) == ["central_schema", "consents", "kiosks", "review_events"]
        assert migrate(conn) == []
        assert schema_version(conn) == 1
        extensions = {r[0] for r in conn.execute("SELECT extname FROM pg_extension")}
        assert {"unaccent", "pg_trgm"} <= extensions


def test_migrate_commits(dsn):
    with psycopg.connect(dsn) as conn:
        migrate(conn)
    with psycopg.connect(dsn) as other:
        assert schema_version(other) == 1


def test_kiosks_starting_together_migrate_once(dsn):
    """Ten connections migrating at the same moment: the advisory lock lets one do it."""
    barrier, results, errors = threading.Barrier(10), [], []

    def start():
        try:
            with psycopg.connect(dsn) as conn:
                barrier.wait()
                results.append(migrate(conn))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [[]] * 9 + [[1]]


def _insert(conn, pdf: bytes, sha256: str, **extra):
    values = {"document_id": str(uuid.uuid4()), "kiosk_id": "k1", "outcome": "consented",
              "record": "{}", "pdf": pdf, "pdf_sha256": sha256, "pdf_size": None if pdf is None else len(pdf), **extra}
    conn.execute(f"INSERT INTO consents ({', '.join(values)}) VALUES ({', '.join(['%s'] * len(values))})",
                 list(values.values()))


def test_the_database_itself_refuses_a_pdf_that_does_not_match_its_sha256(conn):
    """Whatever writes to it (not only CentralTarget), a PDF must hash to its pdf_sha256."""
    conn.execute("INSERT INTO kiosks (id) VALUES ('k1')")
    pdf = b"%PDF-1.7 consent"
    _insert(conn, pdf, hashlib.sha256(pdf).hexdigest())
    with pytest.raises(psycopg.errors.CheckViolation, match="consents_pdf_matches_its_sha256"):
        _insert(conn, pdf, hashlib.sha256(b"another").hexdigest())


def test_only_an_abandoned_session_has_no_pdf(conn):
    conn.execute("INSERT INTO kiosks (id) VALUES ('k1')")
    _insert(conn, None, None, outcome="abandoned")
    with pytest.raises(psycopg.errors.CheckViolation, match="consents_pdf_unless_abandoned"):
        _insert(conn, None, None)


def test_an_unknown_outcome_is_refused(conn):
    conn.execute("INSERT INTO kiosks (id) VALUES ('k1')")
    pdf = b"%PDF"
    with pytest.raises(psycopg.errors.CheckViolation):
        _insert(conn, pdf, hashlib.sha256(pdf).hexdigest(), outcome="maybe")


def test_search_text_ignores_accents_and_case(conn):
    conn.execute("INSERT INTO kiosks (id) VALUES ('k1')")
    pdf = b"%PDF"
    _insert(conn, pdf, hashlib.sha256(pdf).hexdigest(), patient_name="José MÜLLER-Gómez")
    (text,) = conn.execute("SELECT search_text FROM consents").fetchone()
    assert text.startswith("jose muller-gomez ")
