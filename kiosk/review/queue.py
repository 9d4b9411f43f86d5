"""The queue as the nurse pages show it: typed rows with every code's words, the count, and
the open calls for a nurse. Read-only, no Qt; over ``kiosk.store.queue``.

Threading: call from the thread that opened ``ctx.db``; a page of rows or a count takes a
few milliseconds with 100,000 consents (bench/bench_queue.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.review.codes import (
    OUTCOMES,
    QUEUE_FLAGS,
    REVIEW_STATES,
    Coded,
    choices,
    coded,
)
from kiosk.review.context import ReviewContext
from kiosk.review.when import day_name
from kiosk.store import StoreError
from kiosk.store import queue as store_queue
from kiosk.store.quarantine import list_quarantine
from kiosk.store.queue import (
    QueueFilter,
    count_queue,
    data_version,
    open_help_requests,
    query_queue,
)

# The typed forms (QueueRow, CallRow, with every code's words) are what new page code uses. The
# store's own forms are passed through here as they are, for the queue page and its table
# model, which still read the store's dict rows: nurse pages import only kiosk.review (the
# import-linter contract "kiosk.ui.nurse never imports kiosk.store"), never the store itself.
__all__ = ["CallRow", "QueueFilter", "QueueRow", "StoreError", "count_queue", "data_version", "filter_choices",
           "list_quarantine", "open_calls", "open_help_requests", "quarantined", "query_queue", "queue_count",
           "queue_rows", "queue_version"]


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue."""

    document_id: str
    time: str  # "YYYY-MM-DD HH:MM", when the session finished (or started, if abandoned)
    patient_name: str
    date_of_birth: str
    outcome: Coded
    review_state: Coded
    flags: tuple[Coded, ...]  # "needs_doctor" (with the count in its words), "help"
    kiosk_id: str = ""  # the kiosk that took the consent (a central station's queue); "" on a kiosk's own

    @property
    def flags_text(self) -> str:
        return ", ".join(flag.text for flag in self.flags)


@dataclass(frozen=True)
class CallRow:
    """A call for a nurse nobody has answered yet; ``text`` names the patient and when."""

    id: int
    session_id: str
    at: str
    patient_name: str | None
    text: str


def queue_rows(ctx: ReviewContext, flt: QueueFilter, *, limit: int, offset: int) -> list[QueueRow]:
    """One page of the queue, as ``kiosk.store.queue.query_queue`` orders it (at a central
    station: every kiosk's, newest first, ``kiosk.review.central``)."""
    if ctx.central is not None:
        from kiosk.review import central

        return central.queue_rows(ctx, flt, limit=limit, offset=offset)
    return [queue_row(ctx, row) for row in store_queue.query_queue(ctx.db, flt, limit=limit, offset=offset)]


def queue_row(ctx: ReviewContext, row: dict) -> QueueRow:
    """A queue row (the store's, or the central database's in the same shape) with its words."""
    texts = ctx.texts
    flags = []
    if row.get("needs_doctor_count"):
        flags.append(Coded("needs_doctor", texts("flag.misunderstood_count", count=row["needs_doctor_count"])))
    if row.get("help_requested"):
        flags.append(coded(texts, "flag", "help"))
    return QueueRow(
        document_id=row["document_id"],
        time=(row.get("finished_at") or row.get("started_at") or "")[:16].replace("T", " "),
        patient_name=row.get("patient_name") or "",
        date_of_birth=row.get("patient_dob") or "",
        outcome=coded(texts, "outcome", row.get("outcome")),
        review_state=coded(texts, "review_state", "void" if row.get("void") else row.get("review_state")),
        flags=tuple(flags),
    )


def queue_count(ctx: ReviewContext, flt: QueueFilter) -> int:
    """How many consents the filter keeps."""
    if ctx.central is not None:
        from kiosk.review import central

        return central.queue_count(ctx, flt)
    return store_queue.count_queue(ctx.db, flt)


def open_calls(ctx: ReviewContext) -> list[CallRow]:
    """Unanswered calls for a nurse, newest first; a call from another day says its date."""
    texts, today = ctx.texts, ctx.now().date().isoformat()
    calls = []
    for call in store_queue.open_help_requests(ctx.db):
        who = call.get("patient_name") or texts("call.unknown_patient")
        day, clock = call["at"][:10], call["at"][11:16]
        text = (texts("call.today", who=who, time=clock) if day == today
                else texts("call.earlier", who=who, date=day_name(texts, day), time=clock))
        calls.append(CallRow(call["id"], call["session_id"], call["at"], call.get("patient_name"), text))
    return calls


def filter_choices(ctx: ReviewContext) -> dict[str, tuple[Coded, ...]]:
    """The queue's filter buttons: outcomes, flags and review states, each with its words, in
    the core's order."""
    texts = ctx.texts
    return {"outcome": choices(texts, "outcome", OUTCOMES), "flag": choices(texts, "flag", QUEUE_FLAGS),
            "review_state": choices(texts, "review_state", REVIEW_STATES)}


def queue_version(ctx: ReviewContext) -> int | None:
    """A number that changes when another connection (the kiosk, another station) has
    committed since it was last read: the queue need be read again only then. Microseconds,
    no table read. None when the store cannot say (the next full read shows the problem)."""
    if ctx.central is not None:
        from kiosk.review import central

        return central.queue_version(ctx)
    try:
        return store_queue.data_version(ctx.db)
    except StoreError:
        return None


def quarantined(ctx: ReviewContext) -> list:
    """Files recovery set aside (``kiosk.store.quarantine``), each with its ``path`` and
    ``reason``: IT must look at them."""
    return list_quarantine(ctx.consents_dir)
