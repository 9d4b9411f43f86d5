"""Printing through the review layer and the real CUPS queue "PDF" (cups-pdf writes into
/tmp/cups-pdf-out, as .ci/run sets it up): a voided consent comes out marked VOID on every
page with its reason, the archive untouched; an abandoned record is refused; the blank form
leaves nothing in the data folder; every print, failure and refusal is audited."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.printing import job_done, PrintJob
from kiosk.review import ReviewError
from kiosk.review.actions import void
from kiosk.review.printing import plan_consent_print, print_blank_form, print_consent, printers, send
from kiosk.review.void_copy import void_marked_copy

pytestmark = pytest.mark.uses_cups  # one such test at a time across workers (tests/conftest.py)

QUEUE = "PDF"
OUT = Path("/tmp/cups-pdf-out")
APPEAR_WITHIN = 30  # seconds


@pytest.fixture
def queue():
    """The PDF queue, enabled and accepting again after the test whatever it did."""
    if not shutil.which("lpstat") or subprocess.run(["lpstat", "-p", QUEUE], capture_output=True).returncode:
        pytest.skip(f"no CUPS queue named {QUEUE} (see .ci/run)")
    yield QUEUE
    subprocess.run(["cupsenable", QUEUE], check=True)
    subprocess.run(["cupsaccept", QUEUE], check=True)


@pytest.fixture
def printed():
    """printed(result, token) -> the file cups-pdf wrote for that job; deleted afterwards."""
    made: list[Path] = []

    def find(result, token: str) -> Path:
        found = _printed_file(result, token)
        made.append(found)
        return found

    yield find
    for path in made:
        path.unlink(missing_ok=True)


def _printed_file(result, token: str) -> Path:
    """The file cups-pdf wrote for this job (named after its title, which holds `token`)."""
    assert result.ok, result.error
    job = PrintJob(result.job_id, QUEUE)
    deadline = time.monotonic() + APPEAR_WITHIN
    while time.monotonic() < deadline:
        if job_done(job):
            found = [p for p in OUT.glob(f"*{token}*.pdf") if p.stat().st_size > 0]
            if found:
                newest = max(found, key=lambda p: p.stat().st_mtime)
                if newest.read_bytes().rstrip().endswith(b"%%EOF"):  # written whole
                    return newest
        time.sleep(0.1)  # polling the print queue's output folder, up to the deadline
    raise AssertionError(f"no PDF named after {token!r} in {OUT} within {APPEAR_WITHIN} s")


def page_texts(pdf: Path) -> list[str]:
    pages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                              check=True).stdout, re.M).group(1))
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout for n in range(1, pages + 1)]


def test_a_voided_consent_prints_marked_void_with_its_reason_on_every_page(queue, printed, ctx, ids, entries):
    document_id = ids["Margaret Obrien"]
    detail = void(ctx, document_id, "Wrong patient: wristband belongs to bed 4")
    archived = detail.pdf_path.read_bytes()
    result = print_consent(ctx, document_id, queue, 1)
    assert result.message == "Sent to PDF: 1 copy, marked VOID."
    out = printed(result, document_id[:8])
    pages = page_texts(out)
    assert len(pages) == len(PdfReader(io.BytesIO(archived)).pages) > 1
    for text in pages:
        flat = " ".join(text.split())
        assert "VOID" in flat and "Reason: Wrong patient: wristband belongs to bed 4" in flat
        assert "marked void on 2026-11-25 by Nora Nurse" in flat
    assert "Margaret Obrien" in " ".join(pages)  # the consent itself is still there under the mark
    assert detail.pdf_path.read_bytes() == archived  # the archive is never changed
    assert hashlib.sha256(archived).hexdigest() == ctx.db.conn.execute(
        "SELECT pdf_sha256 FROM consents WHERE document_id = ?", [document_id]).fetchone()[0]
    [entry] = entries("print")
    assert entry["detail"]["void_copy"] is True and entry["actor"] == f"nurse:{ctx.account.id}"


def test_a_consent_that_is_not_void_prints_as_it_is_and_is_audited(queue, printed, ctx, ids, entries):
    result = print_consent(ctx, ids["Ann Lee"], queue, 2)
    assert result.message == "Sent to PDF: 2 copies."
    text = " ".join(page_texts(printed(result, ids["Ann Lee"][:8])))
    assert "Ann Lee" in text and "VOID" not in text
    [entry] = entries("print")
    assert (entry["document_id"], entry["detail"]["copies"], entry["detail"]["job"]) == (
        ids["Ann Lee"], 2, result.job_id)


def test_printing_an_abandoned_record_is_refused_kindly_and_audited(ctx, ids, entries):
    with pytest.raises(ReviewError, match="abandoned before the patient finished, so it has no PDF"):
        print_consent(ctx, ids["Walter Away"], QUEUE, 2)
    [entry] = entries("print_failed")
    assert entry["document_id"] == ids["Walter Away"] and "no PDF" in entry["detail"]["error"]
    assert not entries("print")


def test_printing_without_a_printer_chosen_is_refused(ctx, ids, entries):
    with pytest.raises(ReviewError, match="Choose a printer first"):
        plan_consent_print(ctx, ids["Ann Lee"], None, 2)
    assert len(entries("print_failed")) == 1


def test_a_stopped_printer_is_a_result_not_an_exception_and_is_audited(queue, ctx, ids, entries):
    subprocess.run(["cupsdisable", queue], check=True)
    result = print_consent(ctx, ids["Ann Lee"], queue, 1)
    assert not result.ok and "stopped" in result.error
    assert result.message.endswith("Nothing is lost: choose another printer or try again.")
    [entry] = entries("print_failed")
    assert entry["detail"]["printer"] == queue and "stopped" in entry["detail"]["error"]


def test_the_slow_part_runs_without_the_database(queue, ctx, ids):
    """`send` needs only its request: here the database is closed before it runs."""
    request = plan_consent_print(ctx, ids["Ann Lee"], queue, 1)
    ctx.db.close()
    assert send(request).ok


def test_the_blank_form_prints_from_a_temporary_file_and_leaves_nothing_in_the_data_folder(queue, printed, ctx,
                                                                                           entries):
    before = sorted(p for p in ctx.data_dir.rglob("*") if not p.name.startswith("kiosk.db"))
    started = time.time()
    result = print_blank_form(ctx, queue)
    assert result.ok and result.message == "Blank form sent to PDF."
    out = printed(result, "Blank")
    assert out.stat().st_mtime >= started - 1
    assert "Date of birth" in " ".join(page_texts(out))
    after = sorted(p for p in ctx.data_dir.rglob("*") if not p.name.startswith("kiosk.db"))
    assert after == before and not (ctx.data_dir / "forms").exists()  # the database itself gets the audit entry
    [entry] = entries("print")
    assert entry["document_id"] is None and entry["detail"]["form"] == "blank"


def test_the_printer_list_is_live_with_each_state(queue, ctx):
    listed = printers(ctx)
    [pdf] = [p for p in listed.printers if p.name == queue]
    assert pdf.state in ("idle", "printing") and listed.problem is None
    subprocess.run(["cupsdisable", queue], check=True)
    [pdf] = [p for p in printers(ctx).printers if p.name == queue]
    assert pdf.state == "stopped"


def test_the_void_mark_is_on_every_page_of_the_copy_and_the_original_bytes_stay(ctx, ids):
    original = ctx.db.conn.execute("SELECT pdf_path FROM consents WHERE document_id = ?",
                                   [ids["José Pérez"]]).fetchone()[0]
    data = Path(original).read_bytes()
    marked = void_marked_copy(data, mark="VOID", lines=["Ανακλήθηκε: λάθος ασθενής", "Reason: Über-long æøå"])
    assert marked[:len(data)] == data  # an incremental update: the original is a prefix
    reader = PdfReader(io.BytesIO(marked))
    assert len(reader.pages) == len(PdfReader(io.BytesIO(data)).pages)
    for page in reader.pages:
        text = page.extract_text()
        assert "VOID" in text and "λάθος ασθενής" in text and "Über-long æøå" in text
