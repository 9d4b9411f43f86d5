"""The fonts of every PDF, shipped in assets/fonts: DejaVu Sans, then Droid Sans Fallback.

DejaVu Sans (see LICENSE-DejaVu.txt) covers Latin, Greek, Cyrillic, Arabic and Hebrew; Droid
Sans Fallback (Apache-2.0, see LICENSE-DroidSansFallback.txt; TrueType outlines, which
ReportLab embeds, unlike Noto CJK's PostScript ones) covers Chinese, Japanese and Korean. Text
is drawn in runs: each character in the first font of the chain that has it (`runs`), so a
Chinese name in an English consent prints as itself. A character no font has (Devanagari,
Thai, emoji) is found with `has_glyph`; the kiosk refuses such a name at entry
(`kiosk.flow.identity`, from the same fonts' coverage in assets/fonts/coverage.txt), and the
text layer replaces it with U+FFFD, visibly, if one arrives some other way.
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
CJK = "DroidSansFallback"  # one weight: bold CJK text is drawn in it too
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", CJK: "DroidSansFallbackFull.ttf"}
CHAIN = (CJK,)  # after the DejaVu face asked for, in this order


@cache
def register_fonts() -> tuple[str, str]:
    """Register the shipped fonts with ReportLab once per process.

    Returns the (regular, bold) font names. `<b>` in Paragraph markup maps to the bold face.
    """
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    for bold, italic in ((0, 0), (0, 1), (1, 0), (1, 1)):
        addMapping(REGULAR, bold, italic, BOLD if bold else REGULAR)
        addMapping(CJK, bold, italic, CJK)
    # A drawing (the pictures, the QR code) starts its graphics state in Times-Roman, a font
    # never drawn but named on every page, and not embedded: DejaVu instead, so that every
    # font of the PDF is embedded (pdffonts) as an archived document should have it.
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = REGULAR
    return REGULAR, BOLD


@cache
def _cmap(name: str) -> frozenset[int]:
    register_fonts()
    return frozenset(pdfmetrics.getFont(name).face.charToGlyph)


@cache
def _dejavu() -> frozenset[int]:
    # Only what both faces draw: a name printed in bold must not lose letters either.
    return _cmap(REGULAR) & _cmap(BOLD)


def font_for(char: str, base: str = REGULAR) -> str | None:
    """The font that draws `char` for text set in `base` (a DejaVu face); None if none can."""
    code = ord(char)
    if code in _dejavu() or (code in _cmap(base) and char.isspace()):
        return base
    for name in CHAIN:
        if code in _cmap(name):
            return name
    return None


def has_glyph(char: str) -> bool:
    """True when a shipped font can draw `char` (a single character) in regular and bold."""
    return font_for(char) is not None


def runs(text: str, base: str = REGULAR) -> list[tuple[str, str]]:
    """`text` cut into [(font, piece)], each piece drawn in one font; spaces and other
    characters every font has stay with the run they are in."""
    out: list[tuple[str, str]] = []
    for char in text:
        font = font_for(char, base) or base
        if out and (out[-1][0] == font or (char == " " and out[-1][0] != base)):
            out[-1] = (out[-1][0], out[-1][1] + char)
        else:
            out.append((font, char))
    return out


def coverage_ranges() -> list[tuple[int, int]]:
    """The code points some shipped font draws, as sorted inclusive ranges."""
    codes = sorted(_dejavu() | frozenset().union(*(_cmap(name) for name in CHAIN)))
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ranges


def coverage_text() -> str:
    """assets/fonts/coverage.txt: what the kiosk's name check reads without loading any font."""
    lines = ["# Code points the PDF fonts draw (DejaVu Sans regular and bold, then Droid Sans Fallback),",
             "# as hex ranges. Made by kiosk.documents.fonts.coverage_text(); a test checks it is current."]
    lines += [f"{a:X}-{b:X}" if a != b else f"{a:X}" for a, b in coverage_ranges()]
    return "\n".join(lines) + "\n"
