"""The outbox: an entry with every stored consent and every audit entry, in the same
transaction; a sender that delivers them in order to each target, with retries and back-off,
across restarts. Real SQLite files; the targets here are small in-process receivers (the
real ones, PostgreSQL, FHIR and HL7 v2, have their own tests against real servers)."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.outbox.sender import OutboxSender, backoff
from kiosk.outbox.target import DeliveryError
from kiosk.store import StoreError, archive_consent, open_database
from kiosk.store import outbox as store
from kiosk.store.review import mark_viewed, void_consent
from tests.store.records import PDF, consent_record


class Receiver:
    """A target that keeps what arrives, by event id, and can be down or refuse for good."""

    def __init__(self, name="central"):
        self.name = name
        self.arrived: list[tuple[str, str]] = []  # (kind, event_id) in arrival order
        self.down = False
        self.refuse: set[str] = set()
        self.tries = 0

    def deliver(self, item):
        self.tries += 1
        if self.down:
            raise DeliveryError("connection refused")
        if item.event_id in self.refuse:
            raise DeliveryError("400 Bad Request: the server refused it", permanent=True)
        if (item.kind, item.event_id) not in self.arrived:  # idempotent by event id
            self.arrived.append((item.kind, item.event_id))
        return f"ok {item.event_id}"


class Clock:
    def __init__(self):
        self.now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)

    def __call__(self):
        return self.now

    def skip(self, seconds):
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "kiosk.db"


@pytest.fixture
def db(db_path):
    database = open_database(db_path)
    yield database
    database.close()


def save(db, tmp_path, **changes):
    record = consent_record(document_id=str(uuid.uuid4()), **changes)
    archive_consent(db, tmp_path / "pdfs", record, PDF)
    return record["document_id"]


def entries(db):
    return [(r["kind"], r["document_id"]) for r in db.query("SELECT kind, document_id FROM outbox ORDER BY id")]


def sender(db_path, targets, clock, **kw):
    return OutboxSender(lambda: open_database(db_path), targets, kiosk_id="kiosk-a", clock=clock, **kw)


def test_a_stored_consent_and_each_review_event_add_one_entry(db, tmp_path):
    first = save(db, tmp_path)
    mark_viewed(db, first, nurse="nurse-7", at="2026-12-04T12:01:00+00:00")
    void_consent(db, first, reason="wrong patient", nurse="nurse-7", at="2026-12-04T12:02:00+00:00")
    assert entries(db) == [("consent", first), ("event", first), ("event", first)]
    consent_entry = next(db.query("SELECT * FROM outbox WHERE kind = 'consent'"))
    assert consent_entry["event_id"] == first  # idempotent by the consent's UUID
    events = list(db.query("SELECT event_id, audit_id FROM outbox WHERE kind = 'event'"))
    assert len({e["event_id"] for e in events}) == 2 and all(e["audit_id"] for e in events)


def test_no_entry_without_its_consent_and_no_consent_without_its_entry(db, tmp_path, db_path):
    """The entry is in the consent's transaction: a save that fails leaves neither."""
    blocker = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    blocker.execute("CREATE TRIGGER refuse BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
    blocker.close()
    record = consent_record(document_id=str(uuid.uuid4()))
    with pytest.raises(StoreError):
        archive_consent(db, tmp_path / "pdfs", record, PDF)
    assert db.execute("SELECT count(*) FROM consents").fetchone()[0] == 0
    assert not list((tmp_path / "pdfs").rglob("*.pdf"))  # the PDF it wrote was taken back
    db.execute("DROP TRIGGER refuse")
    archive_consent(db, tmp_path / "pdfs", record, PDF)  # the same save, repeated, works
    assert entries(db) == [("consent", record["document_id"])]


def test_entries_are_delivered_in_order_exactly_once(db, tmp_path, db_path):
    ids = [save(db, tmp_path) for _ in range(3)]
    mark_viewed(db, ids[0], nurse="nurse-7", at="2026-12-04T12:01:00+00:00")
    receiver, clock = Receiver(), Clock()
    out = sender(db_path, [receiver], clock)
    assert out.run_once() == 4
    assert [kind for kind, _ in receiver.arrived] == ["consent", "consent", "consent", "event"]
    assert [event for _, event in receiver.arrived[:3]] == ids
    assert out.run_once() == 0 and receiver.tries == 4  # nothing is sent twice
    status = store.target_status(db, "central")
    assert (status.sent, status.waiting, status.failed) == (4, 0, False)


def test_a_target_that_is_down_is_tried_again_later_and_longer_each_time(db, tmp_path, db_path):
    first = save(db, tmp_path)
    receiver, clock = Receiver(), Clock()
    receiver.down = True
    out = sender(db_path, [receiver], clock)
    assert out.run_once() == 0
    status = store.target_status(db, "central")
    assert status.waiting == 1 and status.head_error == "connection refused" and not status.failed
    assert out.run_once() == 0 and receiver.tries == 1  # not before the back-off
    clock.skip(backoff(1))
    out.run_once()
    assert receiver.tries == 2
    clock.skip(backoff(1))  # the second wait is twice as long
    out.run_once()
    assert receiver.tries == 2
    clock.skip(backoff(2))
    receiver.down = False
    assert out.run_once() == 1
    assert receiver.arrived == [("consent", first)]
    assert [backoff(n) for n in (1, 2, 3, 10, 30)] == [2, 4, 8, 300, 300]


def test_delivery_goes_on_after_a_restart_and_a_crash_before_the_receipt_sends_again(db, tmp_path, db_path):
    ids = [save(db, tmp_path) for _ in range(3)]
    receiver, clock = Receiver(), Clock()

    class CrashAfterSecond(Receiver):
        def deliver(self, item):
            receipt = receiver.deliver(item)
            if len(receiver.arrived) == 2:
                raise SystemExit("the kiosk lost power")  # after the server has it, before it is recorded
            return receipt

    crashing = CrashAfterSecond()
    with pytest.raises(SystemExit):
        sender(db_path, [crashing], clock).run_once()
    assert store.target_status(db, "central").sent == 1
    sender(db_path, [receiver], clock).run_once()  # a new process, a new connection
    assert receiver.arrived == [("consent", i) for i in ids]  # the second arrived once (idempotent)
    assert receiver.tries == 4  # ...though it was sent twice


def test_a_refused_entry_holds_its_target_until_it_is_retried_and_others_go_on(db, tmp_path, db_path):
    ids = [save(db, tmp_path) for _ in range(2)]
    central, fhir, clock = Receiver("central"), Receiver("fhir"), Clock()
    fhir.refuse = {ids[0]}
    out = sender(db_path, [central, fhir], clock)
    out.run_once()
    assert central.arrived == [("consent", i) for i in ids]  # one target's trouble is not the other's
    assert fhir.arrived == []  # the second waits behind the first: order is kept
    status = store.target_status(db, "fhir")
    assert status.failed and "refused" in status.head_error and status.waiting == 2
    assert store.consent_deliveries(db, ids[0], ["central", "fhir"]) == {
        "central": ("sent", None), "fhir": ("failed", "400 Bad Request: the server refused it")}
    clock.skip(3600)
    out.run_once()
    assert fhir.arrived == []  # failed for good: no retry by itself
    fhir.refuse = set()
    assert store.retry_failed(db, "fhir") == 1
    out.run_once()
    assert fhir.arrived == [("consent", i) for i in ids]


def test_the_item_holds_the_row_the_record_the_pdf_and_the_audit_entry(db, tmp_path, db_path):
    first = save(db, tmp_path)
    mark_viewed(db, first, nurse="nurse-7", at="2026-12-04T12:01:00+00:00")
    consent_item = store.load_item(db, 1, kiosk_id="kiosk-a")
    assert consent_item.kind == "consent" and consent_item.kiosk_id == "kiosk-a"
    assert consent_item.record["document_id"] == first and consent_item.pdf_bytes() == PDF
    assert consent_item.consent["patient_name"] == "Margaret O'Brien"
    event_item = store.load_item(db, 2, kiosk_id="kiosk-a")
    assert event_item.event["action"] == "view_record" and event_item.event["actor"] == "nurse-7"
    path = consent_item.consent["pdf_path"]
    with open(path, "r+b") as changed:
        changed.write(b"%PDF-1.4")
    with pytest.raises(DeliveryError) as refused:
        store.load_item(db, 1, kiosk_id="kiosk-a").pdf_bytes()
    assert refused.value.permanent and "does not match" in str(refused.value)


def test_the_background_thread_delivers_and_stops(db, tmp_path, db_path):
    receiver = Receiver()
    out = sender(db_path, [receiver], Clock(), round_seconds=0.05)
    out.start()
    try:
        first = save(db, tmp_path)
        out.wake()
        deadline = datetime.now() + timedelta(seconds=10)
        while not receiver.arrived and datetime.now() < deadline:
            import time

            time.sleep(0.02)
    finally:
        out.stop()
    assert receiver.arrived == [("consent", first)]


def test_a_sample_consent_never_leaves_for_a_health_record_but_goes_as_training_data_where_marked(db, tmp_path, db_path):
    """`kiosk demo` makes SAMPLE consents for training: the central queue and the FHIR record
    never receive them (kept back, and the status says so); a target that marks training data
    as such (HL7 v2, MSH-11 "T") receives them."""
    real = save(db, tmp_path)
    sample = save(db, tmp_path, sample=True)
    mark_viewed(db, sample, nurse="nurse:1", at="2026-12-04T12:01:00+00:00")
    central, hl7 = Receiver("central"), Receiver("hl7")
    hl7.sends_samples = True
    sender(db_path, [central, hl7], Clock()).run_once()
    assert central.arrived == [("consent", real)]  # nor the sample's review event
    assert [kind for kind, _ in hl7.arrived] == ["consent", "consent", "event"]
    status = store.target_status(db, "central")
    assert (status.sent, status.kept_back, status.waiting) == (1, 2, 0)
    assert store.consent_deliveries(db, sample, ["central", "hl7"]) == {
        "central": ("skipped", "a SAMPLE consent (kiosk demo): kept on this computer"), "hl7": ("sent", None)}
