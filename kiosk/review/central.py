"""The review functions of a nurse station pointed at the central PostgreSQL database
(``kiosk nurse --central``). No Qt here.

The pages call the same functions as always (``kiosk.review.queue``, ``rows``, ``actions``,
``printing``); each of those hands over to its twin here when the nurse's context has a
``central`` link (``ReviewContext.central``). Sign-in, accounts, calls for a nurse and the
quarantine stay on this computer's SQLite; the queue, the consent, its history and the
actions (viewed, identity checked, countersigned, voided, printed) read and write the central
database (``kiosk.central.queue``), each action in one transaction with its
``review_events`` row, written as the nurse's account ("nurse:<id>") at this station
("station:<host>").

Privacy: the central database holds the PDFs as bytes; to show one (QPdfDocument) and to
countersign it (``kiosk.finalise.prepare_countersignature`` reads a file) they are written
to a private folder in the data folder (0700; files 0600), emptied when the consent page
closes and when the nurse signs out, and removed with the station (``CentralLink.close``);
a station that was killed has its folder removed by the next one to start.

When PostgreSQL cannot be reached every function raises ``ReviewError`` with the kind
message ``message.central_unreachable`` (the kiosks keep saving; try again) and the link
drops its connection, to open a new one on the next call: nothing is lost and nothing
crashes.

Threading: a link's connection is opened on the thread that first uses it (the station's)
and used from there; another station (a test's second thread) has its own link.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import datetime, timedelta
from datetime import date as Date
from pathlib import Path

import psycopg

from kiosk.central import queue as central_queue
from kiosk.central.schema import CentralError, first_line, migrate
from kiosk.review.context import ReviewContext
from kiosk.review.rows import HistoryLine, ReviewError, history_text, names_of

CONNECT_TIMEOUT_SECONDS = 3  # a nurse waits this long at most before "cannot be reached"
POLL_PAUSE_SECONDS = 10  # after a failed connection the live queue's poll waits this long to try again
STATEMENT_TIMEOUT_MS = 15_000
VIEWS_FOLDER = "central-views"  # in the data folder: the PDFs being looked at, while they are


def station_name(settings) -> str:
    """This station's name in the central database: "station:<kiosk_id or host name>"."""
    return f"station:{(getattr(settings, 'kiosk_id', '') or socket.gethostname()).strip()}"


class CentralLink:
    """The station's way to the central database: the address, the station's name, one
    connection (opened on first use, again after the server went away) and the private
    folder of the PDFs on screen. ``connection`` may be given (a test's own)."""

    def __init__(self, dsn: str, *, station_id: str, data_dir: Path,
                 connect_timeout: int = CONNECT_TIMEOUT_SECONDS, connection: psycopg.Connection | None = None):
        if not station_id.strip():
            raise ValueError("a central nurse station needs its name (station:<host>)")
        self.dsn = dsn
        self.station_id = station_id
        self.connect_timeout = connect_timeout
        self.views_root = Path(data_dir) / VIEWS_FOLDER
        self._views: Path | None = None
        self._conn = connection
        self._failed_at: float | None = None  # time.monotonic() of the last connection that failed

    def connection(self) -> psycopg.Connection:
        """The open connection, or a new one (autocommit: every read and action is its own
        short transaction, nothing is ever left open). CentralError when it cannot be made."""
        if self._conn is not None and not (self._conn.closed or self._conn.broken):
            return self._conn
        self.drop()
        try:
            conn = psycopg.connect(self.dsn, autocommit=True, connect_timeout=self.connect_timeout,
                                   application_name=f"kiosk {self.station_id}"[:63],
                                   options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}")
        except psycopg.Error as error:
            self._failed_at = time.monotonic()
            raise CentralError(first_line(error)) from error
        self._failed_at = None
        try:
            migrate(conn)  # a database no kiosk has written to yet has no tables
        except (psycopg.Error, CentralError) as error:
            conn.close()
            raise CentralError(first_line(error)) from error
        self._conn = conn
        return conn

    def failed_lately(self) -> bool:
        """True for ``POLL_PAUSE_SECONDS`` after a connection failed: the live queue's poll
        (every 1.5 s, on the UI thread) does not wait for the server again until then."""
        return self._failed_at is not None and time.monotonic() - self._failed_at < POLL_PAUSE_SECONDS

    def drop(self) -> None:
        """Forget the connection (closed if it can be): the next call opens a new one."""
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(psycopg.Error):
                conn.close()

    # ----- the PDFs on screen -------------------------------------------------------------------
    def view_file(self, name: str, data: bytes) -> Path:
        """``data`` as ``name`` in the private folder (0600), replaced if it is there."""
        folder = self._folder()
        path = folder / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return path

    def discard_views(self) -> None:
        """Remove every PDF written for viewing (the page closed, the nurse signed out)."""
        if self._views is not None and self._views.exists():
            for path in self._views.iterdir():
                path.unlink(missing_ok=True)

    def close(self) -> None:
        """The station is closing: its folder goes, and its connection."""
        if self._views is not None:
            shutil.rmtree(self._views, ignore_errors=True)
            self._views = None
        self.drop()

    def _folder(self) -> Path:
        if self._views is None or not self._views.exists():
            self.views_root.mkdir(mode=0o700, parents=True, exist_ok=True)
            _remove_left_behind(self.views_root)
            self._views = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=self.views_root))  # 0700
        return self._views


def _remove_left_behind(root: Path) -> None:
    """Folders of stations that are no longer running (killed, the power cut): their PDFs go."""
    for folder in root.iterdir():
        pid = folder.name.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _central(ctx: ReviewContext) -> Iterator[psycopg.Connection]:
    """The connection; a failure as a ReviewError: "cannot be reached" (and the connection
    dropped) when the server is away, the database's own plain words otherwise."""
    link = ctx.central
    try:
        yield link.connection()
    except central_queue.AlreadyCountersigned as error:
        raise ReviewError(ctx.texts("message.countersign_taken", by=error.by,
                                    at=_local(ctx, error.at)[:16].replace("T", " "))) from None
    except CentralError as error:
        conn = link._conn
        if conn is None or conn.closed or conn.broken or isinstance(error.__cause__, psycopg.OperationalError):
            link.drop()
            raise ReviewError(ctx.texts("message.central_unreachable", reason=str(error))) from None
        raise ReviewError(str(error)) from None
    except psycopg.Error as error:  # not wrapped by kiosk.central: the connection itself failed
        link.drop()
        raise ReviewError(ctx.texts("message.central_unreachable", reason=first_line(error))) from None


def _local(ctx: ReviewContext, at: str | None) -> str:
    """An ISO time from the database in the station's time zone ("2026-11-25T15:00:00+01:00")."""
    if not at:
        return ""
    try:
        return datetime.fromisoformat(at).astimezone(ctx.now().tzinfo).replace(microsecond=0).isoformat()
    except ValueError:
        return at


# ----- the queue ------------------------------------------------------------------------------------


def _filters(ctx: ReviewContext, flt) -> dict:
    """The queue filter as ``kiosk.central.queue`` filters: days from midnight in the station's
    zone. The sort is not one of them: the central queue is always newest first."""
    zone = ctx.now().tzinfo

    def midnight(day: str, later: int = 0) -> datetime:
        return datetime.combine(Date.fromisoformat(day) + timedelta(days=later), datetime.min.time(), zone)

    return {"search": flt.search, "outcome": flt.outcome, "review_state": flt.review_state, "flag": flt.flag,
            "since": midnight(flt.date_from) if flt.date_from else None,
            "before": midnight(flt.date_to, 1) if flt.date_to else None}


def queue_rows(ctx: ReviewContext, flt, *, limit: int, offset: int) -> list:
    """One page of every kiosk's consents, newest first, each with its kiosk's id."""
    from kiosk.review.queue import queue_row

    with _central(ctx) as conn:
        rows = central_queue.list_queue(conn, **_filters(ctx, flt), limit=limit, offset=offset)
    return [replace(queue_row(ctx, {**row, "finished_at": _local(ctx, row.get("finished_at")),
                                    "started_at": _local(ctx, row.get("started_at"))}),
                    kiosk_id=row["kiosk_id"]) for row in rows]


def queue_count(ctx: ReviewContext, flt) -> int:
    with _central(ctx) as conn:
        return central_queue.count_queue(conn, **_filters(ctx, flt))


def queue_version(ctx: ReviewContext) -> int | None:
    """``kiosk.central.queue.queue_version``; None while the server cannot be reached (and,
    without trying, for a few seconds after it could not be: the poll never stalls the page)."""
    if ctx.central.failed_lately():
        return None
    try:
        with _central(ctx) as conn:
            return central_queue.queue_version(conn)
    except ReviewError:
        return None


# ----- one consent ------------------------------------------------------------------------------------


def read_row(ctx: ReviewContext, document_id: str) -> dict:
    """The central row in the shape the review functions read (the kiosk's row): times in
    the station's zone, ``pdf_path`` / ``countersigned_pdf_path`` the PDFs' bytes written to
    the private folder, and ``identity_checked_by_shown``, who checked the identity, by name
    if it was a nurse of this station. ReviewError when there is no such consent."""
    with _central(ctx) as conn:
        row = central_queue.get_consent(conn, document_id)
        if row is None:
            raise ReviewError(ctx.texts("message.no_such_consent"))
        events = central_queue.consent_events(conn, document_id) if row.get("mrn") else []
    for name in ("started_at", "finished_at", "identity_checked_at", "countersigned_at", "voided_at"):
        row[name] = _local(ctx, row.get(name)) or None
    link = ctx.central
    row["pdf_path"] = str(link.view_file(f"{row['document_id']}.pdf", row["pdf"])) if row.get("pdf") else None
    row["countersigned_pdf_path"] = (str(link.view_file(f"{row['document_id']}-countersigned.pdf",
                                                        row["countersigned_pdf"]))
                                     if row.get("countersigned_pdf") else None)
    checks = [e for e in events if e["action"] == "identity_checked"]
    if checks:
        row["identity_checked_by_shown"] = shown_actor_at(ctx, checks[-1]["actor"], checks[-1]["kiosk_id"],
                                                          names_of(ctx))
    return row


def shown_actor_at(ctx: ReviewContext, actor: str | None, kiosk_id: str | None, names: dict[str, str]) -> str:
    """Who did it: the account's name for a nurse of this station; elsewhere the account
    id with the kiosk or station where it was done (account ids are per computer)."""
    if kiosk_id == ctx.central.station_id:
        return names.get(actor, actor) or ctx.texts("history.unknown_actor")
    return ctx.texts("history.at_kiosk", who=actor or ctx.texts("history.unknown_actor"),
                     kiosk=kiosk_id or ctx.texts("history.central"))


def history(ctx: ReviewContext, document_id: str) -> list[HistoryLine]:
    """Every review event about the consent at the central database, oldest first, in words."""
    with _central(ctx) as conn:
        events = central_queue.consent_events(conn, document_id)
    names = names_of(ctx)
    return [HistoryLine(at=_local(ctx, e["at"]), actor=shown_actor_at(ctx, e["actor"], e["kiosk_id"], names),
                        action=e["action"], text=history_text(ctx.texts, e["action"], e["detail"] or {}))
            for e in events]


# ----- actions --------------------------------------------------------------------------------------------


def record_view(ctx: ReviewContext, document_id: str) -> None:
    with _central(ctx) as conn:
        central_queue.record_view(conn, document_id, actor=ctx.account.actor, at=ctx.at(),
                                  station=ctx.central.station_id)


def check_identity(ctx: ReviewContext, document_id: str, mrn: str) -> None:
    with _central(ctx) as conn:
        central_queue.check_identity(conn, document_id, mrn=mrn, actor=ctx.account.actor, at=ctx.at(),
                                     station=ctx.central.station_id)


def void(ctx: ReviewContext, document_id: str, reason: str) -> None:
    with _central(ctx) as conn:
        central_queue.void(conn, document_id, reason=reason, actor=ctx.account.actor, at=ctx.at(),
                           station=ctx.central.station_id)


def countersign(ctx: ReviewContext, document_id: str, signature: dict, pdf: bytes) -> None:
    """Store the countersignature once: a station that comes second gets ReviewError
    ``message.countersign_taken`` naming whose countersignature stands, and when."""
    with _central(ctx) as conn:
        central_queue.countersign(conn, document_id, clinician=signature["clinician_name"], role=signature["role"],
                                  account_id=ctx.account.actor, at=signature["signed_at"], pdf_bytes=pdf,
                                  station=ctx.central.station_id)


def record_event(ctx: ReviewContext, document_id: str | None, action: str, detail: dict) -> None:
    """An audit entry of this station at the central database (a print, a refused print)."""
    with _central(ctx) as conn:
        central_queue.record_event(conn, document_id, actor=ctx.account.actor, action=action, at=ctx.at(),
                                   station=ctx.central.station_id, detail=detail)

