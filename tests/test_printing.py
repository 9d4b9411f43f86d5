"""Printing through a real CUPS queue named PDF (cups-pdf writing into /tmp/cups-pdf-out, as
.ci/run sets it up). Without CUPS these tests skip, which CI=true turns into a failure.

Every test that changes the queue puts it back as it found it."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from kiosk.printing import NOT_RUNNING, Printer, PrintError, PrintJob, default_printer, job_done, list_printers, print_pdf
from kiosk.printing import _parse_printers, _reason

pytestmark = pytest.mark.uses_cups  # one such test at a time across workers (tests/conftest.py)

QUEUE = "PDF"
OUT = Path("/tmp/cups-pdf-out")
PATIENT = "Philippa Printwell"
APPEAR_WITHIN = 20  # seconds


def _cups_ready() -> str | None:
    """Why the PDF queue cannot be used, or None when it can."""
    if not shutil.which("lpstat"):
        return "CUPS is not installed (no lpstat)"
    if "scheduler is running" not in subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout:
        return "cupsd is not running"
    if subprocess.run(["lpstat", "-p", QUEUE], capture_output=True).returncode != 0:
        return f"no CUPS queue named {QUEUE} (see .ci/run)"
    return None


@pytest.fixture
def queue():
    """The PDF queue; afterwards enabled/accepting again exactly as it was before the test."""
    why = _cups_ready()
    if why:
        pytest.skip(why)
    [before] = [p for p in list_printers() if p.name == QUEUE]
    try:
        yield QUEUE
    finally:
        subprocess.run(["cupsenable" if before.state != "stopped" else "cupsdisable", QUEUE], check=True)
        subprocess.run(["cupsaccept" if before.accepting else "cupsreject", QUEUE], check=True)


@pytest.fixture(scope="module")
def consent(tmp_path_factory) -> tuple[Path, dict]:
    """A consent PDF made the way the kiosk makes it, and its record."""
    from kiosk.content import load_pack
    from kiosk.documents import render_consent_pdf
    from kiosk.flow import build_record
    from tests.flow.sample import complete_session

    pack = load_pack("en")
    record = build_record(complete_session(pack, name=PATIENT), pack, time_zone="Europe/London")
    path = tmp_path_factory.mktemp("print") / "consent.pdf"
    path.write_bytes(render_consent_pdf(record, hospital_name="St Mary's Hospital"))
    return path, record


def _jobs(printer: str) -> set[str]:
    listed = subprocess.run(["lpstat", "-o", printer], capture_output=True, text=True).stdout
    return {line.split()[0] for line in listed.splitlines() if line.strip()}


def _printed_file(token: str, deadline: float) -> Path | None:
    """The newest cups-pdf output whose name has `token` (cups-pdf names files after the job title)."""
    while time.monotonic() < deadline:
        found = sorted(OUT.glob(f"*{token}*.pdf"), key=lambda p: p.stat().st_mtime)
        if found and found[-1].stat().st_size > 0:
            return found[-1]
        time.sleep(0.2)
    return None


def test_lists_the_pdf_queue(queue):
    printers = {p.name: p for p in list_printers()}
    pdf = printers[QUEUE]
    assert isinstance(pdf, Printer)
    assert pdf.state in ("idle", "printing") and pdf.accepting  # someone else may be printing to it
    assert pdf.is_default == (default_printer() == QUEUE)


@pytest.fixture
def printed(queue):
    """print(path, copies) -> the PDF cups-pdf wrote for that job; those files are deleted afterwards."""
    made: list[Path] = []

    def print_and_collect(path: Path, copies: int = 1) -> Path:
        token = f"kiosktest{uuid.uuid4().hex[:10]}"
        started = time.monotonic()
        job = print_pdf(path, printer=queue, copies=copies, title=f"{token} consent")
        assert isinstance(job, PrintJob) and job.printer == queue and job.id.startswith(f"{queue}-")
        deadline = started + APPEAR_WITHIN
        while not job_done(job) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert job_done(job), f"job {job.id} still queued after {APPEAR_WITHIN} s"
        found = _printed_file(token, deadline)
        assert found is not None, f"no PDF named after {token!r} in {OUT} within {APPEAR_WITHIN} s"
        made.append(found)
        return found

    yield print_and_collect
    for path in made:
        path.unlink(missing_ok=True)


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def test_printed_consent_comes_out_with_name_and_document_id(printed, consent):
    path, record = consent
    before = path.read_bytes()
    text = _text(printed(path))
    assert PATIENT in text
    assert record["document_id"] in text
    assert path.read_bytes() == before  # printing never moves, deletes or changes the file


def test_two_copies_come_out_as_two_whole_documents(printed, consent):
    path, _ = consent
    pages = _page_count(path)
    out = printed(path, copies=2)
    assert _page_count(out) == 2 * pages
    numbers = re.findall(r"Page (\d+) of \d+", _text(out))
    assert numbers == [str(n) for n in range(1, pages + 1)] * 2  # collated: 1 2 3 1 2 3, not 1 1 2 2 3 3


def test_missing_printer_is_named(queue, consent):
    with pytest.raises(PrintError, match="no printer called \u201cWard_99_Nowhere\u201d"):
        print_pdf(consent[0], printer="Ward_99_Nowhere", title="never")


@pytest.mark.parametrize(("reason", "words"), [(None, "paused"), ("media-empty", "out of paper")])
def test_stopped_queue_says_it_is_stopped_and_why(queue, consent, reason, words):
    jobs = _jobs(queue)
    subprocess.run(["cupsdisable", *(["-r", reason] if reason else []), queue], check=True)
    [printer] = [p for p in list_printers() if p.name == queue]
    assert printer.state == "stopped" and words in printer.reason
    with pytest.raises(PrintError, match="is stopped") as error:
        print_pdf(consent[0], printer=queue, title="never")
    assert words in str(error.value) and queue in str(error.value)
    assert _jobs(queue) <= jobs  # nothing was queued to come out later
    assert consent[0].exists()


@pytest.mark.parametrize("reason", [None, "closed for maintenance"])
def test_queue_not_accepting_jobs(queue, consent, reason):
    subprocess.run(["cupsreject", *(["-r", reason] if reason else []), queue], check=True)
    [printer] = [p for p in list_printers() if p.name == queue]
    assert not printer.accepting
    with pytest.raises(PrintError, match="not accepting print jobs") as error:
        print_pdf(consent[0], printer=queue, title="never")
    assert (reason or "") in str(error.value)
    assert "Rejecting Jobs" not in str(error.value)  # CUPS's default message only repeats the state


def test_missing_file(queue, tmp_path):
    with pytest.raises(PrintError, match="not found"):
        print_pdf(tmp_path / "gone.pdf", printer=queue, title="never")


def test_a_file_that_is_not_a_pdf(queue, tmp_path):
    (tmp_path / "note.pdf").write_text("hello")
    with pytest.raises(PrintError, match="not a PDF"):
        print_pdf(tmp_path / "note.pdf", printer=queue, title="never")


def test_copies_must_be_positive(tmp_path):
    with pytest.raises(ValueError):
        print_pdf(tmp_path / "x.pdf", printer=QUEUE, copies=0, title="never")


def test_job_unknown_to_cups_is_done(queue):
    assert job_done(PrintJob(f"{queue}-999999999", queue))


# --- without the print system: a CUPS server that is not there, or no CUPS programs ---------

@pytest.fixture
def no_scheduler(monkeypatch, tmp_path):
    if not shutil.which("lpstat"):
        pytest.skip("CUPS is not installed (no lpstat)")
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cupsd.sock"))


@pytest.mark.parametrize("call", [list_printers, default_printer, lambda: job_done(PrintJob("PDF-1", "PDF"))])
def test_print_system_not_running(no_scheduler, call):
    with pytest.raises(PrintError) as error:
        call()
    assert str(error.value) == NOT_RUNNING


def test_print_system_not_running_when_printing(no_scheduler, consent):
    with pytest.raises(PrintError) as error:
        print_pdf(consent[0], printer=QUEUE, title="never")
    assert str(error.value) == NOT_RUNNING


def test_print_system_not_installed(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PrintError) as error:
        list_printers()
    assert str(error.value).startswith(NOT_RUNNING)


# --- reading lpstat (no CUPS needed) --------------------------------------------------------

LPSTAT = """\
printer Ward_3 now printing Ward_3-41.  enabled since Wed Nov 25 15:07:59 2026
\tForm mounted:
\tAlerts: media-low-warning marker-supply-low-report
printer Office disabled since Wed Nov 25 15:07:59 2026 -
\tMedia tray 2 empty.
\tForm mounted:
\tDescription: Office: by the door
\tAlerts: paused media-empty-error
printer Spare is idle.  enabled since Wed Nov 25 15:07:59 2026
\tForm mounted:
\tAlerts: none
"""


def test_reads_state_message_and_reasons():
    queues = {q["name"]: q for q in _parse_printers(LPSTAT)}
    assert {n: q["state"] for n, q in queues.items()} == {"Ward_3": "printing", "Office": "stopped", "Spare": "idle"}
    assert _reason(queues["Ward_3"]) == "paper is running low"
    assert _reason(queues["Office"]) == "Media tray 2 empty; out of paper"
    assert _reason(queues["Spare"]) == ""
