"""The consent journey's steps: immutable data with string ids (after ResearchKit's ORKStep).

A step says *what* the patient is shown, never how; `kiosk.ui` maps each step type to a page
in one place. Steps are built from the content pack by `kiosk.flow.task.build_consent_task`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One screen of the journey, known by a unique string id."""

    id: str


@dataclass(frozen=True)
class SignerStep(Step):
    """Who is signing: the patient, or someone signing for the patient."""


@dataclass(frozen=True)
class NameStep(Step):
    """A full name typed on the on-screen keyboard; `whose` is "patient" or "representative"."""

    whose: str = "patient"


@dataclass(frozen=True)
class BirthDateStep(Step):
    """The patient's date of birth, entered on the kiosk's own date pad."""


@dataclass(frozen=True)
class RelationshipStep(Step):
    """How the representative is related to the patient."""


@dataclass(frozen=True)
class InfoStep(Step):
    """One education page. `number` counts from 1 among `total` education pages.

    `disclaimer`: this page also says that this is general information, not a doctor's advice
    (the pack's disclaimer); the task puts it on one page, read once.
    """

    page_id: str = ""
    section_id: str = ""
    number: int = 0
    total: int = 0
    disclaimer: bool = False


@dataclass(frozen=True)
class ReviewStep(Step):
    """An education page shown again after a wrong answer, then back to `question_id`."""

    page_id: str = ""
    question_id: str = ""


@dataclass(frozen=True)
class QuestionStep(Step):
    """A comprehension question. `number` counts from 1 among `total` questions."""

    question_id: str = ""
    number: int = 0
    total: int = 0


@dataclass(frozen=True)
class StatementsStep(Step):
    """The consent statements, each confirmed by its own tap."""


@dataclass(frozen=True)
class DecisionStep(Step):
    """Three ways on: agree and sign, questions for the doctor first, or no."""


@dataclass(frozen=True)
class DecisionCheckStep(Step):
    """Asks "You chose: <choice>. Is that right?" after a choice that ends without a signature.

    Only "Yes, that is right" goes on (the window saves then); "No, go back" returns to the
    decision, every earlier answer kept.
    """


@dataclass(frozen=True)
class SignatureStep(Step):
    """The signature pad."""


@dataclass(frozen=True)
class DoneStep(Step):
    """Thanks, and what happens next. The record is saved before this step is shown."""
