"""The FHIR R4 Questionnaire of a content pack: what a QuestionnaireResponse's answers mean.

A consent's QuestionnaireResponse (kiosk.interop.fhir) refers to the Questionnaire of the
content the patient was shown, by ``questionnaire_url(content_id, version)`` and the content's
SHA-256 as its version (``url|sha256``), so a hospital can tell two editions of the same
procedure apart. The linkIds and code systems below are shared by both sides; they are the
kiosk's own ids (question, choice, statement ids of the pack), never translated text.

Items, in the pack's order:
- one group per question (``question.<id>``) holding ``.answer`` (choice, repeats: every
  answer the patient gave, in order, each coded by its choice id) and ``.status`` (understood,
  understood_after_review, needs_doctor, not_answered);
- a group ``statements`` with one boolean per statement (``statement.<id>``: confirmed);
- ``decision`` (choice: consented, questions, declined; no answer for an abandoned session);
- ``flags`` (choice, repeats: what a nurse must notice, as kiosk.flow.record.derive_flags).

No Qt, no network: a pure function of the pack.
"""

from __future__ import annotations

from kiosk.outcomes import DECISIONS, FLAG_BY_OUTCOME

KIOSK_URN = "urn:kiosk"
QUESTION_STATUSES = ("understood", "understood_after_review", "needs_doctor", "not_answered")
STATUS_SYSTEM = f"{KIOSK_URN}:question-status"
OUTCOME_SYSTEM = f"{KIOSK_URN}:outcome"
FLAG_SYSTEM = f"{KIOSK_URN}:flag"
STATEMENTS_LINK = "statements"
DECISION_LINK = "decision"
FLAGS_LINK = "flags"


def questionnaire_url(content_id: str, version: str) -> str:
    """The Questionnaire's canonical url for one procedure's content version."""
    return f"{KIOSK_URN}:questionnaire:{content_id}:{version}"


def choice_system(content_id: str, question_id: str) -> str:
    """The code system of one question's choices (their ids: "a", "b", ...)."""
    return f"{KIOSK_URN}:choice:{content_id}:{question_id}"


def question_link(question_id: str) -> str:
    return f"question.{question_id}"


def statement_link(statement_id: str) -> str:
    return f"statement.{statement_id}"


def flag_codes(question_ids) -> list[str]:
    """Every flag a consent of this content can carry (kiosk.flow.record.derive_flags)."""
    return [*(f"needs_doctor:{qid}" for qid in question_ids), "help_requested",
            *dict.fromkeys(FLAG_BY_OUTCOME.values())]


def build_questionnaire(pack) -> dict:
    """The Questionnaire (FHIR R4 JSON) of `pack` (a kiosk.content.ContentPack), in its
    language; checked against fhir.resources' R4B model."""
    from fhir.resources.R4B.questionnaire import Questionnaire

    def coding(system: str, code: str, display: str | None = None) -> dict:
        return {"valueCoding": {"system": system, "code": code, **({"display": display} if display else {})}}

    items = []
    for question in pack.questions:
        link = question_link(question.id)
        items.append({
            "linkId": link, "type": "group", "text": question.prompt,
            "item": [
                {"linkId": f"{link}.answer", "type": "choice", "repeats": True, "text": question.prompt,
                 "answerOption": [coding(choice_system(pack.id, question.id), c.id, c.text)
                                  for c in question.choices]},
                {"linkId": f"{link}.status", "type": "choice", "text": "Understanding",
                 "answerOption": [coding(STATUS_SYSTEM, s) for s in QUESTION_STATUSES]},
            ],
        })
    items.append({
        "linkId": STATEMENTS_LINK, "type": "group", "text": pack.ui("statements_title")
        if _has_ui(pack, "statements_title") else "Statements",
        "item": [{"linkId": statement_link(s.id), "type": "boolean", "text": s.text} for s in pack.statements],
    })
    items.append({
        "linkId": DECISION_LINK, "type": "choice",
        "text": pack.ui("decision_title") if _has_ui(pack, "decision_title") else "Decision",
        "answerOption": [coding(OUTCOME_SYSTEM, d, pack.ui(f"decision_{d}") if _has_ui(pack, f"decision_{d}")
                                else None) for d in DECISIONS],
    })
    items.append({
        "linkId": FLAGS_LINK, "type": "choice", "repeats": True, "text": "Flags for the nurse",
        "answerOption": [coding(FLAG_SYSTEM, f) for f in flag_codes(q.id for q in pack.questions)],
    })
    questionnaire = {
        "resourceType": "Questionnaire",
        "url": questionnaire_url(pack.id, pack.version),
        "version": pack.sha256,
        "name": "".join(part.title() for part in pack.id.split("_")) + "Consent",
        "title": pack.title,
        "status": "active",
        "language": pack.language,
        "subjectType": ["Patient"],
        "item": items,
    }
    return Questionnaire.model_validate(questionnaire).model_dump(mode="json", exclude_none=True)


def _has_ui(pack, key: str) -> bool:
    try:
        pack.ui(key)
    except Exception:  # a pack without the word: the item keeps an English default
        return False
    return True
