"""Checks on what a patient types about themselves. Kind, specific, never lossy.

Each check returns the cleaned value and an error *key*; the UI looks the key up in the
translation's `[ui]` table, so every language gets its own kind wording.
"""

from __future__ import annotations

import bisect
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

MAX_NAME_LENGTH = 150
MAX_AGE_YEARS = 120

# Letters and combining marks of any script, plus what names really contain.
_NAME_PUNCTUATION = set(" -'\u2019.\u2010\u2011\u05be\u05f3\u05f4\u200c\u200d")


COVERAGE_FILE = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "coverage.txt"
_INVISIBLE = set("\u200c\u200d")  # joiners: drawn as nothing, in any font


@cache
def _coverage() -> tuple[list[int], list[int]]:
    """(starts, ends) of the code-point ranges the PDF fonts draw (kiosk.documents.fonts)."""
    starts, ends = [], []
    for line in COVERAGE_FILE.read_text(encoding="ascii").splitlines():
        if line and not line.startswith("#"):
            first, _, last = line.partition("-")
            starts.append(int(first, 16))
            ends.append(int(last or first, 16))
    return starts, ends


def unprintable_letters(text: str) -> str:
    """The characters of `text` that no font of the consent PDF can draw, each once, in order.

    Devanagari, Thai and emoji today: such a name would print as U+FFFD, so it is refused at
    entry with these letters named, instead of being lost on the patient's own consent."""
    starts, ends = _coverage()
    found = []
    for ch in text:
        if ch in _INVISIBLE or ch in found:
            continue
        place = bisect.bisect_right(starts, ord(ch)) - 1
        if place < 0 or ord(ch) > ends[place]:
            found.append(ch)
    return "".join(found)


def clean_name(text: str) -> str:
    """NFC-normalised, with runs of white space folded to one space and ends trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def check_full_name(text: str) -> tuple[str, str | None]:
    """(cleaned name, None) when acceptable, else (cleaned name, error key).

    Error keys: ``name_empty``, ``name_too_long``, ``name_no_letters``, ``name_bad_characters``,
    ``name_script_unsupported`` (letters no PDF font draws: `unprintable_letters` names them).
    Any script the PDF fonts draw is accepted: Latin, Greek, Cyrillic, Arabic, Hebrew, CJK...

    >>> check_full_name("  Zoë   Ångström ")
    ('Zoë Ångström', None)
    """
    name = clean_name(text)
    if not name:
        return name, "name_empty"
    if len(name) > MAX_NAME_LENGTH:
        return name, "name_too_long"
    categories = [unicodedata.category(ch) for ch in name]
    if not any(c.startswith("L") for c in categories):
        return name, "name_no_letters"
    for ch, cat in zip(name, categories):
        if not (cat[0] in "LM" or ch in _NAME_PUNCTUATION):
            return name, "name_bad_characters"
    if unprintable_letters(name):
        return name, "name_script_unsupported"
    return name, None


def check_birth_date(day: str, month: str, year: str, *, today: date) -> tuple[date | None, str | None]:
    """(date, None) when it is a real date of a living person, else (None, error key).

    Error keys: ``dob_incomplete``, ``dob_not_a_date``, ``dob_in_future``, ``dob_too_old``.
    """
    if not (day.strip() and month.strip() and len(year.strip()) == 4):
        return None, "dob_incomplete"
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return None, "dob_not_a_date"
    if value > today:
        return None, "dob_in_future"
    try:
        oldest = today.replace(year=today.year - MAX_AGE_YEARS)
    except ValueError:  # 29 February
        oldest = today.replace(year=today.year - MAX_AGE_YEARS, day=28)
    if value < oldest:
        return None, "dob_too_old"
    return value, None
