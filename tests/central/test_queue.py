"""What nurse stations see at the central database: every kiosk's queue, and search
without accents or case (tests/central/test_countersign.py: what they do)."""

import psycopg
import pytest

from kiosk.central.queue import get_consent, list_queue
from kiosk.central.target import CentralTarget
from tests.central.conftest import fresh_database
from tests.central.items import Kiosk, sha256


def _deliver_all(dsn, kiosk):
    target = CentralTarget(dsn, kiosk_id=kiosk.kiosk_id)
    try:
        for item in kiosk.items():
            target.deliver(item)
    finally:
        target.close()


@pytest.fixture(scope="module")
def shared(cluster, tmp_path_factory):
    """Ward 3 and ward 5, each with two consents at one central database, shared by the tests
    that only read or that countersign different consents: (dsn, ids by patient name)."""
    folder = tmp_path_factory.mktemp("kiosks")
    with fresh_database(cluster) as dsn:
        ward3, ward5 = Kiosk(folder / "ward-3", "ward-3"), Kiosk(folder / "ward-5", "ward-5")
        ids = {
            "Hans Müller": ward3.store("Hans Müller", finished_at="2026-11-25T10:00:00+00:00"),
            "Margaret O'Brien": ward5.store("Margaret O'Brien", finished_at="2026-11-25T11:00:00+00:00"),
            "José López": ward3.store("José López", finished_at="2026-11-25T12:00:00+00:00"),
            "Zoë Mullins": ward5.store("Zoë Mullins", finished_at="2026-11-25T13:00:00+00:00"),
        }
        _deliver_all(dsn, ward3)
        _deliver_all(dsn, ward5)
        ward3.close()
        ward5.close()
        yield dsn, ids


@pytest.fixture
def conn(shared):
    with psycopg.connect(shared[0]) as connection:
        yield connection


@pytest.fixture
def two_kiosks(shared):
    return shared[1]


def _names(rows) -> list[str]:
    return [r["patient_name"] for r in rows]


def test_every_kiosks_consents_newest_first_with_the_kiosk_id(conn, two_kiosks):
    rows = list_queue(conn)
    assert _names(rows) == ["Zoë Mullins", "José López", "Margaret O'Brien", "Hans Müller"]
    assert [r["kiosk_id"] for r in rows] == ["ward-5", "ward-3", "ward-5", "ward-3"]
    assert rows[0]["document_id"] == two_kiosks["Zoë Mullins"]
    assert "pdf" not in rows[0] and "record" not in rows[0]


def test_one_kiosk_and_pages(conn, two_kiosks):
    assert _names(list_queue(conn, kiosk_id="ward-3")) == ["José López", "Hans Müller"]
    assert _names(list_queue(conn, limit=2, offset=1)) == ["José López", "Margaret O'Brien"]
    assert list_queue(conn, kiosk_id="nowhere") == []


@pytest.mark.parametrize("search, found", [
    ("muller", ["Hans Müller"]),
    ("MÜLLER", ["Hans Müller"]),
    ("Marg", ["Margaret O'Brien"]),
    ("o'bri", ["Margaret O'Brien"]),
    ("lopez", ["José López"]),
    ("mull", ["Zoë Mullins", "Hans Müller"]),
    ("zoe", ["Zoë Mullins"]),
    ("ll", ["Zoë Mullins", "Hans Müller"]),
    ("hans müller", ["Hans Müller"]),
    ("1948-03", ["Zoë Mullins", "José López", "Margaret O'Brien", "Hans Müller"]),
    ("%", []),
    ("_", []),
    ("nobody", []),
])
def test_search_ignores_accents_and_case_and_finds_part_of_a_name(conn, two_kiosks, search, found):
    assert _names(list_queue(conn, search=search)) == found


def test_search_by_document_id(conn, two_kiosks):
    document_id = two_kiosks["José López"]
    assert _names(list_queue(conn, search=document_id[:8])) == ["José López"]


def test_get_consent_has_the_pdf(conn, two_kiosks):
    central = get_consent(conn, two_kiosks["Hans Müller"])
    assert central["pdf"].startswith(b"%PDF")
    assert sha256(central["pdf"]) == central["pdf_sha256"]
    assert get_consent(conn, "00000000-0000-0000-0000-000000000000") is None
    assert get_consent(conn, "not a uuid") is None
