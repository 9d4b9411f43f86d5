"""Consents handed to a real FHIR R4 server (SEKMET on loopback) and read back from it."""

from __future__ import annotations

import base64
import hashlib
import socket
import time
from pathlib import Path

import pytest

from kiosk.interop.fhir import (
    CONSENT_STATUS,
    consent_bundle,
    consent_identifier,
    identifier_query,
    signature_sha256,
    tag_query,
)
from kiosk.interop.fhir_target import FhirTarget
from kiosk.outbox.target import DeliveryError
from kiosk.outcomes import OUTCOMES
from tests.interop.fhir_server import FhirServer


def by_identifier(server, kind: str, document_id: str) -> list[dict]:
    return server.search(kind, identifier_query(consent_identifier(document_id)))


def by_tag(server, kind: str, document_id: str) -> list[dict]:
    return server.search(kind, tag_query(document_id))


def patient_query(item) -> str:
    entry = consent_bundle(item)["entry"][0]
    return entry["request"]["ifNoneExist"]


def read_answers(response: dict) -> tuple[dict, dict, list]:
    """From a QuestionnaireResponse: {question: (status, [(choice, at, correct)...])},
    {statement: confirmed}, [flags]."""
    def ext(answer, name):
        return next(e for e in answer["extension"] if e["url"].endswith(name))

    questions, statements, flags = {}, {}, []
    for item in response["item"]:
        link = item["linkId"]
        if link.startswith("question."):
            given, status = item["item"]
            attempts = [(a["valueCoding"]["code"], ext(a, "answered-at")["valueDateTime"],
                         ext(a, "correct")["valueBoolean"]) for a in given.get("answer") or []]
            questions[link.removeprefix("question.")] = (status["answer"][0]["valueCoding"]["code"], attempts)
        elif link == "statements":
            statements = {s["linkId"].removeprefix("statement."): s["answer"][0]["valueBoolean"] for s in item["item"]}
        elif link == "flags":
            flags = [a["valueCoding"]["code"] for a in item.get("answer") or []]
    return questions, statements, flags


def record_answers(record: dict) -> tuple[dict, dict, list]:
    questions = {a["question_id"]: (a["status"], [(t["choice"], t["at"], t["correct"]) for t in a["attempts"]])
                 for a in record["answers"]}
    statements = {s["id"]: bool(s["confirmed_at"]) for s in record["statements"]}
    return questions, statements, list(record["flags"])


CASES = [*OUTCOMES, "void"]


@pytest.mark.parametrize("case", CASES)
def test_each_outcome_is_read_back_from_the_server(fhir_demo, fhir_server, case):
    item = fhir_demo.case[case]
    started = time.perf_counter()
    receipt = FhirTarget(fhir_server.base_url).deliver(item)
    took = time.perf_counter() - started
    print(f"{case}: delivered in {took * 1000:.0f} ms")
    consents = by_identifier(fhir_server, "Consent", item.document_id)
    assert len(consents) == 1
    consent = consents[0]
    assert receipt == f"{fhir_server.base_url}/Consent/{consent['id']}"
    expected = CONSENT_STATUS["void" if case == "void" else case]
    assert consent["status"] == expected

    patients = fhir_server.search("Patient", patient_query(item))
    assert len(patients) == 1
    patient = patients[0]
    assert consent["patient"]["reference"] == f"Patient/{patient['id']}"
    assert patient["name"][0]["text"] == item.record["patient"]["full_name"]
    assert patient.get("birthDate") == item.record["patient"]["date_of_birth"]

    response = by_tag(fhir_server, "QuestionnaireResponse", item.document_id)
    assert len(response) == 1
    assert read_answers(response[0]) == record_answers(item.record)

    provenance = by_tag(fhir_server, "Provenance", item.document_id)
    assert len(provenance) == 1
    targets = {t["reference"] for t in provenance[0]["target"]}
    assert f"Consent/{consent['id']}" in targets

    documents = by_identifier(fhir_server, "DocumentReference", item.document_id)
    if case == "abandoned":  # no PDF is made for a session left unfinished
        assert documents == [] and consent["sourceReference"]["reference"].startswith("QuestionnaireResponse/")
        return
    assert len(documents) == 1
    document = documents[0]
    assert consent["sourceReference"]["reference"] == f"DocumentReference/{document['id']}"
    assert f"DocumentReference/{document['id']}" in targets
    attachment = document["content"][-1]["attachment"]  # the original (a countersigned one comes first)
    stored = Path(item.consent["pdf_path"]).read_bytes()
    assert base64.b64decode(attachment["data"]) == stored
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(stored).digest()).decode()
    assert attachment["size"] == len(stored)
    assert attachment["extension"][0]["valueString"] == hashlib.sha256(stored).hexdigest() == item.consent["pdf_sha256"]
    assert document["status"] == ("entered-in-error" if case == "void" else "current")
    if item.record["signature"]:
        signature = provenance[0]["signature"][0]
        assert signature["when"] == item.record["signature"]["signed_at"]
        assert signature["extension"][0]["valueString"] == signature_sha256(item.record["signature"])


def test_the_same_consent_sent_twice_creates_nothing_new(fhir_demo, fhir_server):
    item = fhir_demo.case["identified"]
    target = FhirTarget(fhir_server.base_url)
    first = target.deliver(item)
    second = target.deliver(item)  # a retry after the first answer was lost
    assert first == second
    assert len(fhir_server.search("Patient", patient_query(item))) == 1
    for kind in ("Consent", "DocumentReference"):
        assert len(by_identifier(fhir_server, kind, item.document_id)) == 1
    for kind in ("QuestionnaireResponse", "Provenance"):
        assert len(by_tag(fhir_server, kind, item.document_id)) == 1
    patient = fhir_server.search("Patient", patient_query(item))[0]
    assert patient["identifier"][0]["value"] == item.consent["mrn"]


def _event(fhir_demo, document_id: str, action: str):
    from kiosk.store.outbox import load_item

    for row in fhir_demo.db.query("SELECT o.id FROM outbox o JOIN audit_log a ON a.id = o.audit_id"
                                  " WHERE o.kind = 'event' AND a.action = ? AND o.document_id = ?",
                                  [action, document_id]):
        return load_item(fhir_demo.db, row["id"], kiosk_id="ward-3-kiosk")
    raise AssertionError(f"no {action} event for {document_id}")


def test_a_countersignature_updates_the_document_reference(fhir_demo, fhir_server):
    item = fhir_demo.case["countersigned"]
    target = FhirTarget(fhir_server.base_url)
    target.deliver(item)
    event = _event(fhir_demo, item.document_id, "countersigned")
    receipt = target.deliver(event)
    documents = by_identifier(fhir_server, "DocumentReference", item.document_id)
    assert len(documents) == 1 and receipt.endswith(f"DocumentReference/{documents[0]['id']}")
    content = documents[0]["content"]
    countersigned = Path(item.consent["countersigned_pdf_path"]).read_bytes()
    assert base64.b64decode(content[0]["attachment"]["data"]) == countersigned
    assert base64.b64decode(content[1]["attachment"]["data"]) == Path(item.consent["pdf_path"]).read_bytes()
    assert documents[0]["docStatus"] == "amended"
    target.deliver(event)  # again: still one DocumentReference
    assert len(by_identifier(fhir_server, "DocumentReference", item.document_id)) == 1


def test_a_void_marks_the_consent_entered_in_error(fhir_demo, fhir_server):
    item = fhir_demo.case["void"]
    target = FhirTarget(fhir_server.base_url)
    target.deliver(item)
    event = _event(fhir_demo, item.document_id, "voided")
    target.deliver(event)
    assert [c["status"] for c in by_identifier(fhir_server, "Consent", item.document_id)] == ["entered-in-error"]
    assert [d["status"] for d in by_identifier(fhir_server, "DocumentReference", item.document_id)] == [
        "entered-in-error"]


def test_an_identity_checked_after_the_consent_was_sent_reaches_the_patient(fhir_demo, fhir_server):
    from kiosk.interop.fhir import DEFAULT_MRN_SYSTEM, PATIENT_SYSTEM
    from kiosk.store.review import set_identity_checked

    item = fhir_demo.case["unidentified"]
    target = FhirTarget(fhir_server.base_url)
    target.deliver(item)
    query = identifier_query({"system": PATIENT_SYSTEM, "value": item.document_id})
    [before] = fhir_server.search("Patient", query)
    assert not [i for i in before["identifier"] if i["system"] == DEFAULT_MRN_SYSTEM]
    set_identity_checked(fhir_demo.db, item.document_id, mrn="MRN-70411", nurse="nurse:1",
                         at="2026-12-04T10:00:00+00:00")
    event = _event(fhir_demo, item.document_id, "identity_checked")
    receipt = target.deliver(event)
    [after] = fhir_server.search("Patient", query)
    assert receipt.endswith(f"Patient/{after['id']}") and after["id"] == before["id"]
    assert [i["value"] for i in after["identifier"] if i["system"] == DEFAULT_MRN_SYSTEM] == ["MRN-70411"]
    assert fhir_server.search("Patient", identifier_query({"system": DEFAULT_MRN_SYSTEM, "value": "MRN-70411"}))
    target.deliver(event)  # again: still one MRN, one Patient
    [again] = fhir_server.search("Patient", query)
    assert [i["value"] for i in again["identifier"] if i["system"] == DEFAULT_MRN_SYSTEM] == ["MRN-70411"]


def test_other_events_send_nothing(fhir_demo, fhir_server):
    item = fhir_demo.case["identified"]
    assert FhirTarget(fhir_server.base_url).deliver(_event(fhir_demo, item.document_id, "view_record")) is None


def test_a_server_that_is_down_is_tried_again_later(fhir_demo, tmp_path):
    stopped = FhirServer(tmp_path / "never-started")  # its port is free: nothing listens there
    with pytest.raises(DeliveryError) as caught:
        FhirTarget(stopped.base_url, timeout=2).deliver(fhir_demo.case["consented"])
    assert caught.value.permanent is False
    assert "cannot be reached" in str(caught.value) and "connection refused" in str(caught.value)


def test_a_server_that_does_not_answer_is_tried_again_later(fhir_demo):
    with socket.socket() as silent:  # accepts connections (the backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(DeliveryError) as caught:
            FhirTarget(f"http://127.0.0.1:{port}/fhir", timeout=0.5).deliver(fhir_demo.case["questions"])
        assert time.monotonic() - started < 5
    assert caught.value.permanent is False


def test_a_malformed_resource_is_refused_for_good_with_the_servers_words(fhir_demo, fhir_server):
    item = fhir_demo.case["declined"]
    before = len(by_identifier(fhir_server, "Consent", item.document_id))
    bundle = consent_bundle(item)
    for entry in bundle["entry"]:  # plain creates: nothing is taken over from what the server holds
        del entry["request"]["ifNoneExist"]
    bundle["entry"][0]["resource"]["birthDate"] = "1948-13-45"  # no such month: the server says 400
    with pytest.raises(DeliveryError) as caught:
        FhirTarget(fhir_server.base_url).request("POST", "", bundle)
    assert caught.value.permanent is True
    assert "HTTP 400" in str(caught.value) and "birthDate" in str(caught.value)
    assert len(by_identifier(fhir_server, "Consent", item.document_id)) == before  # rolled back whole


def test_server_start_up_time(fhir_server):
    print(f"SEKMET ready in {fhir_server.seconds_to_ready:.2f} s")
    assert fhir_server.seconds_to_ready < 30


@pytest.mark.parametrize(("status", "permanent"), [(503, False), (500, False), (429, False), (404, True), (422, True)])
def test_http_errors_from_a_real_listener(fhir_demo, status, permanent):
    """A real HTTP listener on loopback that answers every POST with `status` and an
    OperationOutcome (what a FHIR server in trouble sends)."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Answer(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            body = json.dumps({"resourceType": "OperationOutcome", "issue": [
                {"severity": "error", "code": "exception", "diagnostics": f"the record said {status}"}]}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    listener = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=listener.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        with pytest.raises(DeliveryError) as caught:
            FhirTarget(f"http://127.0.0.1:{listener.server_port}/fhir").deliver(fhir_demo.case["abandoned"])
    finally:
        listener.shutdown()
        listener.server_close()
    assert caught.value.permanent is permanent
    assert f"HTTP {status}" in str(caught.value) and f"the record said {status}" in str(caught.value)
