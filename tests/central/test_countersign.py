"""Countersigning at the central database: once, however many nurse stations try at the
same moment, and never over a countersignature made elsewhere."""

import threading

import psycopg
import pytest

from kiosk.central.queue import AlreadyCountersigned, countersign, get_consent
from kiosk.central.schema import CentralError
from kiosk.central.target import CentralTarget
from kiosk.outbox.target import DeliveryError
from tests.central.items import sha256


@pytest.fixture
def deliver(dsn):
    """deliver(kiosk): every outbox entry of that kiosk sent to the central database."""
    targets = {}

    def send(kiosk):
        target = targets.setdefault(kiosk.kiosk_id, CentralTarget(dsn, kiosk_id=kiosk.kiosk_id))
        for item in kiosk.items():
            target.deliver(item)

    yield send
    for target in targets.values():
        target.close()


@pytest.fixture
def kiosk(make_kiosk):
    return make_kiosk("ward-3")


@pytest.fixture
def document_id(kiosk, deliver):
    """A consent the patient gave, stored at ward 3 and delivered to the central database."""
    consent = kiosk.store("Hans Müller")
    deliver(kiosk)
    return consent


def _countersign(conn, document_id, clinician="Dr Amal Haddad", pdf=b"%PDF countersigned"):
    return countersign(conn, document_id, clinician=clinician, role="radiologist",
                       account_id=f"acct-{clinician.split()[-1].lower()}",
                       at="2026-11-25T15:00:00+00:00", pdf_bytes=pdf)


def test_countersign_stores_it_and_its_audit_entry(conn, document_id):
    assert _countersign(conn, document_id) == sha256(b"%PDF countersigned")
    row = get_consent(conn, document_id)
    assert row["countersigned_pdf"] == b"%PDF countersigned"
    assert (row["countersigned_by"], row["countersigned_account_id"], row["countersigned_where"]) == (
        "Dr Amal Haddad", "acct-haddad", "central")
    assert row["review_state"] == "fully_signed"
    assert conn.execute("SELECT actor, action, kiosk_id FROM review_events WHERE document_id = %s",
                        [document_id]).fetchall() == [("acct-haddad", "countersigned", None)]


def test_a_second_countersignature_is_refused_plainly(conn, document_id):
    _countersign(conn, document_id, "Dr Amal Haddad")
    with pytest.raises(AlreadyCountersigned, match="already countersigned by Dr Amal Haddad at 2026-11-25T15:00:00"):
        _countersign(conn, document_id, "Dr Ben Okafor", b"%PDF other")
    assert get_consent(conn, document_id)["countersigned_pdf"] == b"%PDF countersigned"


def test_two_stations_at_the_same_moment_leave_one_countersignature(dsn, conn, document_id):
    """Two nurse stations (two connections, two threads) press Countersign together."""
    barrier = threading.Barrier(2)
    outcomes = {}

    def station(clinician):
        with psycopg.connect(dsn) as own:
            barrier.wait()
            try:
                _countersign(own, document_id, clinician, f"%PDF by {clinician}".encode())
                outcomes[clinician] = "signed"
            except AlreadyCountersigned as refusal:
                outcomes[clinician] = str(refusal)

    threads = [threading.Thread(target=station, args=(name,)) for name in ("Dr Amal Haddad", "Dr Ben Okafor")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winner = [name for name, outcome in outcomes.items() if outcome == "signed"]
    assert len(winner) == 1 and len(outcomes) == 2
    (refusal,) = [o for o in outcomes.values() if o != "signed"]
    assert f"already countersigned by {winner[0]} at 2026-11-25T15:00:00" in refusal
    row = get_consent(conn, document_id)
    assert row["countersigned_by"] == winner[0]
    assert row["countersigned_pdf"] == f"%PDF by {winner[0]}".encode()
    assert conn.execute("SELECT count(*) FROM review_events WHERE action = 'countersigned'").fetchone()[0] == 1


def test_a_kiosk_countersignature_after_a_central_one_is_recorded_not_applied(conn, kiosk, document_id, dsn):
    _countersign(conn, document_id, "Dr Amal Haddad")
    kiosk.countersign(document_id, "Dr Ben Okafor")  # meanwhile, on the kiosk's own station
    target = CentralTarget(dsn, kiosk_id="ward-3")
    try:
        with pytest.raises(DeliveryError, match="already countersigned by Dr Amal Haddad") as refused:
            target.deliver(kiosk.items()[-1])
        assert refused.value.permanent is True
    finally:
        target.close()
    conn.rollback()
    assert get_consent(conn, document_id)["countersigned_by"] == "Dr Amal Haddad"
    actors = conn.execute("SELECT actor FROM review_events ORDER BY received_at").fetchall()
    assert actors == [("acct-haddad",), ("nurse-7",)]


@pytest.mark.parametrize("outcome", ["declined", "questions"])
def test_only_a_given_consent_can_be_countersigned(conn, kiosk, deliver, outcome):
    document_id = kiosk.store(outcome=outcome)
    deliver(kiosk)
    with pytest.raises(CentralError, match=f"was not given \\(the patient chose '{outcome}'\\)"):
        _countersign(conn, document_id)
    with pytest.raises(CentralError, match="There is no consent"):
        _countersign(conn, "00000000-0000-0000-0000-000000000000")


def test_a_void_consent_cannot_be_countersigned(conn, kiosk, document_id, dsn):
    from kiosk.store.review import void_consent

    void_consent(kiosk.db, document_id, reason="wrong patient", nurse="nurse-7", at="2026-11-25T14:55:00+00:00")
    target = CentralTarget(dsn, kiosk_id="ward-3")
    try:
        target.deliver(kiosk.items()[-1])
    finally:
        target.close()
    with pytest.raises(CentralError, match="is void"):
        _countersign(conn, document_id)


def test_a_countersignature_needs_its_pdf_and_names(conn, document_id):
    with pytest.raises(CentralError, match="empty"):
        _countersign(conn, document_id, pdf=b"")
    with pytest.raises(CentralError, match="account id"):
        countersign(conn, document_id, clinician="Dr A", role="r", account_id=" ", at="2026-11-25T15:00:00Z",
                    pdf_bytes=b"%PDF")
    assert get_consent(conn, document_id)["countersigned_at"] is None
