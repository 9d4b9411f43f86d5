"""Building blocks shared by the consent and the blank form: styles, label/value tables,
marked lines (bullets, tick boxes), writing lines for a pen, boxes and the QR code."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from kiosk.documents.fonts import BOLD, REGULAR, register_fonts
from kiosk.documents.labels import Labels
from kiosk.documents.signature import SignatureBox
from kiosk.documents.text import format_time, left_to_right, paragraph
from kiosk.outcomes import ABANDONED, CONSENTED, DECLINED, QUESTIONS

INK = colors.Color(0.1, 0.1, 0.1)
MUTED = colors.Color(0.33, 0.33, 0.33)
ACCENT = colors.Color(0.08, 0.24, 0.45)
ALERT = colors.Color(0.62, 0.05, 0.05)
ALERT_BACKGROUND = colors.Color(1.0, 0.91, 0.88)
HAIRLINE = colors.Color(0.82, 0.82, 0.82)
OUTCOME_COLOURS = {  # background, text, for each of kiosk.outcomes.OUTCOMES
    CONSENTED: (colors.Color(0.88, 0.95, 0.89), colors.Color(0.05, 0.35, 0.12)),
    QUESTIONS: (colors.Color(1.0, 0.95, 0.80), colors.Color(0.45, 0.30, 0.0)),
    DECLINED: (ALERT_BACKGROUND, ALERT),
    ABANDONED: (colors.Color(0.92, 0.92, 0.92), INK),
}
MARKER_WIDTH = 7 * mm
TICK_BOX = "\u2610"  # ☐
TICKED_BOX = "\u2611"  # ☑
BULLET = "\u2022"
RIGHT = "\u2713"
WRONG = "\u2717"
WARNING = "\u26a0"


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, all in DejaVu Sans; body text is 11 pt."""
    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=11, leading=15, textColor=INK)

    def style(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "strong": style("strong", fontName=BOLD),
        "small": style("small", fontSize=9.5, leading=12.5, textColor=MUTED),
        # 64 hex digits fit one line of the value column, so the hash can be read and copied whole
        "hash": style("hash", fontSize=8, leading=12, textColor=MUTED),
        "label": style("label", fontName=BOLD, fontSize=10, leading=14, textColor=MUTED),
        "hospital": style("hospital", fontName=BOLD, fontSize=13, leading=17, textColor=ACCENT),
        "title": style("title", fontName=BOLD, fontSize=18, leading=23, spaceBefore=2, spaceAfter=2),
        "kind": style("kind", fontSize=12, leading=16, textColor=MUTED),
        "heading": style("heading", fontName=BOLD, fontSize=14, leading=18, textColor=ACCENT,
                         spaceBefore=16, spaceAfter=6, keepWithNext=1),
        "subheading": style("subheading", fontName=BOLD, spaceBefore=8, spaceAfter=2, keepWithNext=1),
        "alert": style("alert", fontName=BOLD, textColor=ALERT),
        "notice": style("notice", fontName=BOLD, fontSize=9.5, leading=12.5, textColor=ALERT),
        "marker": style("marker", fontSize=13, leading=15, alignment=TA_CENTER),
        **{f"outcome-{outcome}": style(f"outcome-{outcome}", fontName=BOLD, fontSize=13, leading=17, textColor=text)
           for outcome, (_, text) in OUTCOME_COLOURS.items()},
    }


@dataclass
class Context:
    """What every section needs: the words, the usable width and which document this is."""

    labels: Labels
    width: float
    blank: bool
    rtl: bool
    page_titles: dict[str, str] = field(default_factory=dict)
    time_zone: str | None = None  # the IANA name printed beside every time
    # Filled while drawing: name -> (page index, (x1, y1, x2, y2)) of each reserved box
    placements: dict[str, tuple[int, tuple[float, float, float, float]]] = field(default_factory=dict)

    def para(self, text: object, style: str = "body") -> Flowable:
        return paragraph(text, styles()[style], rtl_document=self.rtl)

    def heading(self, key: str) -> Flowable:
        return self.para(self.labels(key), "heading")

    def time(self, value: object) -> str:
        """A record time with its UTC offset and the record's zone name (in a right-to-left
        document kept left to right, so "+00:00 Europe/London" stays in its order)."""
        text = format_time(value, self.time_zone)
        return left_to_right(text) if self.rtl and text else text


def _row(cells: list, rtl: bool) -> list:
    return cells[::-1] if rtl else cells


def row_table(rows: list[list], widths: list[float], rtl: bool, commands: list[tuple] = ()) -> Table:
    """A borderless table, top-aligned, columns mirrored for a right-to-left document."""
    widths = widths[::-1] if rtl else widths
    table = Table([_row(r, rtl) for r in rows], colWidths=widths, hAlign="RIGHT" if rtl else "LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), REGULAR),  # for empty cells too: else an unused Helvetica
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *commands,
    ]))
    return table


def facts(ctx: Context, rows: list[tuple[str, object]]) -> Table:
    """A two-column table: a label key from the labels, then a value (text, flowable or list)."""
    label_width = 48 * mm
    body = [[ctx.para(ctx.labels(key), "label"), value if isinstance(value, (Flowable, list)) else ctx.para(value)]
            for key, value in rows]
    # A row with a writing line needs no rule under it: the line to write on is the rule.
    rules = [("LINEBELOW", (0, i), (-1, i), 0.5, HAIRLINE)
             for i, (_, value) in enumerate(rows) if not isinstance(value, WritingLine)]
    return row_table(body, [label_width, ctx.width - label_width], ctx.rtl,
                  [*rules, ("TOPPADDING", (0, 0), (-1, -1), 5)])


def marked(ctx: Context, marker: str, content: object, indent: float = 0) -> Table:
    """A line (or paragraph, or list of flowables) after a marker such as a bullet or ☐."""
    content = content if isinstance(content, (Flowable, list)) else ctx.para(content)
    marker_style = "marker" if marker in (TICK_BOX, TICKED_BOX) else "body"
    cells = [ctx.para(marker, marker_style), content]
    widths = [MARKER_WIDTH, ctx.width - MARKER_WIDTH - indent]
    if indent:
        cells, widths = ["", *cells], [indent, *widths]
    return row_table([cells], widths, ctx.rtl, [("TOPPADDING", (0, 0), (-1, -1), 1),
                                             ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])


def boxed(ctx: Context, content: list[Flowable], background, border=None) -> Table:
    """Flowables in a tinted box across the full width."""
    return boxed_rows(ctx, [content], background, border)


def boxed_rows(ctx: Context, rows: list[Flowable | list[Flowable]], background, border=None) -> Table:
    """Rows in one tinted box across the full width; a long box breaks between rows, never
    inside one, and each part keeps its frame."""
    table = Table([[row] for row in rows], colWidths=[ctx.width], splitByRow=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), background),
        ("FONT", (0, 0), (-1, -1), REGULAR),
        ("BOX", (0, 0), (-1, -1), 0.75, border or background),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, 0), 8),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
    ]))
    return table


class WritingLine(Flowable):
    """An empty line to write on with a pen."""

    def __init__(self, height: float = 22, width: float | None = None):
        super().__init__()
        self.height, self._wanted = height, width

    def wrap(self, availWidth, availHeight):
        self.width = min(self._wanted or availWidth, availWidth)
        return self.width, self.height

    def draw(self):
        self.canv.saveState()
        self.canv.setStrokeColor(MUTED)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 1, self.width, 1)
        self.canv.restoreState()


class Tagged(Flowable):
    """Wraps a flowable in a PDF marked-content section (`/Tag BMC ... EMC`)."""

    def __init__(self, tag: str, inner: Flowable):
        super().__init__()
        self.tag, self.inner = tag, inner

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self.inner.wrap(availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canvas, x, y, _sW=0):
        canvas.addLiteral(f"/{self.tag} BMC")
        self.inner.drawOn(canvas, x, y, _sW)
        canvas.addLiteral("EMC")


class PlacedBox(SignatureBox):
    """An empty signature box whose place on the page is recorded in `placements[name]` when
    it is drawn: (page index, (x1, y1, x2, y2) in points), for a signature field put there later."""

    def __init__(self, name: str, width: float, height: float, placements: dict):
        super().__init__(width, height, None)
        self.name, self.placements = name, placements

    def draw(self):
        super().draw()
        x1, y1 = self.canv.absolutePosition(0, 0)
        x2, y2 = self.canv.absolutePosition(self.width, self.height)
        self.placements[self.name] = (self.canv.getPageNumber() - 1, (x1, y1, x2, y2))


class _QrModules(Flowable):
    """The dark modules of a QR code as filled rectangles, one per run of modules in a row."""

    def __init__(self, value: str, size: float, border: int = 2):
        super().__init__()
        code = QRCode(None, QRErrorCorrectLevel.M)
        code.addData(value)
        code.make()
        count = code.getModuleCount()
        self.width = self.height = size
        self.module = size / (count + 2 * border)
        self.runs = []  # (row, first column, length), row 0 at the top
        for row in range(count):
            column = 0
            while column < count:
                if code.isDark(row, column):
                    start = column
                    while column < count and code.isDark(row, column):
                        column += 1
                    self.runs.append((row, start, column - start))
                else:
                    column += 1
        self.border, self.count = border, count

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        canvas, m = self.canv, self.module
        path = canvas.beginPath()
        for row, column, length in self.runs:
            path.rect((self.border + column) * m, (self.border + self.count - 1 - row) * m, length * m, m)
        canvas.saveState()
        canvas.setFillColor(colors.black)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()


def qr_code(value: str, size: float = 30 * mm) -> Flowable:
    """A vector QR code of `value` (filled rectangles, no image), tagged `/QRCode`."""
    return Tagged("QRCode", _QrModules(value, size))
