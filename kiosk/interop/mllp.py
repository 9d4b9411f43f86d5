"""HL7 v2 over MLLP: a small client, and the outbox target that sends consents with it (Qt-free).

MLLP frames a message as ``0x0B <message> 0x1C 0x0D`` on a TCP connection; the receiver
answers each with one framed acknowledgment (ACK). hl7apy ships an MLLP server, not a client:
`send` is the client (one connection per message, so nothing is left half-read after a
time-out). Text goes as UTF-8, as MSH-18 says (`kiosk.interop.hl7v2.CHARACTER_SET`).

`Hl7Target` ("hl7") turns outbox entries into MDM messages (`kiosk.interop.hl7v2`) and reads
the ACK. What an ACK code means for the outbox (HL7 table 0008; original mode AA/AE/AR,
enhanced mode CA/CE/CR):

====  ==========================================================  ======================
code  HL7 v2's meaning                                            here
====  ==========================================================  ======================
AA    application accept                                          delivered; the receipt is
CA    commit accept: the receiver has taken responsibility        the ACK's MSH-10
AE    application error: the receiver found an error in what the  failed (permanent): the
      message says (an unknown patient, a missing field)          same bytes meet the same error
AR    application reject "for reasons unrelated to its content    waiting (retried): the
      or format" (receiver down, internal error, its setup); the  receiver or its set-up, not
      standard leaves resending to the sender                     this consent
CE    commit error: could not accept it now (e.g. sequence)       waiting (retried)
CR    commit reject: the receiver does not take this message      waiting (retried)
      type, version or processing id (a setting on its side)
====  ==========================================================  ======================

Why AR and CR are retried rather than failed: a reject is about the receiver, not this
consent (every other consent would meet it too), and HL7 leaves resending to the sender.
Retrying with backoff loses nothing, shows the receiver's words to IT while it waits, and
resumes by itself once the receiver is fixed. An AE is about this message: the identical
message would meet the same error at every try, so it is failed and waits for a person (IT
mends the cause, e.g. registers the patient, then `kiosk outbox retry`). No connection, a
time-out, no ACK, something that is not an ACK, or an ACK for another message (MSA-2 is not
our MSH-10): waiting (retried).
"""

from __future__ import annotations

import socket
import time

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.exceptions import HL7apyException
from hl7apy.parser import parse_message

from kiosk.interop.hl7v2 import control_id as control_id_for
from kiosk.interop.hl7v2 import mdm_t02, mdm_t10, mdm_t11, unescape
from kiosk.outbox.target import DeliveryError, OutboxItem

START, END = b"\x0b", b"\x1c\x0d"
ENCODING = "utf-8"
MAX_ACK = 1 << 20  # an ACK is a few hundred bytes; a listener that sends more is not answering


class MllpError(Exception):
    """The message was not sent, or no acknowledgment came back; the text says which."""


def frame(message: str) -> bytes:
    """`message` as one MLLP block."""
    return START + message.encode(ENCODING) + END


def send(host: str, port: int, message: str, timeout: float = 30.0) -> str:
    """Send `message` (ER7, segments ended by CR) to the MLLP listener at `host`:`port` and
    return the one framed answer it sends back, unframed. `timeout` (seconds) bounds the
    whole exchange: connecting, sending and waiting for the answer. MllpError when the
    listener cannot be reached, closes the connection, or does not answer in time."""
    deadline = time.monotonic() + timeout
    where = f"{host}:{port}"
    try:
        with socket.create_connection((host, port), timeout=timeout) as connection:
            connection.settimeout(max(deadline - time.monotonic(), 0.001))
            connection.sendall(frame(message))
            return _read_block(connection, deadline, where)
    except TimeoutError as error:
        raise MllpError(f"the HL7 listener at {where} did not answer within {timeout:g} s") from error
    except ConnectionRefusedError as error:
        raise MllpError(f"nothing is listening for HL7 at {where} (connection refused)") from error
    except OSError as error:
        raise MllpError(f"the HL7 listener at {where} cannot be reached: {error.strerror or error}") from error


def _read_block(connection: socket.socket, deadline: float, where: str) -> str:
    received = bytearray()
    while True:
        end = received.find(END)
        if end != -1:
            break
        if len(received) > MAX_ACK:
            raise MllpError(f"the HL7 listener at {where} sent more than {MAX_ACK} bytes without ending its answer")
        connection.settimeout(max(deadline - time.monotonic(), 0.001))
        chunk = connection.recv(65536)
        if not chunk:
            raise MllpError(f"the HL7 listener at {where} closed the connection without an acknowledgment")
        received += chunk
    start = received.find(START)
    if start == -1 or start > end:
        raise MllpError(f"the HL7 listener at {where} answered without an MLLP start byte (0x0B)")
    return received[start + 1:end].decode(ENCODING, errors="replace")


class Hl7Target:
    """The outbox target "hl7": each stored consent as MDM^T02 and each countersignature as
    MDM^T10 (`kiosk.interop.hl7v2`), sent to one MLLP listener; other review events (viewed,
    identity checked, voided ...) are not documents and send nothing (None). An abandoned
    session has no PDF and sends nothing either.

    Idempotent by `item.event_id`: a resend carries the same MSH-10 and TXA-12, so the
    receiver can tell it from a new document. Call from one thread at a time (the outbox's)."""

    name = "hl7"
    sends_samples = True  # a `kiosk demo` consent goes as training data: MSH-11 "T" (kiosk.interop.hl7v2)

    def __init__(self, host: str, port: int, *, sending_application: str = "KIOSK",
                 sending_facility: str = "", receiving_application: str = "",
                 receiving_facility: str = "", mrn_authority: str = "", timeout: float = 30.0):
        self.host, self.port, self.timeout = host, int(port), timeout
        self.header = dict(sending_application=sending_application, sending_facility=sending_facility,
                           receiving_application=receiving_application,
                           receiving_facility=receiving_facility, mrn_authority=mrn_authority)

    @classmethod
    def from_address(cls, address: str, **options) -> Hl7Target:
        """From the `hl7_address` setting, "host:port" (IPv6 as "[::1]:2575")."""
        host, _, port = address.rpartition(":")
        return cls(host.strip("[]"), int(port), **options)

    def message_for(self, item: OutboxItem) -> str | None:
        """The MDM message `item` becomes, or None when it is nothing to file."""
        if item.kind == "consent":
            return mdm_t02(item, **self.header) if item.consent.get("pdf_path") else None
        action = (item.event or {}).get("action") if item.kind == "event" else None
        if action == "countersigned":
            return mdm_t10(item, **self.header)
        if action == "voided" and item.consent.get("pdf_path"):  # a document was filed: cancel it
            return mdm_t11(item, **self.header)
        return None

    def deliver(self, item: OutboxItem) -> str | None:
        """Send `item`'s message and read the ACK; the receipt is the ACK's control id
        (MSH-10). DeliveryError as the table in this module's docstring says."""
        message = self.message_for(item)
        if message is None:
            return None
        sent_id = control_id_for(item.event_id)
        what = f"consent {item.document_id}" + (" (countersigned)" if item.kind == "event" else "")
        try:
            answer = send(self.host, self.port, message, self.timeout)
        except MllpError as error:
            raise DeliveryError(f"{what} was not sent over HL7: {error}") from error
        try:
            return read_ack(answer, sent_id, f"the HL7 listener at {self.host}:{self.port}")
        except DeliveryError as error:
            raise DeliveryError(f"{what}: {error}", permanent=error.permanent) from error


# What each negative code means for the outbox: True = permanent (failed, for a person).
NEGATIVE_ACKS = {"AE": True, "AR": False, "CE": False, "CR": False}
_CODE_WORDS = {"AE": "found an error in it (AE)", "AR": "rejected it (AR)",
               "CE": "could not take it now (CE)", "CR": "does not take this kind of message (CR)"}


def read_ack(answer: str, sent_id: str, where: str = "the HL7 listener") -> str:
    """The ACK's control id (MSH-10) if `answer` accepts message `sent_id` (MSA-1 AA or CA);
    DeliveryError otherwise, permanent as `NEGATIVE_ACKS` says, with the receiver's own
    text (MSA-3) when it gave one."""
    try:
        ack = parse_message(answer, validation_level=VALIDATION_LEVEL.TOLERANT, find_groups=False)
        ack_id = ack.msh.msh_10.to_er7()
        msa = ack.msa
        code, acked_id, text = msa.msa_1.to_er7(), msa.msa_2.to_er7(), msa.msa_3.to_er7()
    except (HL7apyException, AttributeError, IndexError, KeyError, ValueError) as error:
        raise DeliveryError(f"{where} answered with something that is not an HL7 acknowledgment "
                            f"({error or type(error).__name__}): {answer[:200]!r}") from error
    if not code:
        raise DeliveryError(f"{where} answered without an acknowledgment code (MSA-1): {answer[:200]!r}")
    said = f": {unescape(text)}" if text else ""
    if code not in ("AA", "CA") and code not in NEGATIVE_ACKS:
        raise DeliveryError(f"{where} answered with an unknown acknowledgment code {code!r}{said}")
    if unescape(acked_id) != sent_id:
        raise DeliveryError(f"{where} acknowledged message {unescape(acked_id)!r}, not the one sent "
                            f"({sent_id}); it will be sent again")
    if code in ("AA", "CA"):
        return unescape(ack_id) or sent_id
    raise DeliveryError(f"{where} {_CODE_WORDS[code]}{said}", permanent=NEGATIVE_ACKS[code])
