"""A real HL7 v2 MLLP listener on loopback for the tests: hl7apy's MLLPServer (a threading TCP
server) on 127.0.0.1, an ephemeral port, recording every framed message it receives and
answering with the acknowledgment the test chose.

    with MllpListener() as listener:
        listener.answer = "AE"          # AA (default), AE, AR, CA, CE, CR,
                                        # "none" (close without answering),
                                        # "hang" (keep the connection, never answer),
                                        # "wrong id" (AA for another message's control id)
        send("127.0.0.1", listener.port, message)
        listener.messages               # every message received, unframed, in order

hl7apy's own request handler reads a message one byte at a time into a growing bytes
object (quadratic: a 2 MB PDF would take minutes), so `_RecordingHandler` reads whole
chunks and hands the message to hl7apy only to parse it and build the ACK.
"""

from __future__ import annotations

import threading

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.core import Message
from hl7apy.mllp import MLLPRequestHandler, MLLPServer
from hl7apy.parser import parse_message

START, END = b"\x0b", b"\x1c\x0d"
ANSWERS = ("AA", "AE", "AR", "CA", "CE", "CR", "none", "hang", "wrong id")


def ack_for(message: str, code: str, *, acked_id: str | None = None, text: str = "") -> str:
    """An ACK (HL7 v2.5) of `message` with MSA-1 `code`, built with hl7apy: MSH-3/4 and 5/6
    swapped from the message's, MSH-10 "ACK-<its control id>", MSA-2 its control id (or
    `acked_id`), MSA-3 `text` (already escaped)."""
    incoming = parse_message(message, validation_level=VALIDATION_LEVEL.TOLERANT, find_groups=False)
    msh = incoming.msh
    received_id = msh.msh_10.to_er7()
    ack = Message("ACK", version="2.5", validation_level=VALIDATION_LEVEL.TOLERANT)
    ack.msh.msh_3 = msh.msh_5.to_er7() or "LISTENER"
    ack.msh.msh_4 = msh.msh_6.to_er7()
    ack.msh.msh_5 = msh.msh_3.to_er7()
    ack.msh.msh_6 = msh.msh_4.to_er7()
    ack.msh.msh_9 = f"ACK^{msh.msh_9.msg_2.to_er7()}^ACK"
    ack.msh.msh_10 = f"ACK-{received_id}"
    ack.msh.msh_11 = msh.msh_11.to_er7() or "P"
    ack.msa.msa_1 = code
    ack.msa.msa_2 = received_id if acked_id is None else acked_id
    if text:
        ack.msa.msa_3 = text
    return ack.to_er7()


class _RecordingHandler(MLLPRequestHandler):
    def handle(self):
        listener: MllpListener = self.server.listener
        received = bytearray()
        while END not in received:
            chunk = self.request.recv(1 << 16)
            if not chunk:
                return
            received += chunk
        start, end = received.find(START), received.find(END)
        message = received[start + 1:end].decode("utf-8")
        answer = listener.answer
        with listener.lock:
            listener.messages.append(message)
        if answer == "none":
            return  # the connection closes with no acknowledgment
        if answer == "hang":
            listener.release.wait(30)
            return
        if answer == "wrong id":
            reply = ack_for(message, "AA", acked_id="SOMEONE-ELSES-ID")
        else:
            reply = ack_for(message, answer, text=listener.text if answer not in ("AA", "CA") else "")
        self.request.sendall(START + reply.encode("utf-8") + END)


class MllpListener:
    """The listener, serving from a daemon thread while the `with` block runs."""

    def __init__(self, answer: str = "AA"):
        self.answer = answer
        self.text = "the listener was told to say so"
        self.messages: list[str] = []
        self.lock = threading.Lock()
        self.release = threading.Event()  # ends a "hang"
        self.server = MLLPServer("127.0.0.1", 0, handlers={}, timeout=30,
                                 request_handler_class=_RecordingHandler)
        self.server.daemon_threads = True
        self.server.listener = self
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="mllp-listener", daemon=True)

    def __enter__(self) -> MllpListener:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)
