"""A VOID-marked copy of a consent PDF, for printing a voided consent. No Qt here.

The archived PDFs are never touched: the mark is made on bytes in memory and the result goes
to a temporary file that is printed and removed. Every page gets the same overlay (drawn with
ReportLab in DejaVu Sans, so any patient's or nurse's script prints): a large outlined diagonal "VOID"
across the page and, in a white box at the top, why and by whom it was voided. It is added as
an incremental update with pyHanko, the library that sealed the PDF; the marked copy's seal
therefore no longer covers the whole file, which is right for a copy that must not pass as
the consent.

Pure: reads only its arguments, safe on a worker thread.
"""

from __future__ import annotations

import io

from reportlab.lib.colors import Color, white
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

_RED = Color(0.64, 0.15, 0.17)
_MARK_NAME = "/KioskVoidMark"


def _overlay(width: float, height: float, mark: str, lines: list[str]) -> bytes:
    """One transparent page ``width`` × ``height`` with the mark and the lines."""
    from kiosk.documents.fonts import register_fonts, runs
    from kiosk.documents.text import break_lines, draw_text, shaped, text_width, visual

    regular, bold = register_fonts()
    mark = visual(mark)  # in the nurse's language: Arabic joined and in order, Chinese in its font
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
    canvas.saveState()
    # Outlined letters, no transparency: CUPS turns a PDF into PostScript on the way to many
    # printers, and transparency would rasterise the whole page (the text lost, 1 MB a page).
    canvas.setStrokeColor(_RED)
    canvas.setLineWidth(2.5)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(40)
    size = min(width, height) / 3.2
    text = canvas.beginText()
    text.setTextRenderMode(1)  # stroke only: what is under the mark stays readable
    text.setTextOrigin(-text_width(mark, bold, size) / 2, -size / 3)
    for face, piece in runs(mark, bold):
        text.setFont(face, size)
        text.textOut(piece)
    canvas.drawText(text)
    canvas.restoreState()

    margin, font_size = 12 * mm, 10
    wrapped = [visual(part) for line in lines
               for part in break_lines(shaped(line), width - 2 * margin - 8, regular, font_size)]
    box_height = len(wrapped) * font_size * 1.3 + 8
    top = height - 4 * mm
    canvas.setFillColor(white)
    canvas.setStrokeColor(_RED)
    canvas.setLineWidth(1.2)
    canvas.rect(margin, top - box_height, width - 2 * margin, box_height, stroke=1, fill=1)
    canvas.setFillColor(_RED)
    y = top - 4 - font_size
    for index, line in enumerate(wrapped):
        draw_text(canvas, margin + 4, y, line, bold if index == 0 else regular, font_size)
        y -= font_size * 1.3
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def void_marked_copy(pdf: bytes, *, mark: str, lines: list[str]) -> bytes:
    """``pdf`` with ``mark`` (e.g. "VOID") across every page and ``lines`` (e.g. the banner and
    "Reason: ...") in a box at the top of every page. ``pdf`` itself is not changed.

    ValueError if ``pdf`` cannot be read as a PDF."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        count = int(writer.root["/Pages"]["/Count"])
        overlays: dict[tuple[float, float], generic.IndirectObject] = {}
        for index in range(count):
            page_ref, _ = writer.find_page_for_modification(index)
            box = _media_box(page_ref.get_object())
            size = (float(box[2]) - float(box[0]), float(box[3]) - float(box[1]))
            if size not in overlays:
                overlay = _overlay(*size, mark, lines)
                overlays[size] = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(overlay), strict=False))
            x, y = float(box[0]), float(box[1])
            stream = generic.StreamObject(stream_data=f"q 1 0 0 1 {x:.2f} {y:.2f} cm {_MARK_NAME} Do Q".encode())
            resources = generic.DictionaryObject({
                generic.pdf_name("/XObject"): generic.DictionaryObject({generic.pdf_name(_MARK_NAME): overlays[size]})})
            writer.add_stream_to_page(index, writer.add_object(stream), resources=resources)
        out = io.BytesIO()
        writer.write(out)
    except (PdfError, KeyError, TypeError, ValueError) as error:
        raise ValueError(f"the PDF could not be marked VOID ({error})") from None
    return out.getvalue()


def _media_box(page):
    """A page's /MediaBox, which may be inherited from its parents in the page tree."""
    node = page
    while node is not None:
        if "/MediaBox" in node:
            return node["/MediaBox"]
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    raise ValueError("a page has no /MediaBox")
