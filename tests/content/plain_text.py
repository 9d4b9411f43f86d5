"""Helpers for checking the patient text: readability and leaflet overlap."""

from __future__ import annotations

import hashlib
import re
import warnings

with warnings.catch_warnings():
    # textstat 0.7.4 imports pkg_resources, which warns on import; tests turn warnings into errors.
    warnings.simplefilter("ignore")
    import textstat

SHINGLE_WORDS = 8


def as_sentences(texts: list[str]) -> str:
    """Texts joined into one passage; a title or choice without a full stop counts as a sentence."""
    return " ".join(t if t.rstrip()[-1:] in ".!?" else t.rstrip() + "." for t in texts if t.strip())


def reading_grade(texts: list[str]) -> float:
    """Flesch-Kincaid grade (textstat 0.7.4) of the texts read as one passage."""
    return textstat.flesch_kincaid_grade(as_sentences(texts))


def words(text: str) -> list[str]:
    """Lowercase words, with punctuation (hyphens included) treated as spaces."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


def shingles(text: str) -> set[str]:
    """Short hashes of every run of SHINGLE_WORDS words in `text` (the leaflet is not stored)."""
    w = words(text)
    return {
        hashlib.sha256(" ".join(w[i : i + SHINGLE_WORDS]).encode()).hexdigest()[:16]
        for i in range(len(w) - SHINGLE_WORDS + 1)
    }
