"""What each step produced: plain data, serialisable to JSON exactly as the patient made it.

Each page reports one of these; the session stores it under the step id (ResearchKit's
ORKStepResult gathered into an ORKTaskResult).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.outcomes import DECISIONS


@dataclass(frozen=True)
class SignerResult:
    """`role` is "patient" or "representative"."""

    role: str


@dataclass(frozen=True)
class NameResult:
    full_name: str


@dataclass(frozen=True)
class BirthDateResult:
    date_of_birth: str  # YYYY-MM-DD


@dataclass(frozen=True)
class RelationshipResult:
    relationship: str


@dataclass(frozen=True)
class PageResult:
    seen_at: str
    more_opened: bool = False


@dataclass(frozen=True)
class Attempt:
    choice: str
    correct: bool
    at: str


@dataclass(frozen=True)
class QuestionResult:
    """Every attempt at one question, in order; `shown_order` is the shuffled choice order."""

    shown_order: tuple[str, ...]
    attempts: tuple[Attempt, ...] = ()

    @property
    def last_correct(self) -> bool:
        return bool(self.attempts) and self.attempts[-1].correct


@dataclass(frozen=True)
class StatementsResult:
    """Statement id -> time confirmed, in the order the patient tapped them."""

    confirmed: tuple[tuple[str, str], ...] = ()


OUTCOMES = DECISIONS  # the patient's decisions (kiosk.outcomes); "abandoned" is not one


@dataclass(frozen=True)
class DecisionResult:
    """`outcome` is one of the patient's decisions, `kiosk.outcomes.DECISIONS`."""

    outcome: str

    def __post_init__(self):
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")


@dataclass(frozen=True)
class SignatureResult:
    """Smoothed strokes in pad units (y downwards), and when the patient pressed Sign."""

    strokes: tuple[tuple[tuple[float, float], ...], ...]
    width: float
    height: float
    signed_at: str


@dataclass(frozen=True)
class HelpRequest:
    at: str
    step_id: str


@dataclass
class TaskResult:
    """All results so far, by step id. Mutable only through `kiosk.flow.session.Session`."""

    by_step: dict[str, object] = field(default_factory=dict)

    def get(self, step_id: str):
        return self.by_step.get(step_id)
