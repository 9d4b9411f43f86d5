"""CentralTarget against a real PostgreSQL: consents and review events from a real kiosk."""

import dataclasses
from pathlib import Path

import psycopg
import pytest

from kiosk.central.queue import get_consent
from kiosk.central.target import CentralTarget
from kiosk.outbox.target import DeliveryError
from tests.central.items import sha256


@pytest.fixture
def kiosk(make_kiosk):
    return make_kiosk("ward-3")


@pytest.fixture
def target(dsn):
    t = CentralTarget(dsn, kiosk_id="ward-3", connect_timeout=2)
    yield t
    t.close()


def _count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_consent_arrives_with_its_pdf_and_sha256(kiosk, target, conn):
    document_id = kiosk.store("Hans Müller")
    row = kiosk.row(document_id)
    pdf = Path(row["pdf_path"]).read_bytes()

    assert target.deliver(kiosk.consent_item(document_id)) == f"consent {document_id} stored"

    central = get_consent(conn, document_id)
    assert central["pdf"] == pdf
    assert central["pdf_sha256"] == row["pdf_sha256"] == sha256(pdf)
    assert central["pdf_size"] == len(pdf)
    assert central["kiosk_id"] == "ward-3"
    assert central["patient_name"] == "Hans Müller"
    assert central["record"]["document_id"] == document_id
    assert central["record"]["answers"][2]["status"] == "needs_doctor"
    assert central["flags"] == ["needs_doctor:q_rest", "help_requested"]
    assert central["needs_doctor_count"] == row["needs_doctor_count"] == 1
    assert central["help_requested"] is True
    assert central["outcome"] == "consented"


def test_delivered_twice_is_one_row(kiosk, target, conn):
    item = kiosk.consent_item(kiosk.store())
    target.deliver(item)
    assert target.deliver(item) == f"consent {item.document_id} was already there"
    another = CentralTarget(target.dsn, kiosk_id="ward-3")  # the kiosk restarted meanwhile
    try:
        assert another.deliver(item).endswith("already there")
    finally:
        another.close()
    assert _count(conn, "consents") == 1


def test_a_pdf_changed_on_the_kiosk_is_refused_for_good_and_stores_nothing(kiosk, target, conn):
    item = kiosk.consent_item(kiosk.store())
    Path(item.consent["pdf_path"]).write_bytes(b"%PDF-1.7 not the signed one")
    with pytest.raises(DeliveryError) as refused:
        target.deliver(item)
    assert refused.value.permanent is True
    assert "SHA-256" in str(refused.value)
    assert _count(conn, "consents") == 0


@pytest.mark.parametrize("change", [
    {"pdf_sha256": None},  # the outbox only checks a SHA-256 that is there; the target refuses none
    {"pdf_sha256": "0" * 64},
    {"pdf_size": 1},
    {"finished_at": "yesterday-ish"},  # refused by PostgreSQL itself (a timestamptz)
])
def test_a_row_that_does_not_hold_together_is_refused_for_good(kiosk, target, conn, change):
    item = kiosk.consent_item(kiosk.store())
    item = dataclasses.replace(item, consent={**item.consent, **change})
    with pytest.raises(DeliveryError) as refused:
        target.deliver(item)
    assert refused.value.permanent is True
    assert _count(conn, "consents") == 0
    target.deliver(kiosk.consent_item(kiosk.store()))  # the connection is still good
    assert _count(conn, "consents") == 1


def test_an_item_of_another_kiosk_is_refused(make_kiosk, target):
    other = make_kiosk("ward-9")
    with pytest.raises(DeliveryError) as refused:
        target.deliver(other.consent_item(other.store()))
    assert refused.value.permanent is True


def test_review_events_reach_the_consent_row_once(kiosk, target, conn):
    document_id = kiosk.store("Margaret O'Brien")
    kiosk.check_identity(document_id, "MRN-777")
    countersigned = kiosk.countersign(document_id, "Dr Amal Haddad")
    items = kiosk.items()
    assert [i.kind for i in items] == ["consent", "event", "event"]

    receipts = [target.deliver(item) for item in items]
    assert receipts[1] == f"event {items[1].event_id} stored"
    assert [target.deliver(item) for item in items[1:]] == [
        f"event {i.event_id} was already there" for i in items[1:]]

    central = get_consent(conn, document_id)
    assert central["mrn"] == "MRN-777"
    assert central["identity_checked_by"] == "nurse-7"
    assert central["countersigned_pdf"] == countersigned
    assert central["countersigned_pdf_sha256"] == sha256(countersigned)
    assert central["countersigned_by"] == "Dr Amal Haddad"
    assert central["countersigned_where"] == "kiosk ward-3"
    assert central["review_state"] == "fully_signed"
    events = conn.execute("SELECT action, actor, kiosk_id, audit_id FROM review_events ORDER BY audit_id").fetchall()
    assert events == [("identity_checked", "nurse-7", "ward-3", items[1].event["id"]),
                      ("countersigned", "nurse-7", "ward-3", items[2].event["id"])]


def test_an_event_first_brings_its_consent(kiosk, target, conn):
    """An event whose consent is not there yet (its entry was sent to an empty database
    restored from an old backup, say) stores the consent first."""
    document_id = kiosk.store()
    kiosk.check_identity(document_id)
    target.deliver(kiosk.items()[-1])
    central = get_consent(conn, document_id)
    assert central["pdf_sha256"] == kiosk.row(document_id)["pdf_sha256"]
    assert central["mrn"] == "MRN-12345"


def test_postgresql_down_is_not_permanent_and_the_target_reconnects(kiosk, target, conn, cluster):
    first, second = kiosk.consent_item(kiosk.store()), kiosk.consent_item(kiosk.store())
    target.deliver(first)  # the target now holds an open connection
    conn.close()
    cluster.stop()
    try:
        with pytest.raises(DeliveryError) as down:
            target.deliver(second)
        assert down.value.permanent is False
        with pytest.raises(DeliveryError) as still_down:  # a new connection cannot be made either
            target.deliver(second)
        assert still_down.value.permanent is False
        assert "cannot be reached" in str(still_down.value)
    finally:
        cluster.start()
    assert target.deliver(second) == f"consent {second.document_id} stored"
    with psycopg.connect(target.dsn) as again:
        assert _count(again, "consents") == 2


def test_a_server_that_never_answers_fails_fast(kiosk):
    target = CentralTarget("postgresql://kiosk@127.0.0.1:1/postgres", kiosk_id="ward-3", connect_timeout=2)
    with pytest.raises(DeliveryError) as down:
        target.deliver(kiosk.consent_item(kiosk.store()))
    assert down.value.permanent is False
