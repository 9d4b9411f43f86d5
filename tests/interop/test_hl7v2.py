"""HL7 v2 MDM over MLLP: real consents (sealed PDFs made and stored by the kiosk's own code in
a real SQLite database), their outbox entries as the sender loads them, sent to a real MLLP
listener on loopback (tests/interop/mllp_listener.py) and parsed back with hl7apy."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import time
from pathlib import Path

import pytest
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message

from kiosk.content import load_pack
from kiosk.finalise import prepare_consent, prepare_countersignature, save_consent
from kiosk.flow import build_record
from kiosk.interop.hl7v2 import control_id, countersigned_document_number, escape, mdm_t02, unescape
from kiosk.interop.mllp import Hl7Target, MllpError, read_ack, send
from kiosk.outbox.target import DeliveryError, OutboxItem
from kiosk.seal_key import load_seal_signer
from kiosk.settings import Settings
from kiosk.store import archive_consent, get_consent, open_database
from kiosk.store.outbox import load_item
from kiosk.store.review import add_countersignature, set_identity_checked
from tests.flow.sample import complete_session, handwriting
from tests.interop.mllp_listener import MllpListener

PACK = load_pack("en")
SETTINGS = Settings(hospital_name="St Elsewhere Hospital", time_zone="UTC")
DELIMITED = "Ann O'Brien^|&~\\"  # every HL7 v2 delimiter in one name
TOLERANT = VALIDATION_LEVEL.TOLERANT


class Archive:
    """A kiosk's data folder with real consents, and their outbox entries as OutboxItems."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.db = open_database(folder / "kiosk.db")
        self.signer = load_seal_signer(folder, SETTINGS)
        self.ids: dict[str, str] = {}

    def store(self, key: str, name: str, outcome: str = "consented", **walk) -> str:
        abandoned = outcome == "abandoned"
        session = complete_session(PACK, name=name, outcome="consented" if abandoned else outcome,
                                   seed=len(self.ids), **walk)
        pending = prepare_consent(session, PACK, SETTINGS, signer=self.signer,
                                  outcome="abandoned" if abandoned else None)
        self.ids[key] = save_consent(self.db, SETTINGS.consents_path(self.folder), pending).document_id
        return self.ids[key]

    def store_large(self, key: str, size: int) -> str:
        """A consent whose stored PDF is `size` bytes: the kiosk's own PDF with incompressible
        bytes after it (in a PDF comment), stored by archive_consent."""
        record = build_record(complete_session(PACK, name="Large Pdf", seed=99), PACK, time_zone="UTC")
        from kiosk.documents import render_consent_pdf

        pdf = render_consent_pdf(record, hospital_name=SETTINGS.hospital_name)
        pdf += b"\n%" + base64.b64encode(os.urandom(size))[: size - len(pdf) - 2]
        archive_consent(self.db, SETTINGS.consents_path(self.folder), record, pdf)
        self.ids[key] = record["document_id"]
        return self.ids[key]

    def countersign(self, key: str) -> None:
        document_id = self.ids[key]
        at = "2026-11-25T15:00:00+00:00"
        set_identity_checked(self.db, document_id, mrn="MRN-12345", nurse="nurse-7", at="2026-11-25T14:50:00+00:00")
        signature = {"clinician_name": "Dr Amal Haddad", "role": "Radiologist", "signed_at": at,
                     "width": 600.0, "height": 200.0, "mrn": "MRN-12345",
                     "strokes": [[[round(x, 2), round(y, 2)] for x, y in s] for s in handwriting(600.0, 200.0)]}
        pdf = prepare_countersignature(get_consent(self.db, document_id), signature, SETTINGS, self.folder,
                                       labels=PACK.pdf_labels, signer=self.signer)
        add_countersignature(self.db, SETTINGS.consents_path(self.folder), document_id,
                             clinician_name="Dr Amal Haddad", role="Radiologist", signed_at=at,
                             countersignature=signature, pdf_bytes=pdf, nurse="nurse-7")

    def items(self, key: str) -> list[OutboxItem]:
        """The outbox entries of consent `key`, in order, as the sender loads them."""
        rows = self.db.query("SELECT id FROM outbox WHERE document_id = ? ORDER BY id", [self.ids[key]])
        return [load_item(self.db, row["id"], kiosk_id="ward-3-kiosk") for row in rows]

    def consent_item(self, key: str) -> OutboxItem:
        return next(item for item in self.items(key) if item.kind == "consent")

    def event_item(self, key: str, action: str) -> OutboxItem:
        return next(item for item in self.items(key) if item.kind == "event" and item.event["action"] == action)

    def row(self, key: str) -> dict:
        return get_consent(self.db, self.ids[key])


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Made once (sealing and rendering take a few seconds): one consent of each outcome, one
    countersigned after its identity check, one with every HL7 delimiter in its name, and
    one with a 2 MB PDF."""
    archive = Archive(tmp_path_factory.mktemp("hl7") / "data")
    archive.store("consented", "Margaret O'Brien")
    archive.store("questions", "José Pérez", "questions")
    archive.store("declined", "Edith Clarke", "declined")
    archive.store("abandoned", "Walter Away", "abandoned", abandon_at="info.risks_leak")
    archive.store("delimited", DELIMITED)
    archive.store("countersigned", "Grace Hopper")
    archive.countersign("countersigned")
    archive.store_large("large", 2 * 1024 * 1024)
    yield archive
    archive.db.close()


@pytest.fixture
def listener():
    with MllpListener() as running:
        yield running


def segments(message: str) -> dict[str, list[str]]:
    """{segment id: its fields}, each field as sent (still escaped)."""
    found = {}
    for line in message.split("\r"):
        if line:
            fields = line.split("|")
            found[fields[0]] = fields
    return found


def field(parsed, path: str) -> str:
    """A field of a message parsed back with hl7apy, as ER7 text (e.g. "pid.pid_5")."""
    element = parsed
    for name in path.split("."):
        element = getattr(element, name)
    return element.to_er7()


def ed_data(obx5: str) -> bytes:
    source, kind, subtype, encoding, data = obx5.split("^")
    assert (source, kind, subtype, encoding) == ("", "application", "pdf", "Base64")
    return base64.b64decode(data, validate=True)


def test_a_stored_consent_reaches_the_listener_with_its_pdf_byte_for_byte(archive, listener):
    item = archive.consent_item("consented")
    row = archive.row("consented")
    receipt = Hl7Target("127.0.0.1", listener.port, sending_facility="ST ELSEWHERE").deliver(item)

    assert len(listener.messages) == 1
    message = listener.messages[0]
    parsed = parse_message(message, validation_level=TOLERANT, find_groups=True)
    assert field(parsed, "msh.msh_9") == "MDM^T02^MDM_T02"
    assert field(parsed, "msh.msh_10") == control_id(row["document_id"])
    assert receipt == "ACK-" + control_id(row["document_id"]), "the receipt is the ACK's control id"
    assert field(parsed, "msh.msh_4") == "ST ELSEWHERE"
    assert field(parsed, "msh.msh_18") == "UNICODE UTF-8"
    assert field(parsed, "pid.pid_5") == "O'Brien^Margaret"
    assert field(parsed, "pid.pid_7") == "19480307" == row["patient_dob"].replace("-", "")
    assert field(parsed, "pid.pid_3") == f"{row['document_id']}^^^KIOSK^U", "no MRN before the identity check"
    assert field(parsed, "txa.txa_2") == "CONSENT"
    assert field(parsed, "txa.txa_12") == row["document_id"]
    assert field(parsed, "txa.txa_17") == "AU"
    obx = parsed.mdm_t02_observation.obx
    assert field(obx, "obx_2") == "ED"
    pdf = ed_data(field(obx, "obx_5"))
    stored = Path(row["pdf_path"]).read_bytes()
    assert pdf == stored
    assert hashlib.sha256(pdf).hexdigest() == row["pdf_sha256"]
    assert pdf.startswith(b"%PDF-")


def test_every_segment_but_the_obx_passes_strict_validation(archive):
    message = mdm_t02(archive.consent_item("consented"))
    without_obx = "\r".join(line for line in message.split("\r") if not line.startswith("OBX"))
    parse_message(without_obx, validation_level=VALIDATION_LEVEL.STRICT)  # raises if not valid


@pytest.mark.parametrize(("key", "status"), [("consented", "AU"), ("questions", "IP"), ("declined", "DO")])
def test_the_document_status_follows_the_outcome(archive, key, status):
    assert segments(mdm_t02(archive.consent_item(key)))["TXA"][17] == status


def test_an_abandoned_session_and_review_events_other_than_countersigning_send_nothing(archive, listener):
    target = Hl7Target("127.0.0.1", listener.port)
    assert target.deliver(archive.consent_item("abandoned")) is None
    assert target.deliver(archive.event_item("countersigned", "identity_checked")) is None
    assert listener.messages == []


def test_a_countersignature_is_sent_as_a_replacement_t10_with_the_countersigned_pdf(archive, listener):
    item = archive.event_item("countersigned", "countersigned")
    row = archive.row("countersigned")
    receipt = Hl7Target("127.0.0.1", listener.port, receiving_facility="ST ELSEWHERE").deliver(item)

    assert receipt == "ACK-" + control_id(item.event_id)
    parsed = parse_message(listener.messages[0], validation_level=TOLERANT, find_groups=True)
    assert field(parsed, "msh.msh_9") == "MDM^T10^MDM_T02"
    assert field(parsed, "evn.evn_1") == "T10"
    assert field(parsed, "pid.pid_3") == "MRN-12345^^^ST ELSEWHERE^MR", "the checked MRN, once there is one"
    assert field(parsed, "txa.txa_12") == countersigned_document_number(row["document_id"])
    assert field(parsed, "txa.txa_13") == row["document_id"], "it replaces the patient's original"
    assert field(parsed, "txa.txa_17") == "LA"
    assert field(parsed, "txa.txa_22") == "^Haddad^Dr Amal^^^^^^^^^^^^20261125150000+0000"
    pdf = ed_data(field(parsed.mdm_t02_observation.obx, "obx_5"))
    assert hashlib.sha256(pdf).hexdigest() == row["countersigned_pdf_sha256"]
    assert pdf.startswith(Path(row["pdf_path"]).read_bytes()), "the original is a prefix of its countersigned PDF"
    assert pdf != Path(row["pdf_path"]).read_bytes()


def test_a_void_cancels_the_filed_document_with_a_t11(archive, listener):
    """A consent voided at the nurse station (say, filed against the wrong patient) is
    cancelled in the record: MDM^T11, no PDF, TXA-12 the document filed, TXA-19 CA."""
    from kiosk.store.review import void_consent

    document_id = archive.ids["declined"]
    void_consent(archive.db, document_id, reason="wrong patient", nurse="nurse:1", at="2026-11-25T16:00:00+00:00")
    item = archive.event_item("declined", "voided")
    receipt = Hl7Target("127.0.0.1", listener.port).deliver(item)
    assert receipt == "ACK-" + control_id(item.event_id)
    [message] = listener.messages
    parsed = parse_message(message, validation_level=TOLERANT, find_groups=True)
    assert field(parsed, "msh.msh_9") == "MDM^T11^MDM_T01" and field(parsed, "evn.evn_1") == "T11"
    assert field(parsed, "txa.txa_12") == document_id and field(parsed, "txa.txa_19") == "CA"
    assert "OBX" not in segments(message) and "application^pdf" not in message  # nothing of the PDF


def test_a_name_with_every_hl7_delimiter_survives_the_round_trip(archive, listener):
    row = archive.row("delimited")
    assert row["patient_name"] == DELIMITED
    Hl7Target("127.0.0.1", listener.port).deliver(archive.consent_item("delimited"))
    message = listener.messages[0]

    assert [line[:3] for line in message.split("\r") if line] == ["MSH", "EVN", "PID", "PV1", "TXA", "OBX"]
    pid = segments(message)["PID"]
    assert len(pid) == 8 and pid[7] == "19480307", "the name did not add or split fields"
    parsed = parse_message(message, validation_level=TOLERANT, find_groups=True)
    name = parsed.pid.pid_5
    family, given = unescape(name.xpn_1.to_er7()), unescape(name.xpn_2.to_er7())
    assert f"{given} {family}" == DELIMITED
    assert ed_data(field(parsed.mdm_t02_observation.obx, "obx_5")) == Path(row["pdf_path"]).read_bytes()


@pytest.mark.parametrize("text", ["O'Brien^|&~\\", "a\\F\\b", "line\rbreak\nhere", "\\", "plain", "", "\\\\X0D\\"])
def test_escape_and_unescape_are_inverse(text):
    escaped = escape(text)
    assert not set(escaped) & set("|^&~\r\n")
    assert unescape(escaped) == text


def test_a_2_mb_pdf_arrives_whole(archive, listener):
    row = archive.row("large")
    assert row["pdf_size"] == 2 * 1024 * 1024
    started = time.perf_counter()
    Hl7Target("127.0.0.1", listener.port).deliver(archive.consent_item("large"))
    took = time.perf_counter() - started

    obx5 = segments(listener.messages[0])["OBX"][5]
    pdf = ed_data(obx5)
    assert len(pdf) == row["pdf_size"]
    assert hashlib.sha256(pdf).hexdigest() == row["pdf_sha256"]
    print(f"2 MB PDF: message of {len(listener.messages[0]) / 1e6:.1f} MB built, sent and acknowledged in {took * 1000:.0f} ms")


def test_sending_twice_sends_the_same_message_so_the_receiver_can_drop_the_copy(archive, listener):
    target = Hl7Target("127.0.0.1", listener.port)
    item = archive.consent_item("questions")
    first, second = target.deliver(item), target.deliver(archive.consent_item("questions"))

    assert first == second
    one, two = (segments(message) for message in listener.messages)
    assert one["MSH"][9] == two["MSH"][9] and one["TXA"][12] == two["TXA"][12] == item.document_id
    assert listener.messages[0] == listener.messages[1]


@pytest.mark.parametrize(("code", "permanent", "words"), [
    ("AE", True, "found an error in it (AE)"),
    ("AR", False, "rejected it (AR)"),
    ("CE", False, "could not take it now (CE)"),
    ("CR", False, "does not take this kind of message (CR)"),
])
def test_a_negative_acknowledgment_is_a_delivery_error(archive, listener, code, permanent, words):
    listener.answer = code
    listener.text = "Patient \\T\\ visit unknown"
    item = archive.consent_item("declined")
    with pytest.raises(DeliveryError) as raised:
        Hl7Target("127.0.0.1", listener.port).deliver(item)
    assert raised.value.permanent is permanent
    message = str(raised.value)
    assert item.document_id in message and words in message
    assert message.endswith(": Patient & visit unknown"), "the receiver's own words, unescaped"
    assert len(listener.messages) == 1


def test_a_commit_accept_is_delivered(archive, listener):
    listener.answer = "CA"
    item = archive.consent_item("declined")
    assert Hl7Target("127.0.0.1", listener.port).deliver(item) == "ACK-" + control_id(item.event_id)


def test_an_acknowledgment_of_another_message_is_retried(archive, listener):
    listener.answer = "wrong id"
    with pytest.raises(DeliveryError, match="acknowledged message 'SOMEONE-ELSES-ID', not the one sent") as raised:
        Hl7Target("127.0.0.1", listener.port).deliver(archive.consent_item("declined"))
    assert raised.value.permanent is False


@pytest.mark.parametrize(("answer", "words"), [
    ("this is not HL7", "not an HL7 acknowledgment"),
    ("MSH|^~\\&|LISTENER||KIOSK||20261125150000||ACK^T02^ACK|ACK-1|P|2.5", "without an acknowledgment code"),
    ("MSH|^~\\&|LISTENER||KIOSK||20261125150000||ACK^T02^ACK|ACK-1|P|2.5\rMSA|ZZ|ABC", "unknown acknowledgment code 'ZZ'"),
])
def test_an_answer_that_is_not_an_acknowledgment_is_retried(answer, words):
    with pytest.raises(DeliveryError, match=words) as raised:
        read_ack(answer, "ABC")
    assert raised.value.permanent is False


def test_a_listener_that_closes_without_answering_is_retried(archive, listener):
    listener.answer = "none"
    with pytest.raises(DeliveryError, match="closed the connection without an acknowledgment") as raised:
        Hl7Target("127.0.0.1", listener.port).deliver(archive.consent_item("declined"))
    assert raised.value.permanent is False
    assert len(listener.messages) == 1


def test_a_listener_that_never_answers_times_out_and_is_retried(archive, listener):
    listener.answer = "hang"
    started = time.perf_counter()
    with pytest.raises(DeliveryError, match=r"did not answer within 0\.5 s") as raised:
        Hl7Target("127.0.0.1", listener.port, timeout=0.5).deliver(archive.consent_item("declined"))
    assert raised.value.permanent is False
    assert time.perf_counter() - started < 2


def test_no_listener_is_retried(archive):
    with socket.socket() as probe:  # a port that was free a moment ago, and nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DeliveryError, match="connection refused") as raised:
        Hl7Target("127.0.0.1", port).deliver(archive.consent_item("consented"))
    assert raised.value.permanent is False
    with pytest.raises(MllpError, match=f"nothing is listening for HL7 at 127.0.0.1:{port}"):
        send("127.0.0.1", port, "MSH|^~\\&|\r", timeout=1)


def test_the_target_is_made_from_the_hl7_address_setting():
    target = Hl7Target.from_address("hl7.example.org:2575", receiving_facility="ST ELSEWHERE")
    assert (target.name, target.host, target.port) == ("hl7", "hl7.example.org", 2575)
    assert Hl7Target.from_address("[::1]:6661").host == "::1"
