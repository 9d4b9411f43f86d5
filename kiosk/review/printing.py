"""Printing at the nurse station: a consent (a voided one as a copy marked VOID), the blank
paper form, and the live list of printers. No Qt here; CUPS through ``kiosk.printing``.

Threading rule. Printing is slow (up to five CUPS commands, each allowed 10 s), and SQLite
writes must stay on the thread of their connection. So each print comes in three parts:

1. ``plan_consent_print`` / ``plan_blank_form`` - on the UI thread, quick: reads the row,
   refuses what cannot be printed (a refusal is audited as ``print_failed`` and raised as a
   ``ReviewError``) and returns a frozen ``PrintRequest`` that holds everything else;
2. ``send(request)`` - the slow part, pure: it never touches the database or the UI, so it
   runs on a worker thread. It renders the blank form or stamps the VOID copy into a private
   temporary folder (never the data folder), hands the file to CUPS, and removes the folder
   (CUPS has copied the file into its spool by then). It never raises for a printer problem:
   the ``PrintResult`` says what happened;
3. ``record_print(ctx, result)`` - back on the UI thread, quick: the ``print`` or
   ``print_failed`` audit entry, and the message for the nurse.

At a central station the consent's PDF is the central database's: the request carries its
bytes (``PrintRequest.pdf``), written to the same private temporary folder to print, and the
audit entries of a consent's print go to the central database.

``print_consent`` and ``print_blank_form`` do the three in a row on the calling thread (the
command line, tests, or a caller that accepts the wait). The archived PDFs and their SHA-256
are never changed by printing.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.printing import Printer, PrintError, default_printer, list_printers, print_pdf
from kiosk.review.context import ReviewContext
from kiosk.review.rows import ReviewError, read_row, shown_actor, names_of
from kiosk.store.audit import audit


@dataclass(frozen=True)
class PrintRequest:
    """One print, decided: what, where, how many, and (for a void consent) the VOID mark's words."""

    printer: str
    copies: int
    title: str
    document_id: str | None = None
    source: Path | None = None  # the archived PDF (read, never changed)
    void_lines: tuple[str, ...] = ()  # set for a void consent: printed as a marked copy
    void_mark: str = "VOID"
    blank_language: str | None = None  # set for the blank form: rendered in this language
    pdf: bytes | None = None  # a central station's consent: the central database's bytes, not a file
    hospital_name: str = ""
    page_size: str = "A4"

    @property
    def marked_void(self) -> bool:
        return bool(self.void_lines)


@dataclass(frozen=True)
class PrintResult:
    """What ``send`` did: ``ok`` with the CUPS job id, or the error in plain words; ``message``
    is filled in by ``record_print``."""

    request: PrintRequest
    ok: bool
    job_id: str | None = None
    error: str | None = None
    message: str = ""


@dataclass(frozen=True)
class Printers:
    """The printers CUPS has now, each with its state; ``problem`` says why the list is empty."""

    printers: tuple[Printer, ...]
    default: str | None
    problem: str | None


def printers(ctx: ReviewContext) -> Printers:
    """The live printer list (``lpstat``; slow-ish: run it on a worker). Never raises."""
    try:
        found = tuple(list_printers())
    except PrintError as error:
        return Printers((), None, str(error))
    default = next((p.name for p in found if p.is_default), None)
    return Printers(found, default, None if found else ctx.texts("message.no_printers"))


def plan_consent_print(ctx: ReviewContext, document_id: str, printer: str | None, copies: int) -> PrintRequest:
    """What printing this consent means (UI thread). Refused, audited and raised as
    ReviewError: no printer chosen; an abandoned record (it has no PDF). A void consent is
    planned as a copy marked VOID with the reason, who voided it and when."""
    texts = ctx.texts
    row = read_row(ctx, document_id)
    if not printer:
        _refused(ctx, document_id, printer, texts("message.print_no_printer"))
    if not row.get("pdf_path"):
        _refused(ctx, document_id, printer, texts("message.print_no_pdf"))
    lines: tuple[str, ...] = ()
    if row.get("void"):
        who = shown_actor(row.get("voided_by"), names_of(ctx), texts) or ""
        lines = (texts("void_copy.banner", date=(row.get("voided_at") or "")[:10], nurse=who),
                 texts("void_copy.reason", reason=row.get("void_reason") or ""))
    title = f"Consent {document_id}" + (" VOID copy" if lines else "")
    shown = Path(row.get("countersigned_pdf_path") or row["pdf_path"])
    if ctx.central is not None:  # the bytes now: the viewing copy goes when the page closes
        return PrintRequest(printer=printer, copies=copies, title=title, document_id=document_id,
                            pdf=shown.read_bytes(), void_lines=lines, void_mark=texts("void_copy.mark"))
    return PrintRequest(printer=printer, copies=copies, title=title, document_id=document_id, source=shown,
                        void_lines=lines, void_mark=texts("void_copy.mark"))


def plan_blank_form(ctx: ReviewContext, printer: str | None) -> PrintRequest:
    """The blank paper form in the kiosk's default language, one copy (UI thread)."""
    if not printer:
        _refused(ctx, None, printer, ctx.texts("message.print_no_printer"))
    settings = ctx.settings
    return PrintRequest(printer=printer, copies=1, title="Blank consent form",
                        blank_language=settings.default_language, hospital_name=settings.hospital_name,
                        page_size=settings.page_size)


def send(request: PrintRequest) -> PrintResult:
    """Render or mark what needs it, then hand it to CUPS. Pure (no database, no UI): safe on
    a worker thread. Temporary files go to a private folder that is removed before return."""
    try:
        if request.source is not None and not request.marked_void:
            job = print_pdf(request.source, printer=request.printer, copies=request.copies, title=request.title)
        else:
            with tempfile.TemporaryDirectory(prefix="kiosk-print-") as folder:
                path = Path(folder) / "print.pdf"
                path.write_bytes(_made_pdf(request))
                job = print_pdf(path, printer=request.printer, copies=request.copies, title=request.title)
    except PrintError as error:
        return PrintResult(request, ok=False, error=str(error))
    except (OSError, ValueError) as error:
        return PrintResult(request, ok=False, error=f"The document could not be prepared for printing ({error}).")
    return PrintResult(request, ok=True, job_id=job.id)


def record_print(ctx: ReviewContext, result: PrintResult) -> PrintResult:
    """Audit the print (``print``) or its failure (``print_failed``) and word the message
    (UI thread)."""
    texts, request = ctx.texts, result.request
    detail = {"printer": request.printer, "copies": request.copies}
    if request.source is not None:
        detail["file"] = str(request.source)
    if request.marked_void:
        detail["void_copy"] = True
    if request.blank_language:
        detail["form"] = "blank"
    if not result.ok:
        _audit(ctx, "print_failed", request.document_id, {**detail, "error": result.error})
        return replace(result, message=texts("message.print_failed", error=result.error))
    _audit(ctx, "print", request.document_id, {**detail, "job": result.job_id})
    if request.blank_language:
        return replace(result, message=texts("message.blank_sent", printer=request.printer))
    copies = texts("message.copies_one") if request.copies == 1 else texts("message.copies_many",
                                                                           count=request.copies)
    key = "message.print_sent_void" if request.marked_void else "message.print_sent"
    return replace(result, message=texts(key, printer=request.printer, copies_text=copies))


def print_consent(ctx: ReviewContext, document_id: str, printer: str | None, copies: int = 2) -> PrintResult:
    """Plan, send and record one consent's print on this thread (see the module's rule)."""
    return record_print(ctx, send(plan_consent_print(ctx, document_id, printer, copies)))


def print_blank_form(ctx: ReviewContext, printer: str | None = None) -> PrintResult:
    """The blank paper form, from a temporary file (nothing is left in the data folder);
    ``printer`` None means the default printer, else the first one CUPS lists."""
    if printer is None:
        try:
            printer = default_printer() or next((p.name for p in list_printers()), None)
        except PrintError as error:
            _refused(ctx, None, printer, ctx.texts("message.print_failed", error=str(error)))
    return record_print(ctx, send(plan_blank_form(ctx, printer)))


def _made_pdf(request: PrintRequest) -> bytes:
    if request.pdf is not None and not request.marked_void:
        return request.pdf
    if request.blank_language:
        from kiosk.content import load_pack
        from kiosk.documents import render_blank_form
        from kiosk.flow.record import blank_form_data

        pack = load_pack(request.blank_language)
        return render_blank_form(blank_form_data(pack), hospital_name=request.hospital_name,
                                 page_size=request.page_size, labels=pack.pdf_labels)
    from kiosk.review.void_copy import void_marked_copy

    original = request.pdf if request.pdf is not None else request.source.read_bytes()
    return void_marked_copy(original, mark=request.void_mark, lines=list(request.void_lines))


def _refused(ctx: ReviewContext, document_id: str | None, printer: str | None, message: str) -> None:
    _audit(ctx, "print_failed", document_id, {"printer": printer or "", "error": message})
    raise ReviewError(message)


def _audit(ctx: ReviewContext, action: str, document_id: str | None, detail: dict) -> None:
    """The print's audit entry: a consent's at the central database at a central station
    (where the consent is), everything else in this computer's audit trail - and a print the
    central database could not take the moment it was done: a print is never unrecorded."""
    if ctx.central is not None and document_id is not None:
        from kiosk.review import central

        try:
            central.record_event(ctx, document_id, action, detail)
            return
        except ReviewError as error:
            detail = {**detail, "central_database": str(error)}
    audit(ctx.db, actor=ctx.account.actor, action=action, document_id=document_id, detail=detail, at=ctx.at())
