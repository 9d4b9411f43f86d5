"""Printing PDFs through the computer's print system (CUPS). No Qt here.

The PDF itself is handed to CUPS with `lp`, so consents and blank forms print as vectors,
exactly as stored. Printer state comes from `lpstat`.

    from kiosk.printing import PrintError, default_printer, job_done, list_printers, print_pdf
    job = print_pdf(Path("consent.pdf"), printer="Ward_3", copies=2, title="Consent 7d0c2c9e")
    while not job_done(job): ...

Threading: every function runs CUPS commands with `subprocess.run` and blocks until they
answer, at most `COMMAND_TIMEOUT` seconds per command (usually a few milliseconds; `lp` of a
consent takes well under a second). Call them from a worker thread if the UI must stay
responsive; none of them touches the UI.

Every failure a nurse can meet is a `PrintError` whose message is plain English and says what
to do next. Nothing is ever lost: `print_pdf` never deletes, moves or changes the file.
The commands run in the C locale so their output can be read; the CUPS server is the one the
environment names (`CUPS_SERVER`, client.conf), as for any CUPS program.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

COMMAND_TIMEOUT = 10  # seconds, per CUPS command; they usually answer in milliseconds

NOT_RUNNING = "The print system is not running on this computer. Ask IT to start CUPS."
NOT_INSTALLED = NOT_RUNNING + " (Its printing programs are not installed.)"

# printer-state-reasons (RFC 8011 keywords, without -error/-warning) in a nurse's words
_REASON_WORDS = {
    "media-empty": "out of paper",
    "media-needed": "out of paper",
    "media-low": "paper is running low",
    "media-jam": "paper jam",
    "toner-empty": "out of toner",
    "toner-low": "toner is running low",
    "marker-supply-empty": "out of ink or toner",
    "marker-supply-low": "ink or toner is running low",
    "marker-waste-full": "the waste toner box is full",
    "door-open": "a door is open",
    "cover-open": "a cover is open",
    "input-tray-missing": "a paper tray is missing",
    "output-tray-missing": "the output tray is missing",
    "output-area-full": "the output tray is full",
    "offline": "the printer is switched off or not connected",
    "shutdown": "the printer is switched off",
    "connecting-to-device": "the computer cannot reach the printer; check it is switched on and connected",
    "timed-out": "the printer stopped answering",
    "stopped-partly": "the printer is partly stopped",
    "paused": "paused in the print system",
    "spool-area-full": "the print system's disk is full",
    "cups-missing-filter": "the printer's driver is missing",
    "cups-insecure-filter": "the printer's driver is not allowed to run",
}
# Messages CUPS writes by itself, which would only repeat the state
_DEFAULT_MESSAGES = {"paused": "paused in the print system", "rejecting jobs": ""}


class PrintError(Exception):
    """Printing failed or cannot start; `str(error)` is a message for the nurse."""


@dataclass(frozen=True)
class Printer:
    """One print queue as CUPS reports it. `reason`: why it is not printing, in plain words, or ""."""

    name: str
    state: Literal["idle", "printing", "stopped", "unknown"]
    accepting: bool
    is_default: bool
    reason: str


@dataclass(frozen=True)
class PrintJob:
    """A job handed to CUPS: its request id (e.g. "Ward_3-42") and the printer."""

    id: str
    printer: str


def list_printers() -> list[Printer]:
    """Every printer set up in CUPS, in the order `lpstat` lists them; [] when there is none.

    Raises PrintError when the print system is not running or not installed.
    """
    _require_scheduler()
    default = _default_name()
    accepting = _accepting()
    result = _lpstat("-l", "-p")
    if result.returncode != 0:
        if "no destinations added" in result.stderr.lower():
            return []
        raise PrintError(_cups_failed(result))
    printers = []
    for queue in _parse_printers(result.stdout):
        name = queue["name"]
        printers.append(Printer(name=name, state=queue["state"], accepting=accepting.get(name, False),
                                is_default=name == default, reason=_reason(queue)))
    return printers


def default_printer() -> str | None:
    """The name of the default printer (system or this user's), or None if none is set.

    Raises PrintError when the print system is not running or not installed.
    """
    _require_scheduler()
    return _default_name()


def print_pdf(path: Path, *, printer: str, copies: int = 1, title: str) -> PrintJob:
    """Send the PDF at `path` to `printer`, `copies` times, as a job named `title`.

    Before sending it checks that the file is there and is a PDF, that the print system runs,
    and that the printer exists, is not stopped and accepts jobs; each failure is a PrintError
    saying what to do. CUPS copies the file into its spool before this returns, so the file
    may be changed afterwards; it is never deleted or moved. Returns at once with the job:
    the paper comes later (see `job_done`). Several copies are collated (whole documents).
    `title` shows in the print queue and its logs: name the document and its ID there, not the
    patient. `copies` below 1 is a programming error (ValueError).
    """
    if copies < 1:
        raise ValueError(f"copies must be 1 or more, not {copies}")
    path = Path(path).absolute()  # absolute: a name starting with "-" is never read as an option
    _check_pdf(path)
    queue = next((p for p in list_printers() if p.name.casefold() == str(printer).casefold()), None)
    if queue is None:
        raise PrintError(f"There is no printer called \u201c{printer}\u201d on this computer. "
                         "Choose another printer, or ask IT to set this one up.")
    if queue.state == "stopped":
        because = f": {queue.reason}" if queue.reason else ""
        raise PrintError(f"The printer \u201c{queue.name}\u201d is stopped{because}. Nothing was printed. "
                         "Check the printer, then ask IT to start it again, or choose another printer.")
    if not queue.accepting:
        because = f" ({queue.reason})" if queue.reason else ""
        raise PrintError(f"The printer \u201c{queue.name}\u201d is not accepting print jobs{because}. "
                         "Nothing was printed. Choose another printer, or ask IT to open it again.")
    # Collated, so two copies come out as two whole documents (chart copy, patient copy),
    # not as each page twice.
    collate = ["-o", "collate=true"] if copies > 1 else []
    result = _run("lp", "-d", queue.name, "-n", str(copies), *collate, "-t", title, str(path))
    match = re.search(r"request id is (\S+)", result.stdout)
    if result.returncode != 0 or not match:
        raise PrintError(_lp_failed(result, queue.name))
    return PrintJob(id=match.group(1), printer=queue.name)


def job_done(job: PrintJob) -> bool:
    """True once CUPS no longer lists the job as waiting or printing (`lpstat -o`).

    That is when the printer has been sent all of it, or the job was cancelled. Raises
    PrintError when the print system cannot be asked.
    """
    result = _lpstat("-o")
    if result.returncode != 0:
        if "scheduler is not running" in result.stderr.lower():
            raise PrintError(NOT_RUNNING)
        raise PrintError(_cups_failed(result))
    return job.id not in {line.split()[0] for line in result.stdout.splitlines() if line[:1].strip()}


# --- reading CUPS ---------------------------------------------------------------------------

def _run(*command: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    try:
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=COMMAND_TIMEOUT,
                              stdin=subprocess.DEVNULL, errors="replace")
    except FileNotFoundError:
        raise PrintError(NOT_INSTALLED) from None
    except subprocess.TimeoutExpired:
        raise PrintError(f"The print system did not answer within {COMMAND_TIMEOUT} seconds. Try again; "
                         "if it happens again, ask IT to check CUPS.") from None


def _lpstat(*options: str) -> subprocess.CompletedProcess:
    return _run("lpstat", *options)


def _require_scheduler() -> None:
    if "scheduler is running" not in _lpstat("-r").stdout:
        raise PrintError(NOT_RUNNING)


def _default_name() -> str | None:
    match = re.search(r"default destination: (\S+)", _lpstat("-d").stdout)
    return match.group(1) if match else None


def _accepting() -> dict[str, bool]:
    """Printer name -> whether it accepts jobs, from `lpstat -a`."""
    found = {}
    for line in _lpstat("-a").stdout.splitlines():
        match = re.match(r"(\S+) (not )?accepting requests", line)
        if match:
            found[match.group(1)] = not match.group(2)
    return found


def _parse_printers(text: str) -> list[dict]:
    """name, state, state message and state reasons of each printer in `lpstat -l -p`.

    A printer's line ("printer X is idle. ...", "printer X now printing X-3. ...",
    "printer X disabled since ...") is followed by indented lines: its state message, if any,
    then the long listing from "Form mounted:" on, whose "Alerts:" line holds the reasons.
    """
    printers: list[dict] = []
    for line in text.splitlines():
        head = re.match(r"printer (\S+) (.*)", line)
        if head:
            rest = head.group(2)
            state = ("idle" if rest.startswith("is idle") else "printing" if rest.startswith("now printing")
                     else "stopped" if rest.startswith("disabled") else "unknown")
            printers.append({"name": head.group(1), "state": state, "message": "", "alerts": [], "listing": False})
        elif printers and line.startswith("\t"):
            printer, item = printers[-1], line.strip()
            if item.startswith("Form mounted:"):
                printer["listing"] = True
            elif item.startswith("Alerts:"):
                printer["alerts"] = [_keyword(a) for a in item.removeprefix("Alerts:").split()
                                     if a != "none" and not a.endswith("-report")]
            elif not printer["listing"] and not printer["message"]:
                printer["message"] = item
    return printers


def _keyword(reason: str) -> str:
    return re.sub(r"-(error|warning)$", "", reason)


def _reason(queue: dict) -> str:
    """Why a printer is not printing, in plain words: its message, then its state reasons."""
    said = _message_words(queue["message"])
    reasons = [said] if said else []
    for alert in queue["alerts"]:
        if alert == "paused" and (said or queue["state"] == "stopped"):
            continue  # "stopped" already says it
        words = _REASON_WORDS.get(alert)
        if words and words not in reasons:
            reasons.append(words)
    return "; ".join(reasons)


def _message_words(message: str) -> str:
    """The printer's state message for a nurse: keywords translated, CUPS's own defaults dropped."""
    key = message.strip().rstrip(".")
    if key.lower() in _DEFAULT_MESSAGES:
        return _DEFAULT_MESSAGES[key.lower()]
    return _REASON_WORDS.get(_keyword(key.lower()), key)


def _check_pdf(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            start = handle.read(1024)
    except FileNotFoundError:
        raise PrintError(f"The document to print was not found ({path}). Nothing was printed. "
                         "Open the consent again and print from there; if it is still missing, ask IT.") from None
    except OSError as error:
        raise PrintError(f"The document to print could not be read ({path}: {error.strerror}). "
                         "Nothing was printed. Ask IT to check the kiosk's files.") from None
    if b"%PDF-" not in start:
        raise PrintError(f"The file to print is not a PDF document ({path}). Nothing was printed. Ask IT.")


def _cups_failed(result: subprocess.CompletedProcess) -> str:
    said = (result.stderr or result.stdout).strip().splitlines()
    detail = f" (it said: {said[-1]})" if said else ""
    return f"The print system gave an error{detail}. Try again; if it happens again, ask IT."


def _lp_failed(result: subprocess.CompletedProcess, printer: str) -> str:
    said = result.stderr.lower()
    if "does not exist" in said:
        return (f"There is no printer called \u201c{printer}\u201d on this computer. "
                "Choose another printer, or ask IT to set this one up.")
    if "not accepting" in said:
        return (f"The printer \u201c{printer}\u201d is not accepting print jobs. Nothing was printed. "
                "Choose another printer, or ask IT to open it again.")
    if "scheduler is not running" in said or "unable to connect" in said:
        return NOT_RUNNING
    return _cups_failed(result)
