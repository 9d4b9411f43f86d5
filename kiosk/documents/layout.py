"""One layout for both documents: the consent of a finished session and the blank paper form.

`render` assembles the sections (kiosk.documents.sections) into pages with the page
furniture (kiosk.documents.page) and returns the PDF bytes. Output is deterministic: the
same input gives the same bytes (ReportLab's `invariant` mode fixes the file IDs, and the
PDF's CreationDate and ModDate are the record's `finished_at`; the blank form has none). No
heading is left alone at the foot of a page: each is kept with what follows it. A record
with ``"sample": true`` (`kiosk demo`) says SAMPLE on every page; the blank form never does.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate

from kiosk.documents import sections
from kiosk.documents.blocks import Context
from kiosk.documents.fonts import REGULAR, register_fonts
from kiosk.documents.labels import Labels
from kiosk.documents.page import BOTTOM_MARGIN, MARGIN, TOP_MARGIN, PageFurniture, canvas_maker, page_size as size_of

CREATOR = "kiosk.documents"


def _page_titles(data: dict) -> dict[str, str]:
    return {page.get("id"): page.get("title") or page.get("id")
            for section in data.get("sections") or [] for page in section.get("pages") or []}


def keep_headings_with_next(story: list[Flowable]) -> list[Flowable]:
    """`story` with every heading (a flowable whose style says keepWithNext) held together
    with the flowable after it, even when that one is itself a KeepTogether block, which
    ReportLab's own keepWithNext would leave apart: so no page ends with a heading."""
    out: list[Flowable] = []
    held: list[Flowable] = []
    for flowable in story:
        if flowable.getKeepWithNext():
            held.append(flowable)
            continue
        if held:
            inner = flowable._content if isinstance(flowable, KeepTogether) else [flowable]
            flowable, held = KeepTogether([*held, *inner]), []
        out.append(flowable)
    return out + held


def made_at(data: dict, blank: bool) -> datetime | None:
    """When the record was finished, for the PDF's CreationDate and ModDate: the same record
    always gives the same date, and a true one. None for the blank form or a record without a
    readable `finished_at`."""
    try:
        moment = datetime.fromisoformat(str(data.get("finished_at")))
    except ValueError:
        return None
    return None if blank or moment.tzinfo is None else moment


def _header_right(data: dict, blank: bool) -> tuple[str, str]:
    """The patient's name (may be shortened) and date of birth (never shortened)."""
    patient = {} if blank else data.get("patient") or {}
    birth = patient.get("date_of_birth")
    return patient.get("full_name") or "", f" · {birth}" if birth else ""


def render(data: dict, *, blank: bool, hospital_name: str, page_size: str,
           labels: Mapping[str, str] | None, placements: dict | None = None, staff=None) -> bytes:
    """The PDF of `data` (a consent record, or a blank form when `blank`), as bytes. Boxes
    reserved for a later signature field are recorded in `placements`, if given: name ->
    (page index, (x1, y1, x2, y2) in points). `staff` (a `kiosk.documents.staff_page.
    StaffSummary`) adds its summary page, in the staff language, at the end."""
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
                  time_zone=None if blank else data.get("time_zone"),
                  placements=placements if placements is not None else {})
    story = [*sections.title_block(data, ctx, hospital_name), *sections.outcome_block(data, ctx)]
    for section in sections.SECTIONS:
        story += section(data, ctx)
    furniture = PageFurniture(labels=words, document_id=document_id, header_left=hospital_name,
                              header_right=_header_right(data, blank), rtl=rtl,
                              sample=not blank and data.get("sample") is True)
    if staff is not None and not blank:
        from dataclasses import replace

        from kiosk.documents.page import FurnitureFromHere
        from kiosk.documents.staff_page import staff_context, staff_story

        staff_ctx = staff_context(staff, ctx)
        staff_pages = staff_story(staff, staff_ctx, sections.where)  # a page break first
        # the staff's pages say "Page 5 of 5" and "Document ID" in the staff's words and direction
        staff_pages.insert(1, FurnitureFromHere(replace(furniture, labels=staff_ctx.labels, rtl=staff_ctx.rtl)))
        story += staff_pages
    doc.build(keep_headings_with_next(story), canvasmaker=canvas_maker(furniture, made_at(data, blank)))
    return buffer.getvalue()
