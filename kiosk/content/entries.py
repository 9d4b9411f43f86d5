"""The entries of a content pack: sections, pages, risks, questions, statements, sources and
the approval block. Frozen plain data, built by `kiosk.content.pack.load_pack`. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass

SIGNER_ROLES = ("patient", "representative")


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    page_ids: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    """One education screen. `more` is the optional "tell me more" text."""

    id: str
    section_id: str
    title: str
    body: str
    more: str | None
    illustration: str
    animation: str | None = None  # e.g. "cement_injection": shown in place of the still picture
    source: str | None = None  # a [sources] id for content beyond the leaflet; None: the leaflet


@dataclass(frozen=True)
class Risk:
    """A risk the patient is told about; `page_id` is the page that explains it."""

    id: str
    name: str
    summary: str
    page_id: str
    source: str | None = None


@dataclass(frozen=True)
class Choice:
    id: str
    text: str


@dataclass(frozen=True)
class Question:
    """A multiple-choice comprehension question; a wrong answer leads back to `explained_by`.

    `topics` says what it checks (structure.QUESTION_TOPICS); `situation` marks a question that
    asks what to do in a situation rather than what was said.
    """

    id: str
    prompt: str
    choices: tuple[Choice, ...]
    correct: str
    explanation: str
    explained_by: str
    risk_ids: tuple[str, ...]
    topics: tuple[str, ...] = ()
    situation: bool = False
    source: str | None = None


@dataclass(frozen=True)
class Statement:
    """One consent statement, confirmed one by one before signing, in the signer's voice.

    `text` is what the patient confirms ("my broken bone"); `representative_text` what someone
    signing for them confirms ("the patient's broken bone"). A `representative_only` statement
    is shown to a representative alone (that they are entitled to decide for the patient).
    """

    id: str
    text: str
    representative_text: str
    topics: tuple[str, ...] = ()
    representative_only: bool = False
    source: str | None = None

    def text_for(self, signer_role: str) -> str:
        """The words for `signer_role`: "patient" or "representative"; ValueError otherwise."""
        if signer_role == "patient":
            return self.text
        if signer_role == "representative":
            return self.representative_text
        raise ValueError(f"signer_role is {signer_role!r}, must be one of {SIGNER_ROLES}")


@dataclass(frozen=True)
class Source:
    """A published source for content that does not come from the leaflet."""

    title: str
    publisher: str
    year: str
    url: str


@dataclass(frozen=True)
class Approval:
    """Who signed the content off for clinical use; every field is "" until someone has."""

    approved_by: str = ""
    role: str = ""
    date: str = ""  # YYYY-MM-DD

    @property
    def approved(self) -> bool:
        """True only when all three are filled in: a half-filled block is not an approval."""
        return bool(self.approved_by and self.role and self.date)
