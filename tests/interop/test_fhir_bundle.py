"""The FHIR R4 Bundle of a stored consent, and the Questionnaire of the content (no server)."""

from __future__ import annotations

import base64
import hashlib

import pytest

from kiosk.interop.fhir import (
    CONSENT_STATUS,
    RELATIONSHIP_CODES,
    consent_bundle,
    consent_status,
    relationship_choice,
    signature_sha256,
)
from kiosk.interop.questionnaire import build_questionnaire, questionnaire_url
from kiosk.outcomes import OUTCOMES


def resources(bundle: dict) -> dict:
    return {entry["resource"]["resourceType"]: entry for entry in bundle["entry"]}


def test_every_outcome_has_a_consent_status():
    assert set(CONSENT_STATUS) == {*OUTCOMES, "void"}
    assert [consent_status(o) for o in ("consented", "declined", "questions", "abandoned")] == [
        "active", "rejected", "proposed", "draft"]
    assert consent_status("consented", void=True) == "entered-in-error"


def test_bundle_validates_and_holds_the_five_resources_with_the_right_references(fhir_demo):
    from fhir.resources.R4B.bundle import Bundle

    item = fhir_demo.case["consented"]
    bundle = consent_bundle(item)
    Bundle.model_validate(bundle)
    assert bundle["type"] == "transaction"
    found = resources(bundle)
    assert list(found) == ["Patient", "Consent", "DocumentReference", "QuestionnaireResponse", "Provenance"]
    url = {kind: entry["fullUrl"] for kind, entry in found.items()}
    assert all(u.startswith("urn:uuid:") for u in url.values()) and len(set(url.values())) == 5
    consent = found["Consent"]["resource"]
    assert consent["patient"]["reference"] == url["Patient"]
    assert consent["performer"] == [{"reference": url["Patient"]}]
    assert consent["sourceReference"]["reference"] == url["DocumentReference"]
    assert consent["category"][0]["coding"][0]["code"] == "59284-0"
    assert consent["scope"]["coding"][0]["code"] == "treatment"
    assert found["DocumentReference"]["resource"]["subject"]["reference"] == url["Patient"]
    assert found["QuestionnaireResponse"]["resource"]["subject"]["reference"] == url["Patient"]
    targets = {t["reference"] for t in found["Provenance"]["resource"]["target"]}
    assert {url["Consent"], url["DocumentReference"]} <= targets
    for entry in bundle["entry"]:  # every entry is a conditional create
        assert entry["request"]["method"] == "POST" and entry["request"]["ifNoneExist"]


def test_the_same_consent_gives_the_same_bundle(fhir_demo):
    item = fhir_demo.case["questions"]
    assert consent_bundle(item) == consent_bundle(item)


def test_the_pdf_is_attached_with_its_sha1_and_sha256(fhir_demo):
    item = fhir_demo.case["consented"]
    pdf = item.pdf_bytes()
    attachment = resources(consent_bundle(item))["DocumentReference"]["resource"]["content"][0]["attachment"]
    assert base64.b64decode(attachment["data"]) == pdf
    assert attachment["size"] == len(pdf) == item.consent["pdf_size"]
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(pdf).digest()).decode()
    assert attachment["extension"][0]["valueString"] == item.consent["pdf_sha256"]


def test_patient_has_the_mrn_once_identity_is_checked_else_the_consent_uuid(fhir_demo):
    identified = fhir_demo.case["identified"]
    patient = resources(consent_bundle(identified, mrn_system="urn:oid:1.2.3.4"))["Patient"]
    assert patient["resource"]["identifier"][0]["system"] == "urn:oid:1.2.3.4"
    assert patient["resource"]["identifier"][0]["value"] == identified.consent["mrn"]
    assert patient["request"]["ifNoneExist"] == f"identifier=urn%3Aoid%3A1.2.3.4%7C{identified.consent['mrn']}"
    assert patient["resource"]["birthDate"] == identified.record["patient"]["date_of_birth"]
    other = fhir_demo.case["unidentified"]
    identifier = resources(consent_bundle(other))["Patient"]["resource"]["identifier"][0]
    assert identifier["value"] == other.document_id and "mrn" not in identifier["system"]


def test_a_representative_signs_as_related_person(fhir_demo):
    item = fhir_demo.case["representative"]
    found = resources(consent_bundle(item))
    person = found["RelatedPerson"]
    assert person["resource"]["name"][0]["text"] == item.record["representative"]["full_name"]
    assert person["resource"]["patient"]["reference"] == found["Patient"]["fullUrl"]
    assert found["Consent"]["resource"]["performer"] == [{"reference": person["fullUrl"]}]
    assert found["Provenance"]["resource"]["agent"][0]["who"] == {"reference": person["fullUrl"]}
    relationship = person["resource"]["relationship"][0]
    assert relationship["text"] == item.record["representative"]["relationship"]  # the words shown, kept
    own = item.record["representative"].get("relationship_code")  # the record's code (schema 3) wins
    expected = own or dict(zip(("system", "code", "display"), RELATIONSHIP_CODES[relationship_choice(
        relationship["text"], item.record)]))
    assert relationship["coding"] == [expected]


@pytest.mark.parametrize("language", ["en", "es", "de"])
def test_relationship_words_map_to_hl7_role_codes(language):
    from kiosk.content import load_pack

    pack = load_pack(language)
    record = {"language": language, "content": {"id": pack.id}}
    for choice in RELATIONSHIP_CODES:
        assert relationship_choice(pack.ui(f"relationship_{choice}"), record) == choice
    assert RELATIONSHIP_CODES["son_daughter"][1] == "CHILD" and RELATIONSHIP_CODES["legal_guardian"][1] == "GUARD"


def test_abandoned_has_no_document_reference_and_the_questionnaire_response_is_the_source(fhir_demo):
    found = resources(consent_bundle(fhir_demo.case["abandoned"]))
    assert "DocumentReference" not in found
    assert found["Consent"]["resource"]["status"] == "draft"
    assert found["Consent"]["resource"]["sourceReference"]["reference"] == found["QuestionnaireResponse"]["fullUrl"]
    assert found["QuestionnaireResponse"]["resource"]["status"] == "stopped"


def test_provenance_carries_the_signature_and_its_sha256(fhir_demo):
    item = fhir_demo.case["consented"]
    signature = resources(consent_bundle(item))["Provenance"]["resource"]["signature"][0]
    assert signature["when"] == item.record["signature"]["signed_at"]
    assert signature["extension"][0]["valueString"] == signature_sha256(item.record["signature"])
    assert hashlib.sha256(base64.b64decode(signature["data"])).hexdigest() == signature_sha256(item.record["signature"])


def test_questionnaire_from_the_content_pack_matches_the_response():
    from fhir.resources.R4B.questionnaire import Questionnaire

    from kiosk.content import load_pack

    pack = load_pack("en")
    questionnaire = build_questionnaire(pack)
    Questionnaire.model_validate(questionnaire)
    assert questionnaire["url"] == questionnaire_url(pack.id, pack.version)
    assert questionnaire["version"] == pack.sha256
    groups = {item["linkId"]: item for item in questionnaire["item"]}
    for question in pack.questions:
        answer = groups[f"question.{question.id}"]["item"][0]
        assert [o["valueCoding"]["code"] for o in answer["answerOption"]] == [c.id for c in question.choices]
    statements = [i["linkId"] for i in groups["statements"]["item"]]
    assert statements == [f"statement.{s.id}" for s in pack.statements]
    assert [o["valueCoding"]["code"] for o in groups["decision"]["answerOption"]] == ["consented", "questions",
                                                                                        "declined"]


def test_response_link_ids_are_all_in_the_questionnaire(fhir_demo):
    from kiosk.content import load_pack

    def links(items):
        for item in items:
            yield item["linkId"]
            yield from links(item.get("item") or [])

    questionnaire = build_questionnaire(load_pack("en"))
    known = set(links(questionnaire["item"]))
    for item in fhir_demo.items:
        response = resources(consent_bundle(item))["QuestionnaireResponse"]["resource"]
        assert set(links(response["item"])) <= known
        assert response["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"
