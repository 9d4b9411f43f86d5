"""PostgreSQL stopped for a while: the kiosk goes on saving, and its outbox (the real
sender) brings every consent and event to the central database once, in order."""

from datetime import UTC, datetime, timedelta

import psycopg

from kiosk.central.target import CentralTarget
from kiosk.outbox.sender import OutboxSender
from kiosk.store import open_database
from kiosk.store.outbox import target_status


class SteppedClock:
    """The sender's clock, moved on by the test instead of waiting out the back-off."""

    def __init__(self):
        self.now = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)

    def __call__(self):
        return self.now

    def step(self, seconds: float):
        self.now += timedelta(seconds=seconds)


def test_consents_saved_while_postgresql_is_down_arrive_once_in_order(make_kiosk, dsn, cluster):
    kiosk = make_kiosk("ward-3")
    target = CentralTarget(dsn, kiosk_id="ward-3", connect_timeout=2)
    clock = SteppedClock()
    opened = []  # the sender's own connection (it belongs to the thread that runs it)

    def open_db():
        opened.append(open_database(kiosk.folder / "kiosk.db"))
        return opened[-1]

    sender = OutboxSender(open_db, [target], kiosk_id="ward-3", clock=clock)
    stored = [kiosk.store(f"Before {n}") for n in range(2)]
    assert sender.run_once() == 2

    cluster.stop()
    try:
        stored += [kiosk.store(f"During {n}") for n in range(3)]  # the kiosk does not notice
        kiosk.check_identity(stored[-1])
        assert sender.run_once() == 0
        clock.step(600)
        assert sender.run_once() == 0  # still down: waiting, not failed
        status = target_status(kiosk.db, "central")
        assert (status.waiting, status.failed) == (4, False)
        assert "the central database cannot be reached" in status.head_error
    finally:
        cluster.start()
    clock.step(600)
    assert sender.run_once() == 4  # three consents and the identity check
    assert sender.run_once() == 0
    target.close()
    for db in opened:
        db.close()

    with psycopg.connect(dsn) as conn:
        # received_at is each delivery's transaction time: the order they arrived in
        arrived = [str(r[0]) for r in conn.execute("SELECT document_id FROM consents ORDER BY received_at")]
        assert arrived == stored
        assert conn.execute("SELECT mrn FROM consents WHERE document_id = %s", [stored[-1]]).fetchone() == ("MRN-12345",)
        assert conn.execute("SELECT count(*) FROM review_events").fetchone() == (1,)
