"""The consent task: which step comes after this one, given the results so far.

Navigation lives here and only here (ResearchKit's `ORKTask stepAfterStep:withResult:`). Pages
never decide where to go; they report a result and "forward" or "back".
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.flow.results import DecisionResult, QuestionResult, SignerResult, TaskResult
from kiosk.flow.steps import (
    BirthDateStep,
    DecisionCheckStep,
    DecisionStep,
    DoneStep,
    InfoStep,
    NameStep,
    QuestionStep,
    RelationshipStep,
    ReviewStep,
    SignatureStep,
    SignerStep,
    StatementsStep,
    Step,
)

SIGNER, PATIENT_NAME, BIRTH_DATE = "signer", "patient_name", "birth_date"
REPRESENTATIVE_NAME, RELATIONSHIP = "representative_name", "relationship"
STATEMENTS, DECISION, SIGNATURE, DONE = "statements", "decision", "signature", "done"
DECISION_CHECK = "decision_check"


def signer_role(results: TaskResult) -> str:
    """Who signs: "representative" once someone has said they sign for the patient, else
    "patient" (also before anyone has said). The one place that reads the signer step."""
    signer = results.get(SIGNER)
    return "representative" if isinstance(signer, SignerResult) and signer.role == "representative" else "patient"


def can_try_again(results: TaskResult, question_step: str) -> bool:
    """Whether the question at `question_step` will be asked once more: only after exactly one
    answer, and that one wrong. The one place that says so, for the route (`step_after`) and
    for the page that explains it, which promises a new try only when there will be one."""
    result = results.get(question_step)
    return isinstance(result, QuestionResult) and len(result.attempts) == 1 and not result.last_correct


def info_step_id(page_id: str) -> str:
    return f"info.{page_id}"


def question_step_id(question_id: str) -> str:
    return f"quiz.{question_id}"


def review_step_id(question_id: str) -> str:
    return f"review.{question_id}"


class DuplicateStepError(ValueError):
    """Two steps share an id: results would overwrite each other."""


@dataclass(frozen=True)
class ConsentTask:
    """An ordered journey plus the branching rules that make it more than a list.

    Rules (all decided from results, never by a page):
    - after the date of birth, the representative's steps only if someone signs for the patient;
    - after a question answered wrongly the first time, the page that explains it (a
      ReviewStep), then the same question again; wrong again: on to the next step (the answer
      is flagged for the doctor by `kiosk.flow.record`);
    - after the decision, the signature only for "consented"; "questions" and "declined" go to
      the check "You chose ... Is that right?" (a DecisionCheckStep), and only from there, on
      "Yes", to Done: one mis-tap never ends the journey. "No, go back" is Back: the decision
      again, with the unconfirmed choice withdrawn (`withdrawn_on_back`) and all else kept.
    """

    steps: tuple[Step, ...]

    def __post_init__(self):
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                raise DuplicateStepError(f"step id {step.id!r} is used twice")
            seen.add(step.id)
        object.__setattr__(self, "_index", {s.id: i for i, s in enumerate(self.steps)})

    @property
    def first_step(self) -> Step:
        return self.steps[0]

    def step(self, step_id: str) -> Step:
        return self.steps[self._index[step_id]]

    def _following(self, step_id: str, skip=()) -> Step | None:
        for step in self.steps[self._index[step_id] + 1 :]:
            if isinstance(step, ReviewStep) or step.id in skip:
                continue
            return step
        return None

    def withdrawn_on_back(self, step_id: str) -> tuple[str, ...]:
        """Ids of results that no longer hold once the patient goes Back from `step_id`.

        Only the check after the decision has any: "No, go back" means "that was not my
        choice", so the unconfirmed decision is withdrawn; every other answer is kept.
        """
        return (DECISION,) if isinstance(self.step(step_id), DecisionCheckStep) else ()

    def step_after(self, step_id: str, results: TaskResult) -> Step | None:
        """The step to show after `step_id`, or None when the journey is over.

        >>> task.step_after("quiz.q_leak", results)  # first answer wrong
        ReviewStep(id='review.q_leak', page_id='risks_leak', question_id='q_leak')
        """
        step = self.step(step_id)
        if isinstance(step, BirthDateStep) and signer_role(results) == "patient":
            return self._following(step_id, skip=(REPRESENTATIVE_NAME, RELATIONSHIP))
        if isinstance(step, QuestionStep) and can_try_again(results, step_id):
            return self.step(review_step_id(step.question_id))
        if isinstance(step, ReviewStep):
            return self.step(question_step_id(step.question_id))
        if isinstance(step, DecisionStep):
            decision = results.get(step_id)
            if not isinstance(decision, DecisionResult):
                return None
            if decision.outcome != "consented":
                return self.step(DECISION_CHECK)
            return self._following(step_id, skip=(DECISION_CHECK,))
        if isinstance(step, DecisionCheckStep):  # forward from here is only ever "Yes, that is right"
            decision = results.get(DECISION)
            unsigned = isinstance(decision, DecisionResult) and decision.outcome != "consented"
            return self.step(DONE) if unsigned else None
        if isinstance(step, DoneStep):
            return None
        return self._following(step_id)


def build_consent_task(pack) -> ConsentTask:
    """A procedure's journey built from its content pack (`kiosk.content.load_pack`).

    Its shape is the pack's `[journey]`: the questions all after the reading ("at_end"), or
    each after the section holding the page that explains it ("after_each_section"); and
    whether someone may sign for the patient ("representative": without it there is no
    "who is signing" step and no representative's steps)."""
    pages = pack.pages
    questions = pack.questions
    journey = getattr(pack, "journey", None) or {}
    steps: list[Step] = []
    if journey.get("representative", True):
        steps.append(SignerStep(SIGNER))
    steps += [NameStep(PATIENT_NAME, whose="patient"), BirthDateStep(BIRTH_DATE)]
    if journey.get("representative", True):
        steps += [NameStep(REPRESENTATIVE_NAME, whose="representative"), RelationshipStep(RELATIONSHIP)]
    after_sections = journey.get("questions") == "after_each_section"
    section_of = {p.id: p.section_id for p in pages}
    in_order = questions if not after_sections else [  # numbered in the order they are asked
        q for s in dict.fromkeys(p.section_id for p in pages) for q in questions if section_of[q.explained_by] == s]
    numbered = {q.id: i for i, q in enumerate(in_order, start=1)}

    def asked(q) -> list[Step]:
        return [QuestionStep(question_step_id(q.id), question_id=q.id, number=numbered[q.id], total=len(questions)),
                ReviewStep(review_step_id(q.id), page_id=q.explained_by, question_id=q.id)]

    for i, p in enumerate(pages, start=1):  # the disclaimer on the first page, where the reading starts
        steps.append(InfoStep(info_step_id(p.id), page_id=p.id, section_id=p.section_id, number=i,
                              total=len(pages), disclaimer=i == 1))
        last_of_section = i == len(pages) or pages[i].section_id != p.section_id
        if after_sections and last_of_section:
            for q in questions:
                if section_of[q.explained_by] == p.section_id:
                    steps += asked(q)
    if not after_sections:
        for q in questions:
            steps += asked(q)
    steps += [StatementsStep(STATEMENTS), DecisionStep(DECISION), DecisionCheckStep(DECISION_CHECK),
              SignatureStep(SIGNATURE), DoneStep(DONE)]
    return ConsentTask(tuple(steps))
