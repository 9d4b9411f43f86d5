"""kiosk.documents.text: record text made drawable (shaping, bidi, missing glyphs, times)."""

import re

import pytest

from kiosk.documents.fonts import BOLD, REGULAR, has_glyph, register_fonts
from kiosk.documents.text import break_lines, fit_line, format_time, has_rtl, shaped, starts_rtl, visual

register_fonts()


@pytest.mark.parametrize("text, expected", [
    ("Margaret", False), ("Zoë", False), ("Наталья", False), ("שרה", True), ("فاطمة", True),
    ("Dr. שרה", True), ("", False),
])
def test_has_rtl(text, expected):
    assert has_rtl(text) is expected


@pytest.mark.parametrize("text, expected", [("שרה Cohen", True), ("Sarah כהן", False), ("123 فاطمة", True),
                                            ("123", False)])
def test_starts_rtl_follows_the_first_strong_letter(text, expected):
    assert starts_rtl(text) is expected


@pytest.mark.parametrize("text, expected", [
    (None, ""), ("a\nb\tc", "a b c"), ("Rose 🌹 Smith", "Rose \ufffd Smith"), ("李小龙", "李小龙"), ("नेहा", "\ufffd\ufffd\ufffd\ufffd"),
    ("Zoe\u0308", "Zoë"),  # decomposed accents are composed, so they draw as one glyph
])
def test_shaped(text, expected):
    assert shaped(text) == expected


def test_arabic_is_joined_and_every_glyph_exists():
    result = shaped("عبد الله")
    assert result != "عبد الله" and all(has_glyph(c) for c in result) and "\ufffd" not in result


def test_hebrew_is_reversed_for_drawing():
    assert visual("שרה כהן") == "ןהכ הרש"


def test_latin_is_left_alone():
    assert visual("Margaret O'Brien") == "Margaret O'Brien"


@pytest.mark.parametrize("text", ["one two three four five six seven eight nine ten", "x" * 300])
def test_break_lines_fits_and_keeps_every_letter(text):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    lines = break_lines(text, 80, REGULAR, 11)
    assert all(stringWidth(line, REGULAR, 11) <= 80 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_fit_line_shortens_with_an_ellipsis():
    from reportlab.pdfbase.pdfmetrics import stringWidth
    line = fit_line("Wolfeschlegelsteinhausenbergerdorff " * 5, 100, BOLD, 9)
    assert line.endswith("…") and stringWidth(line, BOLD, 9) <= 100


@pytest.mark.parametrize("value, expected", [
    ("2026-11-25T14:03:12+00:00", "2026-11-25 14:03:12 +00:00"),
    ("2026-07-01T09:00:00+01:00", "2026-07-01 09:00:00 +01:00"),
    ("2026-07-01T09:00:00-05:30", "2026-07-01 09:00:00 -05:30"),
    ("not a time", "not a time"),
    (None, ""),
])
def test_format_time_always_shows_the_offset(value, expected):
    assert format_time(value) == expected


@pytest.mark.parametrize("value, zone, expected", [
    ("2026-11-25T14:03:12+00:00", "Europe/London", "2026-11-25 14:03:12 +00:00 Europe/London"),
    ("2026-07-01T09:00:00+02:00", "Europe/Paris", "2026-07-01 09:00:00 +02:00 Europe/Paris"),
    ("2026-11-25T14:03:12+00:00", "local", "2026-11-25 14:03:12 +00:00"),  # a zone the kiosk could not name
    ("2026-11-25T14:03:12+00:00", None, "2026-11-25 14:03:12 +00:00"),
    (None, "Europe/London", ""),
])
def test_format_time_names_the_zone_beside_the_offset(value, zone, expected):
    assert format_time(value, zone) == expected


def test_right_to_left_paragraph_wraps_in_reading_order(read):
    """The first words of a long Hebrew sentence are on its first line, the last on its last."""
    from consent_records import HOSPITAL, build_record

    from kiosk.documents import render_consent_pdf

    words = [f"מילה{'א' * (n % 5)}ב{n:02d}" for n in range(60)]  # distinct words, numbered
    record = build_record()
    record["risks"][0]["summary"] = " ".join(words)
    lines = [line for line in read.poppler(render_consent_pdf(record, hospital_name=HOSPITAL)).splitlines()
             if "מילה" in line]
    numbers = [[int(n) for n in re.findall(r"\d\d", line)] for line in lines]
    assert len(numbers) >= 3
    assert 0 in numbers[0] and 59 in numbers[-1]
    assert sorted(n for line in numbers for n in line) == list(range(60))
