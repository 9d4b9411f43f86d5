"""One layout for both documents: the consent of a finished session and the blank paper form.

`render` assembles the sections (kiosk.documents.sections) into pages with the page
furniture (kiosk.documents.page) and returns the PDF bytes. Output is deterministic: the
same input gives the same bytes (ReportLab's `invariant` mode fixes dates and IDs). A record
with ``"sample": true`` (`kiosk demo`) says SAMPLE on every page; the blank form never does.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from kiosk.documents import sections
from kiosk.documents.blocks import Context
from kiosk.documents.fonts import REGULAR, register_fonts
from kiosk.documents.labels import Labels
from kiosk.documents.page import BOTTOM_MARGIN, MARGIN, TOP_MARGIN, PageFurniture, canvas_maker, page_size as size_of

CREATOR = "kiosk.documents"


def _page_titles(data: dict) -> dict[str, str]:
    return {page.get("id"): page.get("title") or page.get("id")
            for section in data.get("sections") or [] for page in section.get("pages") or []}


def _header_right(data: dict, blank: bool) -> tuple[str, str]:
    """The patient's name (may be shortened) and date of birth (never shortened)."""
    patient = {} if blank else data.get("patient") or {}
    birth = patient.get("date_of_birth")
    return patient.get("full_name") or "", f" · {birth}" if birth else ""


def render(data: dict, *, blank: bool, hospital_name: str, page_size: str,
           labels: Mapping[str, str] | None, placements: dict | None = None) -> bytes:
    """The PDF of `data` (a consent record, or a blank form when `blank`), as bytes. Boxes
    reserved for a later signature field are recorded in `placements`, if given: name ->
    (page index, (x1, y1, x2, y2) in points)."""
    pagesize = size_of(page_size)
    register_fonts()
    words = Labels(labels)
    rtl = data.get("direction") == "rtl"
    content = data.get("content") or {}
    document_id = None if blank else (data.get("document_id") or None)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=pagesize, invariant=1,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP_MARGIN, bottomMargin=BOTTOM_MARGIN,
        title=content.get("title") or words("blank_kind" if blank else "consent_kind"),
        subject=words("blank_pdf_subject") if blank else words("pdf_subject", document_id=document_id or ""),
        author=hospital_name, creator=CREATOR, keywords=document_id or "",
        lang=data.get("language") or None, initialFontName=REGULAR,
    )
    # No frame padding: the margins alone set the text width, which the tables fill exactly.
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    ctx = Context(labels=words, width=doc.width, blank=blank, rtl=rtl, page_titles=_page_titles(data),
                  placements=placements if placements is not None else {})
    story = [*sections.title_block(data, ctx, hospital_name), *sections.outcome_block(data, ctx)]
    for section in sections.SECTIONS:
        story += section(data, ctx)
    furniture = PageFurniture(labels=words, document_id=document_id, header_left=hospital_name,
                              header_right=_header_right(data, blank), rtl=rtl,
                              sample=not blank and data.get("sample") is True)
    doc.build(story, canvasmaker=canvas_maker(furniture))
    return buffer.getvalue()
