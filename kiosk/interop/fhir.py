"""A stored consent as a FHIR R4 transaction Bundle, for the patient's health record.

``consent_bundle(item)`` builds, from an outbox item (the consent's row and its record), one
transaction Bundle of:

- **Patient**: name and birth date; identified by the MRN (in the hospital's MRN system) once
  a nurse has checked the identity, else by the consent's UUID in the kiosk's own system;
  conditional create (``ifNoneExist``), so a patient the record already knows is reused;
- **RelatedPerson** when a representative signed for the patient (relationship coded, see
  ``RELATIONSHIP_CODES``);
- **Consent**: status from the outcome (``kiosk.flow.codes.CONSENT_STATUS``), scope ``treatment``, category
  LOINC 59284-0, the date, the signer as performer, the PDF's DocumentReference as source;
- **DocumentReference**: the sealed PDF itself (base64), its size, its SHA-1 in
  ``Attachment.hash`` (as FHIR defines it) and its SHA-256 (the kiosk's own check) in an
  extension; an abandoned session has no PDF and so no DocumentReference;
- **QuestionnaireResponse**: every answer and every attempt, the statements, the decision and
  the flags, against the content's Questionnaire (kiosk.interop.questionnaire);
- **Provenance**: who signed and when, with the signature (the record's signature block as
  canonical JSON, and its SHA-256), and the kiosk that assembled it.

Every resource is identified by the consent's UUID and created only if none exists with it
(``ifNoneExist``), so sending the same consent twice (a retry after a lost answer) creates
nothing new. The Bundle is the same for the same row: its urn:uuid fullUrls derive from the
consent's UUID. It is checked against fhir.resources' R4B models before it is returned.

No Qt, no network.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from typing import Any
from urllib.parse import urlencode

from kiosk.interop.questionnaire import (
    DECISION_LINK,
    FLAG_SYSTEM,
    FLAGS_LINK,
    KIOSK_URN,
    OUTCOME_SYSTEM,
    STATEMENTS_LINK,
    STATUS_SYSTEM,
    choice_system,
    question_link,
    questionnaire_url,
    statement_link,
)
from kiosk.flow.codes import RELATIONSHIPS
from kiosk.flow.codes import consent_status as _outcome_status
from kiosk.outcomes import ABANDONED, CONSENTED, DECISIONS, DECLINED, OUTCOMES

UUID_SYSTEM = "urn:ietf:rfc:3986"  # FHIR's system for an identifier that is a urn:uuid
DEFAULT_MRN_SYSTEM = f"{KIOSK_URN}:mrn"  # a hospital sets its own (its MRN's system URI or OID)
PATIENT_SYSTEM = f"{KIOSK_URN}:patient-of-consent"  # a patient not yet identified: by the consent's UUID
REPRESENTATIVE_SYSTEM = f"{KIOSK_URN}:representative-of-consent"
KIOSK_SYSTEM = f"{KIOSK_URN}:kiosk-id"
CONSENT_TAG_SYSTEM = f"{KIOSK_URN}:consent"  # meta.tag on every resource of one consent (not the Patient)
EXTENSION = f"{KIOSK_URN}:fhir:StructureDefinition"
SHA256_EXTENSION = f"{EXTENSION}:sha256"
STROKES_SHA256_EXTENSION = f"{EXTENSION}:strokes-sha256"  # the record's hash of the drawing alone
ANSWERED_AT_EXTENSION = f"{EXTENSION}:answered-at"
CORRECT_EXTENSION = f"{EXTENSION}:correct"
CONFIRMED_AT_EXTENSION = f"{EXTENSION}:confirmed-at"
REVIEWED_PAGE_EXTENSION = f"{EXTENSION}:reviewed-page"
LOINC = "http://loinc.org"
PATIENT_CONSENT = {"system": LOINC, "code": "59284-0", "display": "Patient Consent"}
CONSENT_SCOPE = {"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "treatment",
                 "display": "Treatment"}
MRN_TYPE = {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR",
            "display": "Medical record number"}
CONSENT_SIGNATURE = {"system": "urn:iso-astm:E1762-95:2013", "code": "1.2.840.10065.1.12.1.7",
                     "display": "Consent Signature"}
PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"

VOID = "void"  # not an outcome: a nurse voided the consent (the row's `void`)
# The FHIR Consent.status of each outcome: one table for the kiosk (kiosk.flow.codes; an
# abandoned session is "draft": never decided), and entered-in-error once void.
CONSENT_STATUS = {**{outcome: _outcome_status(outcome).code for outcome in OUTCOMES}, VOID: "entered-in-error"}

# The kiosk's relationship choices (translations' relationship_<id>) as HL7 codes, for a
# record made before the record carried its own code (schema 3's
# representative["relationship_code"], which wins when present): the record's own table,
# kiosk.flow.codes.RELATIONSHIPS, where each code's source is written.
RELATIONSHIP_CODES: dict[str, tuple[str, str, str]] = {
    choice: (coded.system, coded.code, coded.display) for choice, coded in RELATIONSHIPS.items()}


class BundleError(ValueError):
    """The consent cannot be written as FHIR (the message says which field and why)."""


def consent_status(outcome: str, *, void: bool = False) -> str:
    """The FHIR Consent.status of a stored consent: its outcome's, or entered-in-error once void."""
    return CONSENT_STATUS[VOID if void else outcome]


def full_url(document_id: str, resource_type: str) -> str:
    """The Bundle's fullUrl of one resource of a consent: the same every time it is built."""
    return f"urn:uuid:{uuid.uuid5(uuid.UUID(document_id), resource_type)}"


def consent_identifier(document_id: str) -> dict:
    return {"system": UUID_SYSTEM, "value": f"urn:uuid:{document_id}"}


def identifier_query(identifier: dict) -> str:
    """``identifier=system|value``, URL-encoded, for ifNoneExist and searches."""
    return urlencode({"identifier": f"{identifier['system']}|{identifier['value']}"})


def tag_query(document_id: str) -> str:
    return urlencode({"_tag": f"{CONSENT_TAG_SYSTEM}|{document_id}"})


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signature_sha256(signature: dict) -> str:
    """Hex SHA-256 of the record's signature block as canonical JSON (what Provenance carries)."""
    return hashlib.sha256(canonical_json(signature)).hexdigest()


def pdf_attachment(pdf: bytes, *, title: str, language: str | None, creation: str | None) -> dict:
    """A PDF as a FHIR Attachment: base64 data, size, SHA-1 (base64) and the SHA-256 (hex)."""
    attachment = {
        "contentType": "application/pdf", "data": base64.b64encode(pdf).decode("ascii"), "size": len(pdf),
        "hash": base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii"), "title": title,
        "extension": [{"url": SHA256_EXTENSION, "valueString": hashlib.sha256(pdf).hexdigest()}],
    }
    if language:
        attachment["language"] = language
    if creation:
        attachment["creation"] = creation
    return attachment


def consent_bundle(item, *, pack=None, mrn_system: str = DEFAULT_MRN_SYSTEM) -> dict:
    """The transaction Bundle (FHIR R4 JSON, checked) of the outbox item's consent.

    `item` is a kiosk.outbox.target.OutboxItem of kind "consent" (its row, record and PDF;
    an event item works too: its consent as it is now). `pack` is the content pack in the
    record's language, used only to code a representative's relationship from its words;
    without it the pack is loaded when needed. BundleError if the record lacks what FHIR
    requires; DeliveryError (permanent) if the PDF is missing or does not match its SHA-256.
    """
    return _Builder(item, pack, mrn_system).bundle()


def document_reference(item, *, mrn_system: str = DEFAULT_MRN_SYSTEM) -> dict:
    """The consent's DocumentReference as it is now (with the countersigned PDF, if any)."""
    return _Builder(item, None, mrn_system).document_reference()


def validate(resource: dict) -> dict:
    """`resource` checked against its fhir.resources R4B model; BundleError with the model's
    words if it does not fit."""
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except ValidationError as error:
        raise BundleError(f"the {resource['resourceType']} is not valid FHIR R4: {error}") from error
    return resource


class _Builder:
    def __init__(self, item, pack, mrn_system: str):
        self.item, self.pack, self.mrn_system = item, pack, mrn_system
        self.row, self.record = item.consent, item.record
        self.document_id = str(item.document_id)
        self.void = bool(self.row.get("void"))
        self.outcome = self.record.get("outcome") or self.row.get("outcome")
        if self.outcome not in CONSENT_STATUS:
            raise BundleError(f"consent {self.document_id} has the outcome {self.outcome!r}, which has no "
                              "FHIR Consent status")
        self.signature = self.record.get("signature")
        self.representative = self.record.get("representative")
        self.has_pdf = bool(self.row.get("pdf_path"))
        self.tag = {"tag": [{"system": CONSENT_TAG_SYSTEM, "code": self.document_id}]}

    def url(self, resource_type: str) -> str:
        return full_url(self.document_id, resource_type)

    def ref(self, resource_type: str) -> dict:
        return {"reference": self.url(resource_type)}

    def signer(self) -> dict:
        """Who decided and signed: the representative when there is one, else the patient."""
        return self.ref("RelatedPerson" if self.representative else "Patient")

    def when(self) -> str:
        return ((self.signature or {}).get("signed_at") or self.record.get("finished_at")
                or self.row.get("saved_at"))

    # ----- the Bundle
    def bundle(self) -> dict:
        entries = [self.entry(self.patient(), self.patient_identifier())]
        if self.representative:
            entries.append(self.entry(self.related_person(), self.related_person()["identifier"][0]))
        entries.append(self.entry(self.consent(), consent_identifier(self.document_id)))
        if self.has_pdf:
            entries.append(self.entry(self.document_reference(), consent_identifier(self.document_id)))
        # QuestionnaireResponse and Provenance: by the consent's tag (Provenance has no
        # identifier in R4, and servers rarely index QuestionnaireResponse.identifier).
        entries.append(self.entry(self.questionnaire_response(), None))
        entries.append(self.entry(self.provenance(), None))
        bundle = {"resourceType": "Bundle", "type": "transaction",
                  "meta": {"tag": self.tag["tag"]}, "entry": entries}
        from fhir.resources.R4B.bundle import Bundle
        from pydantic import ValidationError

        for entry in entries:
            validate(entry["resource"])
        try:
            Bundle.model_validate(bundle)
        except ValidationError as error:
            raise BundleError(f"the Bundle of consent {self.document_id} is not valid FHIR R4: {error}") from error
        return bundle

    def entry(self, resource: dict, identifier: dict | None) -> dict:
        query = identifier_query(identifier) if identifier else tag_query(self.document_id)
        kind = resource["resourceType"]
        return {"fullUrl": self.url(kind), "resource": resource,
                "request": {"method": "POST", "url": kind, "ifNoneExist": query}}

    # ----- the resources
    def patient_identifier(self) -> dict:
        mrn = self.row.get("mrn")
        if mrn and self.row.get("identity_checked_at"):
            return {"use": "usual", "type": {"coding": [MRN_TYPE]}, "system": self.mrn_system, "value": mrn}
        return {"system": PATIENT_SYSTEM, "value": self.document_id}

    def patient(self) -> dict:
        person = self.record.get("patient") or {}
        patient: dict[str, Any] = {"resourceType": "Patient", "identifier": [self.patient_identifier()]}
        if person.get("full_name"):
            patient["name"] = [{"use": "official", "text": person["full_name"]}]
        if person.get("date_of_birth"):
            patient["birthDate"] = person["date_of_birth"]
        return patient

    def related_person(self) -> dict:
        rep = self.representative
        relationship: dict[str, Any] = {"text": rep.get("relationship") or ""}
        coded = self.relationship_coding()
        if coded:
            relationship["coding"] = [coded]
        person = {"resourceType": "RelatedPerson",
                  "identifier": [{"system": REPRESENTATIVE_SYSTEM, "value": self.document_id}],
                  "patient": self.ref("Patient"), "name": [{"text": rep.get("full_name") or ""}],
                  "meta": self.tag}
        if relationship["text"] or coded:
            person["relationship"] = [relationship]
        return person

    def relationship_coding(self) -> dict | None:
        rep = self.representative
        own = rep.get("relationship_code")
        if isinstance(own, dict) and own.get("code"):  # the record's own code (schema 3)
            return {k: own[k] for k in ("system", "code", "display") if own.get(k)}
        choice = relationship_choice(rep.get("relationship") or "", self.record, self.pack)
        coded = RELATIONSHIP_CODES.get(choice) if choice else None
        return {"system": coded[0], "code": coded[1], "display": coded[2]} if coded else None

    def consent(self) -> dict:
        consent: dict[str, Any] = {
            "resourceType": "Consent", "meta": self.tag,
            "identifier": [consent_identifier(self.document_id)],
            "status": consent_status(self.outcome, void=self.void),
            "scope": {"coding": [CONSENT_SCOPE]},
            "category": [{"coding": [PATIENT_CONSENT]}],
            "patient": self.ref("Patient"),
            "dateTime": self.when(),
            "performer": [self.signer()],
            "policyRule": {"text": (self.signature or {}).get("meaning")
                           or (self.record.get("content") or {}).get("title") or "informed consent"},
            "sourceReference": self.ref("DocumentReference" if self.has_pdf else "QuestionnaireResponse"),
        }
        if self.outcome in (CONSENTED, DECLINED):
            consent["provision"] = {"type": "permit" if self.outcome == CONSENTED else "deny"}
        return consent

    def document_reference(self) -> dict:
        content = self.record.get("content") or {}
        title = content.get("title") or "Consent"
        language = self.record.get("language")
        attachments = []
        if self.row.get("countersigned_pdf_path"):
            attachments.append(pdf_attachment(self.item.pdf_bytes("countersigned"), language=language,
                                              title=f"{title} (countersigned)",
                                              creation=self.row.get("countersigned_at")))
        attachments.append(pdf_attachment(self.item.pdf_bytes(), title=title, language=language,
                                          creation=self.record.get("finished_at")))
        return {
            "resourceType": "DocumentReference", "meta": self.tag,
            "identifier": [consent_identifier(self.document_id)],
            "status": "entered-in-error" if self.void else "current",
            "docStatus": "amended" if len(attachments) > 1 else "final",
            "type": {"coding": [PATIENT_CONSENT]},
            "subject": self.ref("Patient"),
            "date": self.row.get("saved_at") or self.record.get("finished_at"),
            "author": [self.signer()],
            "description": title,
            "content": [{"attachment": a} for a in attachments],
        }

    def questionnaire_response(self) -> dict:
        content = self.record.get("content") or {}
        content_id = content.get("id") or "consent"
        items = [self.question_item(content_id, answer) for answer in self.record.get("answers") or []]
        statements = [self.statement_item(s) for s in self.record.get("statements") or []]
        if statements:
            items.append({"linkId": STATEMENTS_LINK, "item": statements})
        decision: dict[str, Any] = {"linkId": DECISION_LINK}
        if self.outcome in DECISIONS:
            decision["answer"] = [{"valueCoding": {"system": OUTCOME_SYSTEM, "code": self.outcome}}]
        items.append(decision)
        flags = self.record.get("flags") or []
        flag_item: dict[str, Any] = {"linkId": FLAGS_LINK}
        if flags:
            flag_item["answer"] = [{"valueCoding": {"system": FLAG_SYSTEM, "code": f}} for f in flags]
        items.append(flag_item)
        status = "entered-in-error" if self.void else "stopped" if self.outcome == ABANDONED else "completed"
        response = {
            "resourceType": "QuestionnaireResponse", "meta": self.tag,
            "identifier": consent_identifier(self.document_id),
            "questionnaire": f"{questionnaire_url(content_id, content.get('version') or '0')}"
                             + (f"|{content['sha256']}" if content.get("sha256") else ""),
            "status": status, "subject": self.ref("Patient"),
            "author": self.signer(), "source": self.signer(), "item": items,
        }
        if self.record.get("finished_at"):
            response["authored"] = self.record["finished_at"]
        return response

    def question_item(self, content_id: str, answer: dict) -> dict:
        link = question_link(answer["question_id"])
        system = choice_system(content_id, answer["question_id"])
        attempts = [{"valueCoding": {"system": system, "code": a["choice"], "display": a.get("text") or a["choice"]},
                     "extension": [{"url": ANSWERED_AT_EXTENSION, "valueDateTime": a["at"]},
                                   {"url": CORRECT_EXTENSION, "valueBoolean": bool(a["correct"])}]}
                    for a in answer.get("attempts") or []]
        given: dict[str, Any] = {"linkId": f"{link}.answer", "text": answer.get("prompt")}
        if attempts:
            given["answer"] = attempts
        item: dict[str, Any] = {
            "linkId": link, "text": answer.get("prompt"),
            "item": [given, {"linkId": f"{link}.status",
                             "answer": [{"valueCoding": {"system": STATUS_SYSTEM, "code": answer["status"]}}]}],
        }
        if answer.get("reviewed_page"):
            item["extension"] = [{"url": REVIEWED_PAGE_EXTENSION, "valueString": answer["reviewed_page"]}]
        return item

    def statement_item(self, statement: dict) -> dict:
        confirmed = statement.get("confirmed_at")
        answer: dict[str, Any] = {"valueBoolean": bool(confirmed)}
        if confirmed:
            answer["extension"] = [{"url": CONFIRMED_AT_EXTENSION, "valueDateTime": confirmed}]
        return {"linkId": statement_link(statement["id"]), "text": statement.get("text"), "answer": [answer]}

    def provenance(self) -> dict:
        targets = [self.ref("Consent"), *([self.ref("DocumentReference")] if self.has_pdf else []),
                   self.ref("QuestionnaireResponse")]
        agents = [{"type": {"coding": [{"system": PARTICIPANT, "code": "author", "display": "Author"}]},
                   "who": self.signer()},
                  {"type": {"coding": [{"system": PARTICIPANT, "code": "assembler", "display": "Assembler"}]},
                   "who": {"identifier": {"system": KIOSK_SYSTEM, "value": self.item.kiosk_id or "kiosk"},
                           "display": f"Consent kiosk {self.item.kiosk_id}".strip()}}]
        provenance: dict[str, Any] = {
            "resourceType": "Provenance", "meta": self.tag, "target": targets,
            "occurredDateTime": self.when(), "recorded": self.row.get("saved_at") or self.when(), "agent": agents,
        }
        if self.signature:
            data = canonical_json(self.signature)
            provenance["signature"] = [{
                "type": [CONSENT_SIGNATURE], "when": self.signature["signed_at"], "who": self.signer(),
                "sigFormat": "application/json", "data": base64.b64encode(data).decode("ascii"),
                "extension": [{"url": SHA256_EXTENSION, "valueString": hashlib.sha256(data).hexdigest()},
                              *([{"url": STROKES_SHA256_EXTENSION, "valueString": self.signature["strokes_sha256"]}]
                                if self.signature.get("strokes_sha256") else [])],
            }]
        return provenance


def relationship_choice(text: str, record: dict, pack=None) -> str | None:
    """The kiosk's relationship choice id (a RELATIONSHIP_CODES key) whose words, in the
    record's language or in English, are `text`; the id itself if `text` is one; else None."""
    if text in RELATIONSHIP_CODES:
        return text
    packs = [pack] if pack is not None else []
    content = record.get("content") or {}
    for language in dict.fromkeys([record.get("language") or "en", "en"]):
        try:
            from kiosk.content import load_pack

            packs.append(load_pack(language, procedure=content.get("id") or "vertebroplasty"))
        except Exception:  # a pack that is gone or broken only costs the code, never the hand-off
            continue
    wanted = text.strip().casefold()
    for candidate in packs:
        for choice in RELATIONSHIP_CODES:
            try:
                if candidate.ui(f"relationship_{choice}").strip().casefold() == wanted:
                    return choice
            except Exception:
                continue
    return None
