"""Record text made safe and readable for ReportLab.

ReportLab draws glyphs left to right and knows nothing of Arabic joining or bidi order, so
text with Hebrew or Arabic letters is shaped (`arabic_reshaper`), broken into lines in
logical order and only then reordered per line (`bidi.get_display`), and a paragraph whose
first strong letter is right-to-left is right-aligned. Each character is drawn in the first
shipped font that has it (`kiosk.documents.fonts.runs`: DejaVu Sans, then Droid Sans Fallback
for Chinese), text with Chinese characters breaks between them, and characters no font draws
(Devanagari, emoji) become U+FFFD, a visible placeholder, so nothing vanishes silently and
nothing crashes.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from functools import cache
from xml.sax.saxutils import escape

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.ligatures import LIGATURES
from bidi.algorithm import get_display
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from kiosk.documents.fonts import CJK, has_glyph, runs

PLACEHOLDER = "\ufffd"
LTR_EMBED, POP = "\u202a", "\u202c"  # python-bidi 0.6 knows embeddings, not isolates (U+2066)
EMBEDDINGS = frozenset("\u202a\u202b\u202c\u202d\u202e")


def left_to_right(text: str) -> str:
    """`text` (a time, "2026-12-04 04:31 +00:00 Europe/London") kept in its own left-to-right
    order inside right-to-left text: without it the bidi algorithm runs its parts right to left."""
    return f"{LTR_EMBED}{text}{POP}"
_RTL_CLASSES = {"R", "AL"}


def has_rtl(text: str) -> bool:
    """True when `text` holds any right-to-left letter (Hebrew, Arabic, ...)."""
    return any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


def starts_rtl(text: str) -> bool:
    """True when the first strong letter of `text` is right-to-left (Unicode bidi rule P2)."""
    for c in text:
        kind = unicodedata.bidirectional(c)
        if kind in _RTL_CLASSES:
            return True
        if kind == "L":
            return False
    return False


@cache
def _reshaper() -> ArabicReshaper:
    # Only the ligatures DejaVu has a glyph for: the default set includes U+FDF2 (Allah),
    # which DejaVu lacks, and would turn "عبد الله" into a placeholder.
    drawable = {
        name: all(has_glyph(form) for form in forms if form)
        for name, (_, forms) in LIGATURES
    }
    return ArabicReshaper(configuration=drawable)


def shaped(text: object) -> str:
    """`text` as one line of logical-order text that DejaVu can draw.

    None becomes "", line breaks and other control characters become spaces, Arabic letters
    take their joined forms, and characters without a glyph become U+FFFD.
    """
    text = unicodedata.normalize("NFC", "" if text is None else str(text))
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    if not has_rtl(text):
        return "".join(c if has_glyph(c) else PLACEHOLDER for c in text if c not in EMBEDDINGS)
    text = _reshaper().reshape(text)
    # the embeddings stay for get_display, which orders by them and drops them
    return "".join(c if has_glyph(c) or c in EMBEDDINGS else PLACEHOLDER for c in text)


def text_width(text: str, font: str, size: float) -> float:
    """Width of `text` drawn in runs, each in the font that has its characters."""
    return sum(stringWidth(piece, face, size) for face, piece in runs(text, font))


def markup(text: str, font: str) -> str:
    """`text` (plain, already shaped) as Paragraph markup: escaped, with each run another font
    draws in its own `<font face>`."""
    return "".join(escape(piece) if face == font else f'<font face="{face}">{escape(piece)}</font>'
                   for face, piece in runs(text, font))


def draw_text(canvas, x: float, y: float, text: str, font: str, size: float, align: str = "left") -> None:
    """`canvas.drawString` in runs of fonts; `align` "left", "right" (x is the right end) or
    "centre". `text` is in drawing order (`visual`)."""
    width = text_width(text, font, size)
    start = {"left": x, "right": x - width, "centre": x - width / 2}[align]
    for face, piece in runs(text, font):
        canvas.setFont(face, size)
        canvas.drawString(start, y, piece)
        start += stringWidth(piece, face, size)
    canvas.setFont(font, size)


def has_cjk(text: str) -> bool:
    """True when some of `text` is drawn in the Chinese font (and so may break between characters)."""
    return any(face == CJK for face, _piece in runs(text))


def visual(text: object) -> str:
    """`text` as a single line in drawing order, ready for `canvas.drawString`."""
    line = shaped(text)
    return get_display(line) if has_rtl(line) else line


def fit_line(text: object, width: float, font: str, size: float) -> str:
    """`text` as one drawable line no wider than `width`, cut with "…" if needed."""
    line = shaped(text)
    if text_width(line, font, size) > width:
        while line and text_width(line + "…", font, size) > width:
            line = line[:-1]
        line += "…"
    return get_display(line) if has_rtl(line) else line


UNNAMED_ZONE = "local"  # a record whose kiosk could not name its zone (kiosk.flow.record.LOCAL_ZONE)


def format_time(value: object, zone: str | None = None) -> str:
    """An ISO 8601 time as "2026-11-25 14:03:12 +00:00 Europe/London": the UTC offset always
    shown, then the IANA name of the zone the record's times are in, when it has one.

    Anything that is not an ISO time is shown as it is, so odd input is never lost.
    """
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return "" if value is None else str(value)
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    offset = moment.strftime("%z")
    if offset:
        text = f"{text} {offset[:3]}:{offset[3:]}"
    return f"{text} {zone}" if zone and zone != UNNAMED_ZONE else text


def break_lines(text: str, width: float, font: str, size: float) -> list[str]:
    """Greedy line breaking of logical-order `text` at spaces; over-long words are cut."""
    def fits(s: str) -> bool:
        return text_width(s, font, size) <= width

    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and not fits(word):
            cut, used = 0, 0.0
            for c in word:
                used += text_width(c, font, size)
                if used > width:
                    break
                cut += 1
            cut = max(1, cut)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    lines.append(current)
    return lines


class _BidiParagraph(Flowable):
    """A paragraph of right-to-left text: lines broken in logical order, each reordered."""

    def __init__(self, logical: str, style: ParagraphStyle, base: str):
        super().__init__()
        self.logical, self.style, self.base = logical, style, base
        self._para: Paragraph | None = None

    def _layout(self, width: float) -> Paragraph:
        usable = width - self.style.leftIndent - self.style.rightIndent - 1  # 1 pt: rounding slack
        base = self.base
        lines = break_lines(self.logical, usable, self.style.fontName, self.style.fontSize)
        text = "<br/>".join(markup(get_display(line, base_dir=base), self.style.fontName) for line in lines)
        return Paragraph(text, self.style)

    def wrap(self, availWidth, availHeight):
        self._para = self._layout(availWidth)
        return self._para.wrap(availWidth, availHeight)

    def split(self, availWidth, availHeight):
        return self._layout(availWidth).split(availWidth, availHeight)

    def drawOn(self, canvas, x, y, _sW=0):
        self._para.drawOn(canvas, x, y, _sW)

    def getSpaceBefore(self):
        return self.style.spaceBefore

    def getSpaceAfter(self):
        return self.style.spaceAfter


@cache
def _right_aligned(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)


@cache
def _cjk_wrapped(style: ParagraphStyle) -> ParagraphStyle:
    """Chinese has no spaces: its lines may break between any two characters."""
    return ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")


def paragraph(text: object, style: ParagraphStyle, *, rtl_document: bool = False) -> Flowable:
    """A flowable showing `text` (plain text from the record or labels, never markup).

    The paragraph reads right to left when its first strong letter is right-to-left or it
    stands in a right-to-left document; such a paragraph is right-aligned if `style` is
    left-aligned. Text with right-to-left letters is shaped, wrapped and reordered line by
    line; other text is XML-escaped into an ordinary Paragraph.
    """
    line = shaped(text)
    right_to_left = rtl_document or starts_rtl(line)
    if right_to_left and style.alignment == TA_LEFT:
        style = _right_aligned(style)
    if not has_rtl(line):
        if has_cjk(line):
            style = _cjk_wrapped(style)
        return Paragraph(markup(line, style.fontName), style)
    return _BidiParagraph(line, style, "R" if right_to_left else "L")
