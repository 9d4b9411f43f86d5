"""The outbox's FHIR target: each consent POSTed to the hospital's FHIR R4 endpoint.

``FhirTarget(base_url).deliver(item)``:

- kind "consent": POSTs the consent's transaction Bundle (kiosk.interop.fhir.consent_bundle)
  to ``base_url``; returns the Consent's location on the server. Every entry is a conditional
  create by the consent's UUID, so a retry after a lost answer creates nothing new.
- kind "event", action "countersigned": the consent's DocumentReference on the server is read
  (by the consent's UUID) and written back with the countersigned PDF first and the original
  second (``docStatus`` amended); returns its location.
- kind "event", action "voided": the Consent, the DocumentReference and the
  QuestionnaireResponse on the server become ``entered-in-error``; returns the Consent's
  location.
- kind "event", action "identity_checked": the Patient of the consent (found by the consent's
  UUID in the kiosk's patient system) gains the MRN the nurse checked, as an identifier with
  the hospital's MRN system, so the record can be matched to the hospital's patient; a Patient
  that already has it is left as it is. (Two Patients with one MRN, when the hospital's server
  already knew the patient, are for its patient index to merge.)
- every other event (viewed, help acknowledged, nurse accounts, ...): returns None and sends
  nothing; the health record has no use for them.

Failures: connection refused, time-out, 408, 429 and 5xx are ``DeliveryError(permanent=False)``
(the outbox tries again later); any other 4xx is permanent, with the server's
OperationOutcome text, for IT to read. Plain urllib: no extra dependency. No Qt.
"""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.request
from typing import Any

from kiosk.interop.fhir import (
    DEFAULT_MRN_SYSTEM,
    MRN_TYPE,
    PATIENT_SYSTEM,
    BundleError,
    consent_bundle,
    consent_identifier,
    document_reference,
    identifier_query,
    tag_query,
)
from kiosk.outbox.target import DeliveryError, OutboxItem

FHIR_JSON = "application/fhir+json"
TRANSIENT_STATUSES = {408, 429}


class FhirTarget:
    """A FHIR R4 server that takes transaction Bundles at `base_url` (e.g.
    ``https://fhir.example-hospital.org/fhir``)."""

    name = "fhir"

    def __init__(self, base_url: str, *, timeout: float = 10, mrn_system: str = DEFAULT_MRN_SYSTEM):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.mrn_system = mrn_system

    # ----- the outbox's call
    def deliver(self, item: OutboxItem) -> str | None:
        if item.kind == "consent":
            return self.send_consent(item)
        action = (item.event or {}).get("action")
        if action == "countersigned":
            return self.send_countersignature(item)
        if action == "voided":
            return self.send_void(item)
        if action == "identity_checked":
            return self.send_identity(item)
        return None

    def send_identity(self, item: OutboxItem) -> str | None:
        mrn = ((item.event or {}).get("detail") or {}).get("mrn") or item.consent.get("mrn")
        if not mrn:
            return None
        wanted = {"use": "usual", "type": {"coding": [MRN_TYPE]}, "system": self.mrn_system, "value": mrn}
        patient = self.find("Patient", identifier_query({"system": PATIENT_SYSTEM, "value": item.document_id}),
                            item.document_id, missing_ok=True)
        if patient is None:  # sent after the check: its Patient has the MRN already
            self.find("Patient", identifier_query(wanted), item.document_id)
            return None
        if any(i.get("system") == self.mrn_system and i.get("value") == mrn for i in patient.get("identifier", [])):
            return f"{self.base_url}/Patient/{patient['id']}"
        patient = dict(patient, identifier=[*patient.get("identifier", []), wanted])
        self.request("PUT", f"Patient/{patient['id']}", patient)
        return f"{self.base_url}/Patient/{patient['id']}"

    def send_consent(self, item: OutboxItem) -> str:
        try:
            bundle = consent_bundle(item, mrn_system=self.mrn_system)
        except BundleError as error:
            raise DeliveryError(f"consent {item.document_id} could not be written as FHIR: {error}",
                                permanent=True) from error
        answer = self.request("POST", "", bundle)
        return _location_of(answer, "Consent") or self.base_url

    def send_countersignature(self, item: OutboxItem) -> str:
        existing = self.find("DocumentReference", identifier_query(consent_identifier(item.document_id)),
                             item.document_id)
        updated = document_reference(item, mrn_system=self.mrn_system)
        for kept in ("id", "subject", "author"):  # the server's own references stay
            if kept in existing:
                updated[kept] = existing[kept]
        self.request("PUT", f"DocumentReference/{existing['id']}", updated)
        return f"{self.base_url}/DocumentReference/{existing['id']}"

    def send_void(self, item: OutboxItem) -> str:
        entries = []
        consent = None
        for kind, query in (("Consent", identifier_query(consent_identifier(item.document_id))),
                            ("DocumentReference", identifier_query(consent_identifier(item.document_id))),
                            ("QuestionnaireResponse", tag_query(item.document_id))):
            found = self.search(kind, query)
            if not found:
                if kind == "Consent":
                    raise DeliveryError(f"consent {item.document_id} is not on the FHIR server yet, so it "
                                        "cannot be marked void there; it will be tried again")
                continue
            resource = dict(found[0], status="entered-in-error")
            consent = consent or resource
            entries.append({"resource": resource, "request": {"method": "PUT", "url": f"{kind}/{resource['id']}"}})
        self.request("POST", "", {"resourceType": "Bundle", "type": "transaction", "entry": entries})
        return f"{self.base_url}/Consent/{consent['id']}"

    # ----- reading back
    def search(self, resource_type: str, query: str) -> list[dict]:
        """The resources a search finds (first page)."""
        answer = self.request("GET", f"{resource_type}?{query}", None)
        return [entry["resource"] for entry in answer.get("entry") or [] if "resource" in entry]

    def find(self, resource_type: str, query: str, document_id: str, *, missing_ok: bool = False) -> dict | None:
        found = self.search(resource_type, query)
        if not found and missing_ok:
            return None
        if not found:
            raise DeliveryError(f"the {resource_type} of consent {document_id} is not on the FHIR server yet; "
                                "it will be tried again")
        if len(found) > 1:
            raise DeliveryError(f"the FHIR server holds {len(found)} {resource_type} resources for consent "
                                f"{document_id}; IT must merge them before it can be updated", permanent=True)
        return found[0]

    # ----- HTTP
    def request(self, method: str, path: str, body: dict | None) -> dict[str, Any]:
        """One HTTP exchange with the server; its JSON answer. DeliveryError as the module says."""
        url = f"{self.base_url}/{path}" if path else self.base_url
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        headers = {"Accept": FHIR_JSON, **({"Content-Type": f"{FHIR_JSON}; charset=utf-8"} if data else {})}
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        where = f"the FHIR server at {self.base_url}"
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read()
        except urllib.error.HTTPError as error:
            detail = _outcome_text(error.read())
            permanent = 400 <= error.code < 500 and error.code not in TRANSIENT_STATUSES
            raise DeliveryError(f"{where} refused {method} {path or 'the Bundle'} (HTTP {error.code}"
                                f"{': ' + detail if detail else ''})", permanent=permanent) from error
        except urllib.error.URLError as error:
            raise DeliveryError(f"{where} cannot be reached ({_reason(error.reason)}); "
                                "it will be tried again") from error
        except (TimeoutError, socket.timeout) as error:
            raise DeliveryError(f"{where} did not answer within {self.timeout:g} s; it will be tried again") from error
        except (http.client.HTTPException, ConnectionError, OSError) as error:
            raise DeliveryError(f"{where} broke off the connection ({error}); it will be tried again") from error
        try:
            answer = json.loads(text) if text else {}
        except ValueError as error:
            raise DeliveryError(f"{where} answered with something that is not JSON; it will be tried again") \
                from error
        _check_entries(answer, where)
        return answer


def _check_entries(answer: dict, where: str) -> None:
    """A transaction-response whose entries did not all succeed (a server that answers 200
    anyway): permanent, with the first failing entry's words."""
    if answer.get("resourceType") != "Bundle" or not str(answer.get("type", "")).endswith("-response"):
        return
    for number, entry in enumerate(answer.get("entry") or []):
        status = str((entry.get("response") or {}).get("status", ""))
        if status and not status.startswith("2"):
            detail = _outcome_text(json.dumps((entry.get("response") or {}).get("outcome") or {}).encode())
            raise DeliveryError(f"{where} refused entry {number} of the Bundle ({status}"
                                f"{': ' + detail if detail else ''})", permanent=not status.startswith("5"))


def _location_of(answer: dict, resource_type: str) -> str | None:
    for entry in answer.get("entry") or []:
        location = (entry.get("response") or {}).get("location") or ""
        if f"{resource_type}/" in location:
            return location.split("/_history/")[0]
    return None


def _outcome_text(raw: bytes) -> str:
    """The words of an OperationOutcome (its issues' diagnostics or details), else the start
    of the body as text."""
    try:
        outcome = json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace").strip()[:300]
    if not isinstance(outcome, dict):
        return ""
    words = [issue.get("diagnostics") or (issue.get("details") or {}).get("text") or issue.get("code") or ""
             for issue in outcome.get("issue") or []]
    return "; ".join(w for w in words if w)[:1000]


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "no answer in time"
    return str(reason)
