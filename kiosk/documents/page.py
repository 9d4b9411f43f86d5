"""Paper sizes and what every page carries: the document ID and "Page x of y" in the footer,
and from page 2 a running header naming the hospital and the patient, so a loose page can
always be put back with its document. A sample consent (`kiosk demo`) also says so on every
page: "SAMPLE" above the header and below the footer, and a large, light diagonal
"SAMPLE — not a real consent" across the page, translucent so the text stays readable."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFInfo, PDFName, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from kiosk.documents.fonts import BOLD, REGULAR
from kiosk.documents.labels import Labels
from kiosk.documents.text import draw_text, fit_line, text_width, visual

PAGE_SIZES = {"A4": A4, "LETTER": letter}
MARGIN = 20 * mm
TOP_MARGIN = 22 * mm
BOTTOM_MARGIN = 24 * mm
FURNITURE_SIZE = 9
GREY = colors.Color(0.35, 0.35, 0.35)
RULE = colors.Color(0.75, 0.75, 0.75)
SAMPLE_RED = colors.Color(0.72, 0.11, 0.11)
SAMPLE_ALPHA = 0.13  # of the diagonal watermark: plainly there, and the text under it still reads
SAMPLE_MARK_SIZE = 10


def page_size(name: str) -> tuple[float, float]:
    """(width, height) in points for "A4" or "Letter" (any case); ValueError otherwise."""
    key = name.strip().upper() if isinstance(name, str) else None
    if key not in PAGE_SIZES:
        raise ValueError(f'page_size must be "A4" or "Letter", not {name!r}')
    return PAGE_SIZES[key]


@dataclass(frozen=True)
class PageFurniture:
    """What is drawn around the content of every page. `document_id` None: a blank to fill in."""

    labels: Labels
    document_id: str | None
    header_left: str
    header_right: tuple[str, str]  # (shortened with "…" when too long, always shown whole)
    rtl: bool
    sample: bool = False  # a training consent from `kiosk demo`: every page says SAMPLE

    def draw(self, canvas: Canvas, number: int, total: int) -> None:
        width, height = canvas._pagesize
        left, right = MARGIN, width - MARGIN
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.setFillColor(GREY)
        footer_y = BOTTOM_MARGIN - 12 * mm
        canvas.line(left, footer_y + 11, right, footer_y + 11)
        canvas.setFont(REGULAR, FURNITURE_SIZE)
        page_text = visual(self.labels("page_of", page=number, pages=total))
        id_label = visual(self.labels("document_id") + ":")
        id_text = self.document_id or ""
        say = partial(draw_text, canvas, font=REGULAR, size=FURNITURE_SIZE)
        if self.rtl:  # mirror the footer for right-to-left documents
            say(left, footer_y, page_text)
            say(right, footer_y, f"{id_text}  {id_label}" if id_text else id_label, align="right")
            blank_end = right - text_width(id_label, REGULAR, FURNITURE_SIZE) - 4
            blank_start = blank_end - 70 * mm
        else:
            say(left, footer_y, f"{id_label}  {id_text}")
            say(right, footer_y, page_text, align="right")
            blank_start = left + text_width(id_label, REGULAR, FURNITURE_SIZE) + 4
            blank_end = blank_start + 70 * mm
        if not id_text:
            canvas.setStrokeColor(GREY)
            canvas.line(blank_start, footer_y - 1.5, blank_end, footer_y - 1.5)
        if number > 1:
            self._draw_header(canvas, left, right, height - TOP_MARGIN + 8 * mm)
        canvas.restoreState()
        if self.sample:
            self._draw_sample(canvas, width, height, footer_y)

    def _draw_sample(self, canvas: Canvas, width: float, height: float, footer_y: float) -> None:
        """SAMPLE centred above the header and below the footer, and the watermark across the
        page from the lower left to the upper right corner, drawn over the content."""
        canvas.saveState()
        canvas.setFillColor(SAMPLE_RED)
        canvas.setFont(BOLD, SAMPLE_MARK_SIZE)
        mark = visual(self.labels("sample_mark"))
        draw_text(canvas, width / 2, height - 9 * mm, mark, BOLD, SAMPLE_MARK_SIZE, "centre")
        draw_text(canvas, width / 2, footer_y - 5 * mm, mark, BOLD, SAMPLE_MARK_SIZE, "centre")
        watermark = visual(self.labels("sample_watermark"))
        diagonal = math.hypot(width, height)
        size = min(96.0, 0.64 * diagonal / max(text_width(watermark, BOLD, 1), 1.0))
        canvas.translate(width / 2, height / 2)
        canvas.rotate(math.degrees(math.atan2(height, width)))
        canvas.setFillAlpha(SAMPLE_ALPHA)
        canvas.setFont(BOLD, size)
        # A marked span whose /ActualText is the label: poppler's pdftotext then gives the
        # words once, on a line of their own, instead of diagonal letters scattered through
        # the page's text (pypdf reads the drawn string itself, also whole).
        actual = "".join(f"{b:02X}" for b in ("\ufeff" + self.labels("sample_watermark")).encode("utf-16-be"))
        canvas._code.append(f"/Span <</ActualText <{actual}>>> BDC")
        draw_text(canvas, 0, -size * 0.35, watermark, BOLD, size, "centre")
        canvas._code.append("EMC")
        canvas.restoreState()

    def _draw_header(self, canvas: Canvas, left: float, right: float, y: float) -> None:
        half = (right - left) / 2 - 6
        shortened, whole = self.header_right
        whole = visual(whole)
        room = half - text_width(whole, BOLD, FURNITURE_SIZE)
        patient = f"{fit_line(shortened, room, BOLD, FURNITURE_SIZE)}{whole}" if shortened else whole
        hospital = fit_line(self.header_left, half, BOLD, FURNITURE_SIZE)
        first, second = (patient, hospital) if self.rtl else (hospital, patient)
        canvas.setFont(BOLD, FURNITURE_SIZE)
        draw_text(canvas, left, y, first, BOLD, FURNITURE_SIZE)
        draw_text(canvas, right, y, second, BOLD, FURNITURE_SIZE, "right")
        canvas.line(left, y - 4, right, y - 4)


def pdf_date(moment: datetime) -> str:
    """A PDF date string with the moment's own UTC offset: "D:20261125141440+00'00'"."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


class _DatedInfo(PDFInfo):
    """The document information dictionary with CreationDate and ModDate from the record
    (ReportLab's invariant mode would write 1 January 2000), or without them when there is
    no true date to give (the blank form)."""

    made: datetime | None = None

    def format(self, document):
        entries = {"Title": PDFString(self.title), "Author": PDFString(self.author),
                   "Producer": PDFString(self.producer), "Creator": PDFString(self.creator),
                   "Subject": PDFString(self.subject), "Keywords": PDFString(self.keywords),
                   "Trapped": PDFName(self.trapped)}
        if self.made is not None:
            entries["CreationDate"] = entries["ModDate"] = PDFString(pdf_date(self.made))
        return PDFDictionary(entries).format(document)


class _FurnishedCanvas(Canvas):
    """Holds every page until the end, so each footer can say how many pages there are."""

    def __init__(self, *args, furniture: PageFurniture, made: datetime | None, **kwargs):
        super().__init__(*args, **kwargs)
        info = _DatedInfo()
        info.__dict__.update(self._doc.info.__dict__)  # what the canvas set already (producer, ...)
        info.made = made
        self._doc.info = info
        self._furniture = furniture
        self._held_pages: list[dict] = []

    def showPage(self):
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            (state.get("furniture_from_here") or self._furniture).draw(self, number, total)
            super().showPage()
        super().save()


class FurnitureFromHere(Flowable):
    """Placed first on a page, it gives that page and every page after it `furniture` (the
    staff summary's pages: their footer and header in the staff's language and direction)."""

    def __init__(self, furniture: PageFurniture):
        super().__init__()
        self.furniture = furniture

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv.furniture_from_here = self.furniture


def canvas_maker(furniture: PageFurniture, made: datetime | None = None):
    """A ReportLab `canvasmaker` that draws `furniture` on every page and dates the PDF
    `made` (CreationDate and ModDate; none when None)."""
    return partial(_FurnishedCanvas, furniture=furniture, made=made)
