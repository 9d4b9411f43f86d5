"""Times and days as the nurse station shows them, in the nurse's words (no Qt, no locale:
Qt sets the C locale, so ``%b`` and ``%a`` would not follow the translation).

    short_time(texts, "2026-11-25T14:05:00+00:00", date(2026, 11, 30))  # "25 Nov 14:05"
    day_name(texts, "2026-11-25")  # "Wed 25 Nov"
"""

from __future__ import annotations

from datetime import date, datetime

from kiosk.review.texts import NurseTexts


def _month(texts: NurseTexts, month: int) -> str:
    return texts("when.months").split()[month - 1]


def short_time(texts: NurseTexts, at: str, today: date) -> str:
    """ "25 Nov 14:05" this year, "25 Nov 2025 14:05" another year, from ISO 8601 (a "T" or a
    space between date and time); text that is not a time comes back as it is."""
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return at[:16].replace("T", " ")
    key = "when.this_year" if when.year == today.year else "when.other_year"
    return texts(key, day=when.day, month=_month(texts, when.month), year=when.year, time=f"{when:%H:%M}")


def day_name(texts: NurseTexts, day: str) -> str:
    """ "Wed 25 Nov" for "2026-11-25"."""
    when = date.fromisoformat(day)
    return texts("when.day", weekday=texts("when.weekdays").split()[when.weekday()], day=when.day,
                 month=_month(texts, when.month))
