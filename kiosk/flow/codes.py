"""The codes a consent carries out of the kiosk, each with its standard display text. No Qt.

Hospital systems read codes, not words: a representative's relationship to the patient, the
outcome, the flags, who signed and in what role. The kiosk keeps the patient-language text it
showed (the record's existing fields) and puts a `Coded` value BESIDE it, never instead of it;
`display` is the code system's own (English) display, the same in every language.

Where HL7 has a code for the idea it is used; where it has none, the kiosk's own system
(`urn:kiosk:...`) says so rather than bending a code that means something else. Every table
below names where each code comes from, for a clinician and the hospital's IT to sign off:
nothing here has been checked against a terminology server.

    RELATIONSHIPS["son_daughter"]   # Coded(ROLE_CODE, "CHILD", "child")
    outcome_code("declined")        # Coded("urn:kiosk:outcome", "declined", "Declined")
    consent_status("declined")      # Coded(CONSENT_STATE, "rejected", "Rejected")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from kiosk.outcomes import ABANDONED, CONSENTED, DECLINED, OUTCOMES, QUESTIONS


@dataclass(frozen=True)
class Coded:
    """A code in a code system, with the system's display text: a FHIR Coding's three parts."""

    system: str
    code: str
    display: str

    def to_dict(self) -> dict[str, str]:
        return {"system": self.system, "code": self.code, "display": self.display}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any] | None) -> Coded | None:
        """The Coded stored as {"system", "code", "display"}; None for None."""
        if value is None:
            return None
        return cls(value["system"], value["code"], value["display"])


# ----- code systems -------------------------------------------------------------------------------
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"  # HL7 v3 RoleCode (THO)
ROLE_CLASS = "http://terminology.hl7.org/CodeSystem/v3-RoleClass"  # HL7 v3 RoleClass (THO)
CONTACT_ROLE = "http://terminology.hl7.org/CodeSystem/v2-0131"  # HL7 v2 table 0131, Contact Role
SNOMED_CT = "http://snomed.info/sct"
CONSENT_STATE = "http://hl7.org/fhir/consent-state-codes"  # FHIR R4 Consent.status
KIOSK_OUTCOME = "urn:kiosk:outcome"
KIOSK_FLAG = "urn:kiosk:flag"
KIOSK_SIGNER_ROLE = "urn:kiosk:signer-role"
KIOSK_CLINICIAN_ROLE = "urn:kiosk:clinician-role"

# ----- the representative's relationship to the patient -------------------------------------------
# The choices the kiosk offers on "How are you related to the patient?", by the key of their
# text in translations/<lang>/ui.toml (`relationship_<key>`), in the order shown. The same
# keys are listed in kiosk/ui/pages/identity.py and kiosk/demo.py (RELATIONSHIPS), which may
# read them from here. FHIR R4 RelatedPerson.relationship is bound (extensible) to
# PatientRelationshipType: v3 RoleCode's personal relationships and v2 table 0131.
RELATIONSHIPS: Mapping[str, Coded] = {
    # One button for both: RoleCode SIGOTHR ("A person who is important to one's well being;
    # especially a spouse or one in a similar relationship") is the parent of SPS (spouse)
    # and DOMPART (domestic partner); SPS would be wrong for a partner who is not married.
    "spouse_partner": Coded(ROLE_CODE, "SIGOTHR", "significant other"),
    # "Son or daughter": CHILD, the parent of SON and DAU (the kiosk does not ask which).
    "son_daughter": Coded(ROLE_CODE, "CHILD", "child"),
    # Any other relative: FAMMEMB, the parent of every family relationship in RoleCode.
    "other_family": Coded(ROLE_CODE, "FAMMEMB", "family member"),
    # A legal guardian: RoleCode GUARD (in v3 ResponsibleParty, with POWATT and its kinds).
    # The kiosk offers no "power of attorney" choice, so POWATT/HPOWATT are never sent.
    "legal_guardian": Coded(ROLE_CODE, "GUARD", "guardian"),
    # A carer: RoleCode has no caregiver relationship; HL7 v3 RoleClass CAREGIVER is the
    # nearest HL7 code (outside PatientRelationshipType, which the extensible binding allows).
    "carer": Coded(ROLE_CLASS, "CAREGIVER", "caregiver"),
    # "Other": v2 table 0131 "O" (Other), which PatientRelationshipType includes.
    "other": Coded(CONTACT_ROLE, "O", "Other"),
}

# ----- the outcome ----------------------------------------------------------------------------------
# The kiosk's own system, one code per kiosk.outcomes.OUTCOMES; display as the nurse station
# shows it in English (translations/nurse/en: [outcome]).
OUTCOME_DISPLAY = {CONSENTED: "Consented", QUESTIONS: "Questions for the doctor",
                   DECLINED: "Declined", ABANDONED: "Abandoned"}
# The FHIR R4 Consent.status each outcome maps to (http://hl7.org/fhir/consent-state-codes):
# consented -> active (agreed to); declined -> rejected (refused); questions -> proposed
# ("proposed but not yet agreed to by all parties": the patient wants the doctor first);
# abandoned -> draft ("in development ... not yet intended to be acted upon": the form was
# left unfinished, nothing was agreed or refused). To be signed off by the hospital.
CONSENT_STATUS = {CONSENTED: Coded(CONSENT_STATE, "active", "Active"),
                  DECLINED: Coded(CONSENT_STATE, "rejected", "Rejected"),
                  QUESTIONS: Coded(CONSENT_STATE, "proposed", "Proposed"),
                  ABANDONED: Coded(CONSENT_STATE, "draft", "Pending")}

# ----- flags ----------------------------------------------------------------------------------------
# The kiosk's own system (no HL7 code says "answered a comprehension question wrong twice").
# The record's `flags` keep their text form ("needs_doctor:q_leak"); the coded flag is its part
# before the colon, the question id beside it (kiosk.flow.record.derive_flags).
FLAGS: Mapping[str, Coded] = {
    "needs_doctor": Coded(KIOSK_FLAG, "needs_doctor", "Needs the doctor's attention"),
    "help_requested": Coded(KIOSK_FLAG, "help_requested", "Asked for help"),
    "questions_for_doctor": Coded(KIOSK_FLAG, "questions_for_doctor", "Has questions for the doctor"),
    "declined": Coded(KIOSK_FLAG, "declined", "Declined"),
}

# ----- who signed -----------------------------------------------------------------------------------
# The patient's signature is by the patient or by a representative. HL7 has no code for "signed
# the consent for the patient" (RoleCode's relationships say how they are related, which
# `relationship_code` carries; RoleClass PAT is a class, not a signer's role), so the kiosk's
# own system is used for both.
SIGNER_ROLES: Mapping[str, Coded] = {
    "patient": Coded(KIOSK_SIGNER_ROLE, "patient", "Patient"),
    "representative": Coded(KIOSK_SIGNER_ROLE, "representative", "Patient's representative"),
}

# The clinician who countersigns: the nurse station's role buttons (kiosk/review/codes.py
# ROLES, their words in translations/nurse [role]) as SNOMED CT occupations (hierarchy
# 14679004), which FHIR's PractitionerRole.code example set (is-a 223366009 Healthcare
# professional) draws on:
CLINICIAN_ROLES: Mapping[str, Coded] = {
    # No occupation concept for the sub-speciality was found to be certain of: Radiologist,
    # its parent, is sent. Check with the hospital's SNOMED CT edition.
    "interventional_radiologist": Coded(SNOMED_CT, "66862007", "Radiologist (occupation)"),
    "doctor": Coded(SNOMED_CT, "158965000", "Medical practitioner (occupation)"),
    "nurse_practitioner": Coded(SNOMED_CT, "224571005", "Nurse practitioner (occupation)"),
}


def outcome_code(outcome: str) -> Coded:
    """`outcome` (one of kiosk.outcomes.OUTCOMES) in the kiosk's outcome system; ValueError
    for anything else."""
    if outcome not in OUTCOMES:
        raise ValueError(f"{outcome!r} is not an outcome; the outcomes are {', '.join(OUTCOMES)}")
    return Coded(KIOSK_OUTCOME, outcome, OUTCOME_DISPLAY[outcome])


def consent_status(outcome: str) -> Coded:
    """The FHIR R4 Consent.status for `outcome`; ValueError for an unknown outcome."""
    outcome_code(outcome)
    return CONSENT_STATUS[outcome]


def flag_code(flag: str) -> tuple[Coded, str | None] | None:
    """A record flag ("needs_doctor:q_leak", "help_requested"...) as its code and the question
    it is about (or None); None for a flag this kiosk has no code for."""
    name, _, question_id = flag.partition(":")
    coded = FLAGS.get(name)
    return None if coded is None else (coded, question_id or None)


def signer_role_code(role: str) -> Coded | None:
    """"patient" or "representative" as coded; None for anything else."""
    return SIGNER_ROLES.get(role)


def clinician_role_code(role: str | None) -> Coded | None:
    """A nurse station role code ("doctor"...) as SNOMED CT; None for an unknown one."""
    return CLINICIAN_ROLES.get(role or "")


def relationship_code(text: str, tables: Iterable[Mapping[str, str]]) -> Coded | None:
    """The coded relationship for `text` as the representative tapped it, or None unless
    that is certain.

    `tables` are {key: text shown} for each language the text may be in, most likely first
    (the session's language, then every installed one: `kiosk.flow.record.coded_relationship`
    makes them, lazily). The first table that has `text` as one choice's words decides; a
    text that is two choices in one language, or none in any, gives None: nothing is guessed.
    """
    for texts in tables:
        keys = [key for key, shown in texts.items() if shown == text and key in RELATIONSHIPS]
        if len(keys) == 1:
            return RELATIONSHIPS[keys[0]]
        if keys:
            return None
    return None
