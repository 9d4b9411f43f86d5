"""The fonts of every PDF: DejaVu Sans, shipped in assets/fonts (see LICENSE-DejaVu.txt there).

DejaVu covers Latin, Greek, Cyrillic, Arabic and Hebrew, so a patient's name prints as
letters, never as empty boxes. Characters it lacks (emoji, CJK) are found with `has_glyph`
so the text layer can replace them instead of printing nothing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


@cache
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular and bold) with ReportLab once per process.

    Returns the (regular, bold) font names. `<b>` in Paragraph markup maps to the bold face.
    """
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    for bold, italic in ((0, 0), (0, 1), (1, 0), (1, 1)):
        addMapping(REGULAR, bold, italic, BOLD if bold else REGULAR)
    return REGULAR, BOLD


@cache
def _covered() -> frozenset[int]:
    register_fonts()
    faces = [pdfmetrics.getFont(name).face.charToGlyph for name in _FILES]
    # Only what both faces draw: a name printed in bold must not lose letters either.
    return frozenset(faces[0]).intersection(*faces[1:])


def has_glyph(char: str) -> bool:
    """True when both DejaVu faces can draw `char` (a single character)."""
    return ord(char) in _covered()
