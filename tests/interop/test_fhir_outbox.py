"""The outbox and a FHIR server that is down: consents stored meanwhile arrive once it starts,
each exactly once (kiosk.outbox.sender with the real FhirTarget and a real SEKMET server)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.interop.fhir import consent_identifier, identifier_query, tag_query
from kiosk.interop.fhir_target import FhirTarget
from kiosk.outbox.sender import OutboxSender
from tests.interop.conftest import make_fhir_demo
from tests.interop.fhir_server import FhirServer


def test_consents_stored_while_the_server_is_down_arrive_once_it_starts(tmp_path):
    from kiosk.store import open_database
    from kiosk.store import outbox as store

    demo = make_fhir_demo(tmp_path / "kiosk")  # every consent stored (with its outbox entry) now
    server = FhirServer(tmp_path / "server")  # not started: the health record is down
    now = [datetime.now(UTC)]
    target = FhirTarget(server.base_url, timeout=2)
    # The demo's consents are SAMPLEs, which the outbox keeps back from a health record
    # (tests/store/test_outbox.py); here they stand in for real ones, so this target takes them.
    target.sends_samples = True
    sender = OutboxSender(lambda: open_database(demo.data_dir / "kiosk.db"), [target],
                          kiosk_id="ward-3-kiosk", clock=lambda: now[0])
    try:
        assert sender.run_once() == 0
        status = store.target_status(demo.db, "fhir")
        assert status.sent == 0 and status.waiting > len(demo.items) and not status.failed
        assert "cannot be reached" in status.head_error
        assert sender.run_once() == 0  # before the back-off has passed nothing is tried

        with server:
            now[0] += timedelta(minutes=10)
            sent = sender.run_once()
            while (more := sender.run_once()):
                sent += more
            total = demo.db.conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
            assert sent == total
            assert store.target_status(demo.db, "fhir").waiting == 0
            assert sender.run_once() == 0

            # A lost answer: everything is sent again from the first entry; nothing new appears.
            with demo.db.conn:
                demo.db.conn.execute("UPDATE outbox_targets SET sent_through = 0 WHERE target = 'fhir'")
                demo.db.conn.execute("DELETE FROM outbox_deliveries WHERE target = 'fhir'")
            assert sender.run_once() == total

            consents = server.search("Consent", "_lastUpdated=ge2000-01-01")  # every Consent it holds
            assert len(consents) == len(demo.items)
            for item in demo.items:
                assert len(server.search("Consent", identifier_query(consent_identifier(item.document_id)))) == 1
                assert len(server.search("QuestionnaireResponse", tag_query(item.document_id))) == 1
                expected = 1 if item.consent["pdf_path"] else 0
                assert len(server.search("DocumentReference",
                                         identifier_query(consent_identifier(item.document_id)))) == expected
            countersigned = demo.case["countersigned"]
            document = server.search("DocumentReference", identifier_query(consent_identifier(
                countersigned.document_id)))[0]
            assert len(document["content"]) == 2  # the countersignature's event arrived after its consent
    finally:
        sender.stop()
        demo.db.close()

