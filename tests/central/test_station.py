"""Two nurse stations on one central PostgreSQL database (``kiosk nurse --central``), through
the review functions the nurse pages call: both see both kiosks' consents, search without
accents, act on them (each action a review event with the nurse's account at the station),
and of two countersignatures at the same moment exactly one stands. A real cluster, real
kiosks delivering through the real outbox target, real sealed PDFs."""

from __future__ import annotations

import os
import stat
import threading
from dataclasses import replace

import psycopg
import pytest

from kiosk.central.queue import get_consent
from kiosk.review import ReviewError, actions, consent_detail, history, printing
from kiosk.review import queue as review_queue
from kiosk.review.context import discard_views
from kiosk.review.queue import QueueFilter
from tests.central.conftest import fresh_database
from tests.central.test_station_setup import PAD, PATIENTS, STROKES, Station, deliver_fleet


@pytest.fixture(scope="module")
def fleet(cluster, tmp_path_factory):
    """(dsn, {patient: (document id, kiosk id)}, station A, station B): made once (about 3 s)."""
    root = tmp_path_factory.mktemp("fleet")
    with fresh_database(cluster) as dsn:
        ids = deliver_fleet(root, dsn)
        a = Station(root / "desk-a", dsn, "station:desk-a", "Nora Nurse")
        b = Station(root / "desk-b", dsn, "station:desk-b", "Ben Ode")
        yield dsn, ids, a, b
        a.close()
        b.close()


@pytest.fixture
def central(fleet):
    """A plain connection to the central database, to read what the stations wrote."""
    with psycopg.connect(fleet[0], autocommit=True) as conn:
        yield conn


def _events(conn, document_id, action):
    return conn.execute("SELECT actor, kiosk_id, detail FROM review_events WHERE document_id = %s AND action = %s"
                        " ORDER BY at, received_at", [document_id, action]).fetchall()


def test_both_stations_list_both_kiosks_consents_newest_first_with_the_kiosk(fleet):
    _dsn, ids, a, b = fleet
    for station in (a, b):
        rows = review_queue.queue_rows(station.ctx, QueueFilter(), limit=50, offset=0)
        assert {(r.patient_name, r.kiosk_id) for r in rows} == {(name, kiosk) for kiosk, patients in PATIENTS.items()
                                                               for name, _ in patients}
        assert {r.document_id: r.kiosk_id for r in rows} == {doc: kiosk for doc, kiosk in ids.values()}
        assert [r.time for r in rows] == sorted((r.time for r in rows), reverse=True)
        assert review_queue.queue_count(station.ctx, QueueFilter()) == 6
        page = review_queue.queue_rows(station.ctx, QueueFilter(), limit=2, offset=4)
        assert [r.document_id for r in page] == [r.document_id for r in rows[4:6]]


def test_search_finds_mueller_by_muller_at_both_stations(fleet):
    _dsn, ids, a, b = fleet
    for station in (a, b):
        found = review_queue.queue_rows(station.ctx, QueueFilter(search="muller"), limit=50, offset=0)
        assert [(r.patient_name, r.kiosk_id) for r in found] == [("Hans Müller", "ward-3-kiosk")]
        assert review_queue.queue_count(station.ctx, QueueFilter(search="muller")) == 1
        assert review_queue.queue_count(station.ctx, QueueFilter(search="PEREZ")) == 1


def test_filters_the_central_queue_keeps(fleet):
    ctx = fleet[2].ctx
    declined = review_queue.queue_rows(ctx, QueueFilter(outcome="declined"), limit=50, offset=0)
    assert [r.patient_name for r in declined] == ["Walter Hill"]
    assert review_queue.queue_count(ctx, QueueFilter(date_from="2020-01-01", date_to="2020-01-02")) == 0


def test_two_stations_countersigning_at_the_same_moment_leave_exactly_one(fleet, central, tmp_path):
    dsn, ids, _a, _b = fleet
    document_id = ids["Ann Lee"][0]
    barrier = threading.Barrier(2)
    outcome, stations = {}, {}

    def sign(name, clinician):
        # Each station on its own thread from its start, as two desk computers: its SQLite and
        # its connection are opened there (the review layer's threading rule).
        station = stations[clinician] = Station(tmp_path / name, dsn, f"station:{name}", f"Nurse {name}")
        ctx = station.ctx
        try:
            pending = actions.countersignature_for(ctx, document_id, clinician_name=clinician, role="doctor",
                                                   strokes=STROKES, **PAD)
            pdf = actions.render_countersigned(pending, ctx)
            barrier.wait(timeout=20)  # both stored at the same moment
            outcome[clinician] = actions.store_countersigned(ctx, pending, pdf)
        except Exception as error:  # noqa: BLE001 - anything but a ReviewError fails the test below
            outcome[clinician] = error
        finally:
            station.close()

    threads = [threading.Thread(target=sign, args=("desk-c", "Dr Amal Haddad")),
               threading.Thread(target=sign, args=("desk-d", "Dr Kim Lau"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    refused = {c: o for c, o in outcome.items() if isinstance(o, ReviewError)}
    stood = {c: o for c, o in outcome.items() if not isinstance(o, Exception)}
    assert len(refused) == 1 and len(stood) == 1, outcome
    (winner, detail), (_loser, error) = next(iter(stood.items())), next(iter(refused.items()))
    assert detail.countersigned_by == winner and not detail.can_countersign
    assert f"already countersigned by {winner} at 2026-11-25 15:00." in str(error)
    row = get_consent(central, document_id)
    assert row["countersigned_by"] == winner and row["countersigned_pdf"].startswith(row["pdf"])
    events = _events(central, document_id, "countersigned")
    assert len(events) == 1
    assert events[0][:2] == (stations[winner].ctx.account.actor, stations[winner].link.station_id)


def test_view_and_identity_check_land_centrally_with_the_account_and_the_station(fleet, central):
    _dsn, ids, a, b = fleet
    document_id = ids["Edith Clarke"][0]
    seen = actions.view(a.ctx, document_id)
    assert seen.review_state.code == "seen" and seen.kiosk_id == "ward-3-kiosk"
    checked = actions.check_identity(a.ctx, document_id, "MRN-4411")
    assert checked.mrn == "MRN-4411" and checked.identity_checked_by == "Nora Nurse"
    assert _events(central, document_id, "view_record") == [(a.ctx.account.actor, "station:desk-a", {})]
    assert _events(central, document_id, "identity_checked") == [
        (a.ctx.account.actor, "station:desk-a", {"mrn": "MRN-4411"})]
    row = get_consent(central, document_id)
    assert (row["mrn"], row["identity_checked_by"], row["review_state"]) == (
        "MRN-4411", a.ctx.account.actor, "identity_checked")
    # the other station sees it, and who did it: an account of another computer, with its station
    there = consent_detail(b.ctx, document_id)
    assert there.mrn == "MRN-4411" and there.identity_checked_by == f"{a.ctx.account.actor} at station:desk-a"
    lines = history(b.ctx, document_id)
    assert [line.action for line in lines] == ["view_record", "identity_checked"]
    assert "MRN-4411" in lines[1].text and lines[1].actor.endswith("station:desk-a")
    assert [line.actor for line in history(a.ctx, document_id)] == ["Nora Nurse", "Nora Nurse"]


def test_void_lands_centrally_and_a_second_station_cannot_void_or_countersign_it(fleet, central):
    _dsn, ids, a, b = fleet
    document_id = ids["José Pérez"][0]
    done = actions.void(b.ctx, document_id, "Wrong patient label")
    assert done.void and done.review_state.code == "void"
    assert _events(central, document_id, "voided") == [
        (b.ctx.account.actor, "station:desk-b", {"reason": "Wrong patient label"})]
    row = get_consent(central, document_id)
    assert (row["void"], row["void_reason"], row["voided_by"]) == (True, "Wrong patient label", b.ctx.account.actor)
    with pytest.raises(ReviewError, match="already void"):
        actions.void(a.ctx, document_id, "again")
    with pytest.raises(ReviewError, match="void"):
        actions.countersign(a.ctx, document_id, clinician_name="Dr Kim", role="doctor", strokes=STROKES, **PAD)
    voided = review_queue.queue_rows(a.ctx, QueueFilter(review_state="void"), limit=50, offset=0)
    assert [r.patient_name for r in voided] == ["José Pérez"]


def test_a_print_is_planned_from_the_central_bytes_and_recorded_centrally(fleet, central):
    _dsn, ids, a, _b = fleet
    document_id = ids["Margaret Obrien"][0]
    request = printing.plan_consent_print(a.ctx, document_id, "Ward 5", 2)
    assert request.pdf == get_consent(central, document_id)["pdf"] and request.source is None
    printing.record_print(a.ctx, printing.PrintResult(request, ok=True, job_id="Ward_5-12"))
    assert _events(central, document_id, "print") == [
        (a.ctx.account.actor, "station:desk-a", {"printer": "Ward 5", "copies": 2, "job": "Ward_5-12"})]


def test_the_pdfs_on_screen_are_private_copies_removed_when_the_page_closes(fleet):
    _dsn, ids, a, _b = fleet
    detail = consent_detail(a.ctx, ids["Hans Müller"][0])
    path = detail.pdf_path
    assert path.read_bytes().startswith(b"%PDF") and a.folder in path.parents
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    discard_views(a.ctx)
    assert not path.exists()


def test_a_copy_left_by_a_killed_station_is_removed_by_the_next(fleet):
    _dsn, ids, a, _b = fleet
    left = a.link.views_root / "999999999-gone"
    left.mkdir()
    (left / "x.pdf").write_bytes(b"%PDF-1.7 someone's consent")
    a.link.close()  # the next station start (a new folder) looks for what others left
    consent_detail(a.ctx, ids["Hans Müller"][0])
    assert not left.exists()
    assert os.path.exists(a.link.views_root)


def test_postgresql_down_the_station_says_so_kindly_and_works_again_once_it_is_back(fleet, cluster):
    _dsn, ids, a, _b = fleet
    ctx = replace(a.ctx)  # the same link: it finds its connection cut
    assert review_queue.queue_count(ctx, QueueFilter()) == 6
    cluster.stop()
    try:
        for call in (lambda: review_queue.queue_rows(ctx, QueueFilter(), limit=50, offset=0),
                     lambda: review_queue.queue_count(ctx, QueueFilter()),
                     lambda: actions.view(ctx, ids["Hans Müller"][0])):
            with pytest.raises(ReviewError) as refused:
                call()
            assert "The central database cannot be reached" in str(refused.value)
            assert "kiosks keep saving" in str(refused.value) and "Try again" in str(refused.value)
        assert review_queue.queue_version(ctx) is None
        assert a.link.failed_lately()  # the live poll does not try again for a while
    finally:
        cluster.start()
    assert review_queue.queue_version(ctx) is None  # not yet: the poll's pause
    assert review_queue.queue_count(ctx, QueueFilter()) == 6  # a nurse's read tries at once
    assert not a.link.failed_lately()
    assert review_queue.queue_version(ctx) is not None


def test_kiosk_nurse_central_without_the_setting_says_what_to_set(tmp_path, capsys):
    from kiosk.app import run_nurse_station

    assert run_nurse_station(tmp_path, central=True) == 2
    assert "set central_database (or [central] database) in settings.toml" in capsys.readouterr().err
