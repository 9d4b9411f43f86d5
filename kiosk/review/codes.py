"""The codes the nurse station shows, each defined once, with its display text beside it.

The codes themselves live at the bottom of the house: the outcomes below every layer
(``kiosk.outcomes.OUTCOMES``, which the journey, the documents and the store read too), the
review states and queue flags in the store, which validates them
(``kiosk.store.review.REVIEW_STATES``, ``kiosk.store.queue.FLAGS``); this module is where the review layer and the nurse pages read
them from, and where a code becomes words (translations/nurse/<language>.toml). A code
without words is caught by tests/review/test_texts.py, not by a nurse.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.outcomes import OUTCOMES
from kiosk.review.texts import NurseTexts
from kiosk.store.queue import FLAGS as _QUEUE_FLAGS
from kiosk.store.review import REVIEW_STATES

QUEUE_FLAGS: tuple[str, ...] = tuple(_QUEUE_FLAGS)  # what the queue filters on
# The clinician's role on a countersignature: a fixed list (codes), shown and printed as text.
ROLES = ("interventional_radiologist", "doctor", "nurse_practitioner")

__all__ = ["OUTCOMES", "QUEUE_FLAGS", "REVIEW_STATES", "ROLES", "Coded", "coded", "choices"]


@dataclass(frozen=True)
class Coded:
    """A code and its display text, e.g. Coded("consented", "Consented")."""

    code: str
    text: str


def coded(texts: NurseTexts, table: str, code: str | None) -> Coded:
    """``code`` with its words from ``[table]``; an unknown code keeps itself as its text."""
    code = code or ""
    key = f"{table}.{code}"
    return Coded(code, texts(key) if texts.has(key) else code)


def choices(texts: NurseTexts, table: str, codes: tuple[str, ...]) -> tuple[Coded, ...]:
    """Every code of a list with its words, in the list's order (for filter and role buttons)."""
    return tuple(coded(texts, table, code) for code in codes)
