"""A stored consent as an HL7 v2.5 MDM message with its PDF, for hospitals without FHIR (Qt-free).

`mdm_t02(item)` is the consent itself (MDM^T02, "original document notification and
content"); `mdm_t10(item)` is its countersigned version (MDM^T10, "document replacement
notification and content"). Both are built with hl7apy and returned as ER7 text (segments
ended by a carriage return), ready for `kiosk.interop.mllp.send`.

Segments: MSH, EVN, PID (name, birth date, hospital number), PV1 (minimal: the kiosk knows
no visit), TXA (the document's metadata) and one OBX whose value (OBX-5, type ED) is the PDF
itself: ``^application^pdf^Base64^<base64>``.

Why T10 for the countersignature, and not a second T02 or a T04: the countersigned PDF is the
same consent with the clinician's signature added (the original stays a byte-for-byte prefix
of it). A second T02 would file a second, unrelated document; T04 ("status change with
content") keeps the document number, so a receiver may overwrite the patient's original. T10
files the new version under its own number (TXA-12) and names the one it replaces (TXA-13),
so the record shows one current consent and keeps the patient's original behind it.

A resend is recognisable: MSH-10 (message control id) and TXA-12 (unique document number)
depend only on the outbox entry (`item.event_id`) and the consent's UUID, and MSH-7/EVN-2
are the entry's time, not the sending time, so sending twice sends the same bytes and the
receiver can drop the second copy.

Two hl7apy pitfalls (PLATFORM.md): MSH-9 stays empty unless set, and STRICT validation
refuses an ED value in OBX-5 (its base64 is longer than any length the tables allow), so the
message is built, and must be parsed, with ``VALIDATION_LEVEL.TOLERANT``. Every other segment
passes STRICT validation (tests/interop/test_hl7v2.py checks it).

Text fields are escaped here (`escape`), not by hl7apy: hl7apy leaves a text alone when it
already looks like an escape sequence (a name holding ``\\F\\`` would arrive as ``|``).
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import date, datetime
from typing import Any

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.core import Message

from kiosk.outbox.target import DeliveryError, OutboxItem
from kiosk.outcomes import CONSENTED, DECLINED, QUESTIONS

VERSION = "2.5"
CHARACTER_SET = "UNICODE UTF-8"  # MSH-18: names come in 11 languages; mllp.send encodes UTF-8
CONSENT_LOINC = "59284-0^Patient Consent^LN"  # OBX-3, as the FHIR hand-off's Consent uses

# TXA-17, document completion status (HL7 table 0271), from the consent's outcome:
#   consented (signed by the patient)   AU  authenticated: signed by the person it is about
#   countersigned by the clinician      LA  legally authenticated: signed by the clinician too
#   questions for the doctor            IP  in progress: the consent talk goes on with a doctor
#   declined                            DO  documented: a complete record of a refusal, nothing to sign
#   anything else (no signature)        IN  incomplete
# (An abandoned session has no PDF, so it is never sent.)
COMPLETION_STATUS = {CONSENTED: "AU", QUESTIONS: "IP", DECLINED: "DO"}
COUNTERSIGNED_STATUS = "LA"


def escape(text: Any) -> str:
    """`text` safe inside an HL7 v2 field with the standard delimiters ``|^~\\&``: each
    delimiter as its escape sequence (``\\F\\ \\S\\ \\R\\ \\T\\ \\E\\``), carriage return and
    line feed as ``\\X0D\\``/``\\X0A\\`` (a bare CR would end the segment).

    Example: ``escape("O'Brien^|&~\\\\")`` is ``"O'Brien\\S\\\\F\\\\T\\\\R\\\\E\\"``.
    """
    if text is None:
        return ""
    out = str(text).replace("\\", "\\E\\")  # first: the escapes below add backslashes
    for char, sequence in (("|", "\\F\\"), ("^", "\\S\\"), ("&", "\\T\\"), ("~", "\\R\\"),
                           ("\r", "\\X0D\\"), ("\n", "\\X0A\\")):
        out = out.replace(char, sequence)
    return out


_UNESCAPE = {"F": "|", "S": "^", "T": "&", "R": "~", "E": "\\", "X0D": "\r", "X0A": "\n"}


def unescape(text: str) -> str:
    """The text `escape` was given (what a receiver reads out of a field)."""
    parts = text.split("\\")
    out = [parts[0]]
    # Between each pair of backslashes is an escape sequence, then plain text again.
    for i in range(1, len(parts) - 1, 2):
        out.append(_UNESCAPE.get(parts[i], "\\" + parts[i] + "\\"))
        out.append(parts[i + 1])
    if len(parts) % 2 == 0:  # an unpaired backslash: keep it as it was
        out.append("\\" + parts[-1])
    return "".join(out)


def control_id(event_id: str) -> str:
    """MSH-10 for an outbox entry: 20 upper-case hex digits of the SHA-256 of its event id
    (for a consent, its UUID). Stable across resends; 20 characters because HL7 v2.5 allows
    no more in MSH-10 (a UUID has 36)."""
    return hashlib.sha256(event_id.encode("utf-8")).hexdigest()[:20].upper()


def mdm_t02(item: OutboxItem, *, sending_application: str = "KIOSK", sending_facility: str = "",
            receiving_application: str = "", receiving_facility: str = "", mrn_authority: str = "",
            control_id: str | None = None) -> str:
    """The stored consent of outbox entry `item` (kind "consent") as MDM^T02 with its PDF.

    PID-3 is the hospital number (MRN) once a nurse has checked the identity (the row's
    ``mrn``, assigning authority `mrn_authority`, type MR); before that, the consent's UUID
    with the kiosk as assigning authority (type U, "unspecified": it names this consent, not
    a person). TXA-12 is the consent's UUID. DeliveryError (permanent) when the consent has
    no PDF or its PDF does not match its stored SHA-256.
    """
    consent = item.consent
    outcome = consent.get("outcome") or item.record.get("outcome")
    if not consent.get("pdf_path"):
        raise DeliveryError(f"consent {item.document_id} has no PDF ({outcome}); there is no "
                            "document to send", permanent=True)
    header = _Header(sending_application, sending_facility, receiving_application,
                     receiving_facility, mrn_authority)
    return _message(item, header, event="T02", control=control_id, pdf=item.pdf_bytes("original"),
                    document_number=item.document_id, parent=None,
                    status=COMPLETION_STATUS.get(outcome, "IN"), authenticator=None)


def mdm_t10(item: OutboxItem, *, sending_application: str = "KIOSK", sending_facility: str = "",
            receiving_application: str = "", receiving_facility: str = "", mrn_authority: str = "",
            control_id: str | None = None) -> str:
    """The countersigned consent of outbox entry `item` (kind "event", action
    "countersigned") as MDM^T10 with the countersigned PDF: TXA-12 is
    `countersigned_document_number` (a UUID made from the consent's), TXA-13 the consent's
    UUID (the document it replaces), TXA-17 LA, TXA-22 the clinician and the time."""
    consent = item.consent
    header = _Header(sending_application, sending_facility, receiving_application,
                     receiving_facility, mrn_authority)
    clinician = consent.get("countersigned_by") or (item.event or {}).get("detail", {}).get("clinician")
    signed_at = consent.get("countersigned_at") or (item.event or {}).get("at")
    return _message(item, header, event="T10", control=control_id,
                    pdf=item.pdf_bytes("countersigned"),
                    document_number=countersigned_document_number(item.document_id),
                    parent=item.document_id, status=COUNTERSIGNED_STATUS,
                    authenticator=(clinician, signed_at))


def mdm_t11(item: OutboxItem, *, sending_application: str = "KIOSK", sending_facility: str = "",
            receiving_application: str = "", receiving_facility: str = "", mrn_authority: str = "",
            control_id: str | None = None) -> str:
    """A voided consent (kind "event", action "voided") as MDM^T11, document cancel
    notification: no PDF (the MDM_T01 structure), TXA-12 the document the receiver last filed
    (the countersigned version once there is one, else the consent's UUID), TXA-19 CA
    (cancelled). A consent filed against the wrong patient must not stay in their record."""
    consent = item.consent
    header = _Header(sending_application, sending_facility, receiving_application,
                     receiving_facility, mrn_authority)
    outcome = consent.get("outcome") or item.record.get("outcome")
    number = (countersigned_document_number(item.document_id) if consent.get("countersigned_pdf_path")
              else item.document_id)
    status = COUNTERSIGNED_STATUS if consent.get("countersigned_pdf_path") else COMPLETION_STATUS.get(outcome, "IN")
    return _message(item, header, event="T11", control=control_id, pdf=None, document_number=number,
                    parent=None, status=status, authenticator=None, availability="CA")


def countersigned_document_number(document_id: str) -> str:
    """TXA-12 of the countersigned version: a UUID derived from the consent's (uuid5), so a
    resend carries the same number and the receiver files it once."""
    return str(uuid.uuid5(uuid.UUID(document_id), "countersigned"))


class _Header:
    """Who sends and who receives (MSH-3 to MSH-6), and whose hospital numbers these are."""

    def __init__(self, sending_application, sending_facility, receiving_application,
                 receiving_facility, mrn_authority):
        self.sending_application = sending_application
        self.sending_facility = sending_facility
        self.receiving_application = receiving_application
        self.receiving_facility = receiving_facility
        self.mrn_authority = mrn_authority or receiving_facility


def _message(item: OutboxItem, header: _Header, *, event: str, control: str | None, pdf: bytes | None,
             document_number: str, parent: str | None, status: str,
             authenticator: tuple[str | None, str | None] | None, availability: str = "AV") -> str:
    consent, record = item.consent, item.record
    at = hl7_time(item.created_at)
    finished = hl7_time(consent.get("finished_at") or record.get("finished_at") or item.created_at)
    structure = "MDM_T02" if pdf is not None else "MDM_T01"  # T01's structure: a notification, no document
    message = Message(structure, version=VERSION, validation_level=VALIDATION_LEVEL.TOLERANT)
    msh = message.msh
    msh.msh_3 = escape(header.sending_application)
    msh.msh_4 = escape(header.sending_facility)
    msh.msh_5 = escape(header.receiving_application)
    msh.msh_6 = escape(header.receiving_facility)
    msh.msh_7 = at
    msh.msh_9 = f"MDM^{event}^{structure}"  # T10 has the T02 structure in v2.5, T11 the T01
    msh.msh_10 = escape(control or control_id(item.event_id))
    msh.msh_11 = "T" if record.get("sample") else "P"  # a `kiosk demo` consent is training data
    msh.msh_18 = CHARACTER_SET
    message.evn.evn_1 = event
    message.evn.evn_2 = at
    pid = message.pid
    pid.pid_1 = "1"
    pid.pid_3 = _patient_identifier(item, header)
    pid.pid_5 = _person_name(consent.get("patient_name") or record.get("patient", {}).get("full_name"))
    birth = consent.get("patient_dob") or record.get("patient", {}).get("date_of_birth")
    if birth:
        pid.pid_7 = date.fromisoformat(birth).strftime("%Y%m%d")
    message.pv1.pv1_1 = "1"
    message.pv1.pv1_2 = "U"  # patient class unknown: the kiosk is told of no visit
    txa = message.txa
    txa.txa_1 = "1"
    txa.txa_2 = "CONSENT"
    txa.txa_3 = "AP"  # content presentation: other application data (a PDF)
    txa.txa_4 = finished  # activity: the consent session, ended
    txa.txa_6 = finished  # origination
    txa.txa_12 = escape(document_number)
    if parent:
        txa.txa_13 = escape(parent)
    txa.txa_17 = status
    txa.txa_19 = availability  # AV available; CA cancelled (T11)
    if authenticator:
        name, signed_at = authenticator
        # PPN: 2 family, 3 given ... 15 date/time the action was performed
        components = [""] * 15
        components[1:3] = _name_parts(name)
        components[14] = hl7_time(signed_at) if signed_at else ""
        txa.txa_22 = "^".join(components).rstrip("^")
    if pdf is None:
        return message.to_er7()
    observation = message.add_group("MDM_T02_OBSERVATION")
    obx = observation.obx
    obx.obx_1 = "1"
    obx.obx_2 = "ED"
    obx.obx_3 = CONSENT_LOINC
    obx.obx_5 = "^application^pdf^Base64^" + base64.b64encode(pdf).decode("ascii")
    obx.obx_11 = "F"
    obx.obx_14 = finished
    return message.to_er7()


def _patient_identifier(item: OutboxItem, header: _Header) -> str:
    mrn = item.consent.get("mrn")
    if mrn:
        return f"{escape(mrn)}^^^{escape(header.mrn_authority)}^MR"
    return f"{escape(item.document_id)}^^^{escape(header.sending_application)}^U"


def _person_name(full_name: str | None) -> str:
    """XPN "family^given" from the one name the patient typed: the last word is taken as the
    family name (the order the kiosk asks for); a one-word name is all family name. The
    receiver matches on PID-3 once the identity is checked, not on the name."""
    return "^".join(_name_parts(full_name)).rstrip("^")


def _name_parts(full_name: str | None) -> list[str]:
    words = (full_name or "").split()
    if len(words) < 2:
        return [escape(" ".join(words)), ""]
    return [escape(words[-1]), escape(" ".join(words[:-1]))]


def hl7_time(iso: str) -> str:
    """An ISO 8601 time as HL7 DTM: ``2026-11-25T14:14:40+00:00`` is ``20261125141440+0000``."""
    moment = datetime.fromisoformat(iso)
    return moment.strftime("%Y%m%d%H%M%S") + (moment.strftime("%z") if moment.tzinfo else "")
