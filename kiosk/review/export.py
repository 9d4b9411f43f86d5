"""The queue as a CSV file, stating what it holds: all consents or the queue's filter, and how
many rows. No Qt here.

Threading rule: 100,000 consents take about 3 s to write, so the export comes in two parts.
``write_export(db_file, ...)`` opens its OWN read-only connection to the database file and
writes the CSV: it touches neither ``ctx.db`` nor the UI, so it runs on a worker thread.
``record_export(ctx, result)`` then writes the ``export_csv`` audit entry on the UI thread's
connection (milliseconds), removing the file again if that entry cannot be committed.
``export_csv`` does both on the calling thread, on ``ctx.db``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.review.codes import coded
from kiosk.review.context import ReviewContext
from kiosk.review.rows import ReviewError, through_store
from kiosk.review.texts import NurseTexts
from kiosk.store import StoreError
from kiosk.store.queue import EXPORT_COLUMNS, QueueFilter, record_queue_export, write_queue_csv

SCOPES = ("all", "filtered")


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the file, how many consents, the scope ("all" or "filtered"), the
    filter applied, in plain words ("all consents", "outcome: Declined, search: “lee”"), and
    ``message`` for the nurse once it is recorded."""

    path: Path
    rows: int
    scope: str
    queue_filter: QueueFilter
    filter_text: str
    message: str = ""


def export_path(ctx: ReviewContext) -> Path:
    """Where a new export goes: ``exports/queue-<date>-<time>.csv`` in the data folder, with
    "-2", "-3" ... when an export of the same second is there already (two taps, all then
    filtered): an export never replaces another."""
    stem = ctx.data_dir / "exports" / f"queue-{ctx.now().strftime('%Y%m%d-%H%M%S')}"
    path, n = stem.with_suffix(".csv"), 1
    while path.exists():
        n += 1
        path = stem.with_name(f"{stem.name}-{n}.csv")
    return path


def chosen_filter(queue_filter: QueueFilter | None, scope: str, texts: NurseTexts) -> QueueFilter:
    """The filter an export of ``scope`` uses: the queue's for "filtered", none for "all"."""
    if scope not in SCOPES:
        raise ReviewError(texts("message.export_scope_wrong"))
    if scope == "all" or queue_filter is None:
        return QueueFilter()
    return queue_filter


def describe_filter(texts: NurseTexts, flt: QueueFilter) -> str:
    """The filter in plain words, each choice with its display text; "all consents" for none."""
    parts = []
    if flt.outcome:
        parts.append(texts("filter.outcome", value=coded(texts, "outcome", flt.outcome).text))
    if flt.flag:
        parts.append(texts("filter.flag", value=coded(texts, "flag", flt.flag).text))
    if flt.review_state:
        parts.append(texts("filter.review_state", value=coded(texts, "review_state", flt.review_state).text))
    for name in ("date_from", "date_to"):
        if getattr(flt, name):
            parts.append(texts(f"filter.{name}", value=getattr(flt, name)))
    if flt.search and flt.search.strip():
        parts.append(texts("filter.search", value=flt.search.strip()))
    if not parts:
        parts.append(texts("filter.all"))
    if flt.sort != "finished_at":
        parts.append(texts("filter.sort", value=texts(f"filter.sort_{flt.sort}")))
    elif not flt.descending:
        parts.append(texts("filter.ascending"))
    return texts("filter.joiner").join(parts)


def write_export(db_file: Path, queue_filter: QueueFilter | None, *, scope: str, path: Path,
                 texts: NurseTexts) -> ExportResult:
    """Write the CSV from a read-only connection of its own (worker-safe; nothing audited)."""
    from kiosk.store import open_database

    flt = chosen_filter(queue_filter, scope, texts)
    try:
        with open_database(Path(db_file), read_only=True) as db:
            return _written(db, flt, scope, path, texts)
    except StoreError as error:
        raise ReviewError(str(error)) from None


def write_export_apart(db_file: Path, queue_filter: QueueFilter | None, *, scope: str, path: Path,
                       texts: NurseTexts, timeout: float = 600) -> ExportResult:
    """``write_export`` in a child process of its own (``python -m kiosk.review.export``);
    waits for it, so call it from a worker thread. Why a process: building and encoding
    100,000 rows is CPU-bound Python, and a thread doing it holds the GIL for up to ~100 ms
    at a time (a 30 MB string encoded in one call, the garbage collector and the freeing of
    100,000 row dicts), a stall the station's event loop would feel. The waiting thread holds
    no GIL. Same result, same refusals (ReviewError); nothing audited."""
    import json
    import subprocess
    import sys
    from dataclasses import asdict

    flt = chosen_filter(queue_filter, scope, texts)
    order = json.dumps({"db_file": str(db_file), "filter": asdict(flt), "scope": scope, "path": str(path),
                        "language": texts.language})
    done = subprocess.run([sys.executable, "-m", "kiosk.review.export"], input=order, capture_output=True,
                          text=True, timeout=timeout, cwd=Path(__file__).resolve().parents[2])
    answer = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}
    if done.returncode != 0 or "error" in answer:
        raise ReviewError(answer.get("error") or f"The export did not finish ({done.stderr.strip()[-300:]}).")
    return ExportResult(path=Path(answer["path"]), rows=answer["rows"], scope=scope, queue_filter=flt,
                        filter_text=answer["filter_text"])


def _child() -> None:
    """The child of ``write_export_apart``: an order as JSON on stdin, the result (or the
    refusal) as one JSON line on stdout."""
    import json
    import sys

    from kiosk.review.texts import load_texts

    order = json.loads(sys.stdin.read())
    try:
        result = write_export(Path(order["db_file"]), QueueFilter(**order["filter"]), scope=order["scope"],
                              path=Path(order["path"]), texts=load_texts(order["language"]))
    except ReviewError as error:
        print(json.dumps({"error": str(error)}))
        return
    print(json.dumps({"path": str(result.path), "rows": result.rows, "filter_text": result.filter_text}))


def record_export(ctx: ReviewContext, result: ExportResult) -> ExportResult:
    """The ``export_csv`` audit entry (with the scope and row count) on ``ctx.db``; the file is
    removed if it cannot be committed. Returns the result with its message."""
    through_store(record_queue_export, ctx.db, result.queue_filter, result.path, result.rows,
                  nurse=ctx.account.actor, detail={"scope": result.scope, "filter_text": result.filter_text})
    texts = ctx.texts
    rows = texts("message.export_rows_one") if result.rows == 1 else texts("message.export_rows_many",
                                                                           count=result.rows)
    return replace(result, message=texts("message.export_done", rows_text=rows, filter=result.filter_text,
                                         path=result.path))


def export_csv(ctx: ReviewContext, queue_filter: QueueFilter | None, *, scope: str,
               path: Path | None = None) -> ExportResult:
    """Export "all" consents or the "filtered" ones (``queue_filter``) to a new CSV (default
    ``export_path``), with MRN, identity checker, countersigner and void reason; audited.
    Runs on the calling thread and ``ctx.db`` (see the module's rule for a worker)."""
    flt = chosen_filter(queue_filter, scope, ctx.texts)
    path = Path(path) if path is not None else export_path(ctx)
    return record_export(ctx, through_store(_written, ctx.db, flt, scope, path, ctx.texts))


def _written(db, flt: QueueFilter, scope: str, path: Path, texts: NurseTexts) -> ExportResult:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    rows = write_queue_csv(db, flt, path, columns=EXPORT_COLUMNS)
    return ExportResult(path=path.absolute(), rows=rows, scope=scope, queue_filter=flt,
                        filter_text=describe_filter(texts, flt))


if __name__ == "__main__":
    _child()
