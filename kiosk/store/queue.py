"""The nurse station's queue of consents: filter, sort, search, page; its dashboard
figures; and the CSV export.

Fast with 100,000 consents (bench/bench_queue.py): each filter and sort has an index
(migration m002) that also holds the queue's order and the other filters, so a count or a
page comes off one index, without sorting and without reading the rows (~18 KB each) -
only the 50 rows shown are read. Names are searched through the FTS5 table
``consents_fts``, whose matches are found as rowids and put in the queue's order by
``consents_fts_queue`` (m003): one letter among 100,000 names takes a few milliseconds,
and a page near the end is read from the end. "Time" is when the session finished, or started if it never finished
(abandoned).

Threading: call from the thread that opened the database. Reads take a few milliseconds
(see the bench); ``export_queue_csv`` of 100,000 rows took 3 s (the whole archive: the
nurse station should show that it is busy).
Durability: the CSV is written with ``write_file_durably`` and audited (``export_csv``);
if the audit entry cannot be committed, the file is removed again.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from contextlib import suppress
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from pathlib import Path

import sqlite_utils

from kiosk.store.audit import append_entry
from kiosk.store.consents import OUTCOMES
from kiosk.store.database import QUEUE_TIME, StoreError
from kiosk.store.files import explain_write_failure, remove_file_durably, write_file_durably
from kiosk.store.review import REVIEW_STATES
from kiosk.store.transactions import reading, write_transaction

FLAGS = {"needs_doctor": "needs_doctor_count > 0", "help": "help_requested = 1"}
# Sort keys, as written in the queue indexes (m002) so that SQLite uses them.
SORTS = {
    "finished_at": QUEUE_TIME,
    "patient_name": "patient_name COLLATE NOCASE",
    "outcome": "outcome",
    "review_state": "review_state",
}
QUEUE_COLUMNS = (
    "document_id", "finished_at", "started_at", "outcome", "patient_name", "patient_dob",
    "needs_doctor_count", "help_requested", "review_state", "void", "pdf_path",
    "countersigned_pdf_path", "flags",
)  # fmt: skip
# The CSV export adds what a ward needs to follow a consent up (issue 11): the MRN and who
# checked it, the countersigner, and why and by whom it was voided. Nurses are written by name.
EXPORT_COLUMNS = QUEUE_COLUMNS + (
    "mrn", "identity_checked_by", "identity_checked_at", "countersigned_by", "countersigned_role",
    "countersigned_at", "void_reason", "voided_by", "voided_at",
)  # fmt: skip
_NURSE_COLUMNS = ("identity_checked_by", "voided_by")  # "nurse:<id>" -> the account's name
# A document id is typed as its first few characters at least (a UUID is 36).
_ID_PREFIX = re.compile(r"[0-9a-f-]{4,36}")
_FETCH = 500  # rows fetched per query, well under SQLite's limit on parameters


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows. Every field None means everything, newest first.

    ``flag``: "needs_doctor" (a question answered wrong twice) or "help" (pressed "Call a
    nurse"). ``date_from``/``date_to``: "YYYY-MM-DD", inclusive, on the session's date
    (finished, else started, in the kiosk's time zone). ``search``: words that start
    words of the patient's name, ignoring case and accents, or the start of a document
    id. ``sort``: finished_at, patient_name, outcome or review_state; when sorting on a
    column, equal values keep the newest first.
    """

    outcome: str | None = None
    flag: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    review_state: str | None = None
    search: str | None = None
    sort: str = "finished_at"
    descending: bool = True

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("outcome", self.outcome, OUTCOMES),
            ("flag", self.flag, tuple(FLAGS)),
            ("review_state", self.review_state, REVIEW_STATES),
        ):
            if value is not None and value not in allowed:
                raise ValueError(f"{name} must be one of {allowed} or None, not {value!r}")
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {tuple(SORTS)}, not {self.sort!r}")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except (TypeError, ValueError):
                    raise ValueError(f"{name} must be YYYY-MM-DD, not {value!r}") from None


def query_queue(
    db: sqlite_utils.Database, flt: QueueFilter, *, limit: int, offset: int
) -> list[dict]:
    """One page of the queue: dicts with the keys in ``QUEUE_COLUMNS`` (``flags`` a list).

    Example::

        query_queue(db, QueueFilter(outcome="consented", flag="help"), limit=50, offset=0)
    """
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must not be negative")
    return _rows(db, flt, limit, offset)


def count_queue(db: sqlite_utils.Database, flt: QueueFilter) -> int:
    """How many consents the filter keeps (the sort does not matter)."""
    names = _name_query(flt.search) if flt.search is not None else None
    with reading(db):
        if names is not None and _only_a_name_search(flt):
            # The name index alone: it holds one row per consent (its triggers see to that),
            # so this is the same number without reading a document id per match.
            return _name_matches(db, names)
        filtered, params = _filter_sql(flt)
        return db.conn.execute(f"SELECT count(*) FROM consents{filtered}", params).fetchone()[0]


def open_help_requests(db: sqlite_utils.Database) -> list[dict]:
    """Calls for a nurse nobody has acknowledged yet, newest first: ``{"id", "session_id",
    "at", "step_id", "patient_name"}`` (the name is None until the consent is saved)."""
    with reading(db):
        return list(
            db.query(
                "SELECT h.id, h.session_id, h.at, h.step_id, c.patient_name"
                " FROM help_requests h LEFT JOIN consents c ON c.document_id = h.session_id"
                " WHERE h.acknowledged_at IS NULL ORDER BY h.at DESC, h.id DESC"
            )
        )


def sessions_per_day(
    db: sqlite_utils.Database, *, days: int = 14, today: date
) -> list[tuple[str, str, int]]:
    """(day, outcome, count) for each of the ``days`` days up to ``today`` and each outcome,
    zeros included, oldest day first, outcomes in the order of ``OUTCOMES``."""
    if days < 1:
        raise ValueError("days must be at least 1")
    first = today - timedelta(days=days - 1)
    with reading(db):
        found = {
            (day, outcome): count
            for day, outcome, count in db.conn.execute(
                f"SELECT substr({QUEUE_TIME}, 1, 10) AS day, outcome, count(*) FROM consents"
                f" WHERE {QUEUE_TIME} >= ? AND {QUEUE_TIME} < ? GROUP BY day, outcome",
                [first.isoformat(), (today + timedelta(days=1)).isoformat()],
            )
        }
    return [
        (day, outcome, found.get((day, outcome), 0))
        for day in ((first + timedelta(days=n)).isoformat() for n in range(days))
        for outcome in OUTCOMES
    ]


def missed_first_time(db: sqlite_utils.Database) -> list[tuple[str, int, int]]:
    """(question_id, missed on the first try, answered) per question, the most often
    missed (as a share of answers) first."""
    with reading(db):
        rows = db.conn.execute(
            "SELECT question_id, total(first_try_correct = 0), count(first_try_correct)"
            " FROM answers WHERE question_id IS NOT NULL GROUP BY question_id"
        ).fetchall()
    result = [(question, int(missed), answered) for question, missed, answered in rows]
    return sorted(result, key=lambda r: (-(r[1] / r[2]) if r[2] else 0.0, r[0]))


def export_queue_csv(
    db: sqlite_utils.Database,
    flt: QueueFilter,
    path: Path,
    *,
    nurse: str,
    columns: tuple[str, ...] = QUEUE_COLUMNS,
    detail: dict | None = None,
) -> int:
    """Write every consent the filter keeps to a new CSV file; audited as ``export_csv``.

    UTF-8 with a byte-order mark (so Excel reads accents), a header row, ``columns`` (the
    queue's, or ``EXPORT_COLUMNS``; ``flags`` joined with "; ", nurses by name). Cells that a
    spreadsheet would run as a formula get a leading apostrophe. Never overwrites: an
    existing ``path`` is refused. Returns the number of consents written. ``detail`` adds to
    the audit entry's detail (e.g. the scope chosen). ``write_queue_csv`` and
    ``record_queue_export`` are its two halves, for a caller that writes on a worker with
    its own connection and audits on the connection of its own thread.
    """
    if not isinstance(nurse, str) or not nurse.strip():
        raise StoreError("The export was not written: no nurse was given.")
    rows = write_queue_csv(db, flt, path, columns=columns)
    record_queue_export(db, flt, path, rows, nurse=nurse, detail=detail)
    return rows


def write_queue_csv(
    db: sqlite_utils.Database, flt: QueueFilter, path: Path, *, columns: tuple[str, ...] = QUEUE_COLUMNS
) -> int:
    """Only the file of ``export_queue_csv`` (nothing audited); the number of rows. Reads
    ``db`` only, so it may be a read-only connection opened by a worker thread."""
    unknown = [c for c in columns if c not in EXPORT_COLUMNS]
    if unknown:
        raise ValueError(f"unknown export columns: {', '.join(unknown)}")
    path = Path(path).absolute()
    rows = _rows(db, flt, -1, 0, columns=tuple(dict.fromkeys(QUEUE_COLUMNS + tuple(columns))))
    data = _csv_bytes(rows, columns, _names(db) if set(columns) & set(_NURSE_COLUMNS) else {})
    try:
        write_file_durably(path, data)
    except FileExistsError:
        raise StoreError(f"{path} already exists; nothing was exported. Choose another name.") from None
    except OSError as exc:
        raise StoreError(explain_write_failure("the export folder", path.parent, exc)) from exc
    return len(rows)


def record_queue_export(
    db: sqlite_utils.Database, flt: QueueFilter, path: Path, rows: int, *, nurse: str,
    detail: dict | None = None,
) -> None:
    """The ``export_csv`` audit entry of a file ``write_queue_csv`` wrote; if it cannot be
    committed, the file is removed again (an export nobody can account for must not stay)."""
    path = Path(path).absolute()
    chosen = {k: v for k, v in asdict(flt).items() if v != _DEFAULT_FILTER[k]}
    try:
        if not isinstance(nurse, str) or not nurse.strip():
            raise StoreError("The export was not written: no nurse was given.")
        with write_transaction(db, "the export was not recorded, so its file was removed"):
            append_entry(
                db, actor=nurse, action="export_csv",
                detail={**(detail or {}), "file": str(path), "rows": rows, "filter": chosen},
            )  # fmt: skip
    except BaseException:
        with suppress(OSError):  # the error that got us here is the one to report
            remove_file_durably(path)
        raise


def _names(db: sqlite_utils.Database) -> dict[str, str]:
    from kiosk.store.nurses import actor_names

    return actor_names(db)


_DEFAULT_FILTER = {f.name: f.default for f in fields(QueueFilter)}


def _rows(
    db: sqlite_utils.Database, flt: QueueFilter, limit: int, offset: int,
    columns: tuple[str, ...] = QUEUE_COLUMNS,
) -> list[dict]:
    """First the page's document ids, from the indexes alone; then just those rows. (One
    query would make SQLite read every matching row - each ~18 KB - to sort a search.)"""
    with reading(db):
        ids = _page_ids(db, flt, limit, offset)
        found = {}
        for start in range(0, len(ids), _FETCH):
            chunk = ids[start : start + _FETCH]
            found.update(
                (row[0], row)
                for row in db.conn.execute(
                    f"SELECT {', '.join(columns)} FROM consents"
                    f" WHERE document_id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )
    rows = [dict(zip(columns, found[i])) for i in ids if i in found]
    for row in rows:
        row["flags"] = json.loads(row["flags"])
    return rows


_FROM_THE_END_AFTER = 1_000  # a page further down may be read from the end


def _page_ids(db: sqlite_utils.Database, flt: QueueFilter, limit: int, offset: int) -> list[str]:
    """The page's document ids in the queue's order, read from indexes only.

    A page nearer the end is read from the end, in the reversed order: SQLite steps over
    every entry it skips, so the last page of 100,000 took 6-18 ms. The order is total
    (document ids are unique), so reversed it gives the same rows. Count and page are read
    in one snapshot, so a consent saved meanwhile cannot shift the page."""
    if limit <= 0 or offset < _FROM_THE_END_AFTER or db.conn.in_transaction:
        return _ordered_ids(db, flt, limit, offset, reverse=False)
    db.conn.execute("BEGIN")  # only reads: one snapshot for the count and the page
    try:
        total = count_queue(db, flt)
        end = min(offset + limit, total)
        if end <= offset:
            return []
        if offset <= total - end:
            return _ordered_ids(db, flt, limit, offset, reverse=False)
        return _ordered_ids(db, flt, end - offset, total - end, reverse=True)[::-1]
    finally:
        db.conn.execute("COMMIT")


def _ordered_ids(
    db: sqlite_utils.Database, flt: QueueFilter, limit: int, offset: int, *, reverse: bool
) -> list[str]:
    """``limit`` document ids from ``offset`` in the queue's order (or its exact reverse)."""
    def way(descending: bool) -> str:
        return "DESC" if descending != reverse else "ASC"

    direction = way(flt.descending)
    walk = _walk_the_order(db, flt, limit, offset)
    names = _name_query(flt.search) if flt.search is not None else None
    if names is not None and flt.sort == "finished_at" and _only_a_name_search(flt):
        # Names alone, newest (or oldest) first: consents_fts_queue (m003) holds the queue's
        # order beside each match's rowid, so no consents index is needed.
        sql = (
            f"SELECT document_id FROM consents_fts_queue WHERE {'+' * walk}fts_rowid IN"
            f" ({_NAME_ROWIDS}) ORDER BY queue_time {direction}, document_id {direction}"
        )
        params = [names]
    else:
        if flt.sort == "finished_at":
            order = f"{QUEUE_TIME} {direction}, document_id {direction}"
        else:  # equal values: newest first, whichever way the column is sorted
            order = f"{SORTS[flt.sort]} {direction}, {QUEUE_TIME} {way(True)}, document_id {way(True)}"
        filtered, params = _filter_sql(flt, walk=walk)
        sql = f"SELECT document_id FROM consents{filtered} ORDER BY {order}"
    return [d for (d,) in db.conn.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset])]


def _filter_sql(flt: QueueFilter, *, walk: bool = False) -> tuple[str, list]:
    """What follows ``FROM consents`` (with a leading space, or empty) and its parameters.
    Each term is written exactly as in its index (m002), so that SQLite uses the index.
    ``walk`` (see ``_walk_the_order``): a search only filters while SQLite walks the index
    in the queue's order and stops after the page, instead of sorting every match."""
    terms, params = [], []
    for column in ("outcome", "review_state"):
        if getattr(flt, column) is not None:
            # With a flag, its partial index (a fifth of the rows or fewer) holds the outcome
            # too; without statistics SQLite would walk the outcome's (70% of the rows).
            terms.append(f"{'+' * (column == 'outcome' and flt.flag is not None)}{column} = ?")
            params.append(getattr(flt, column))
    if flt.flag is not None:
        terms.append(FLAGS[flt.flag])
    if flt.date_from is not None:
        terms.append(f"{QUEUE_TIME} >= ?")
        params.append(date.fromisoformat(flt.date_from).isoformat())
    if flt.date_to is not None:
        terms.append(f"{QUEUE_TIME} < ?")  # before the next day: times carry a clock time
        params.append((date.fromisoformat(flt.date_to) + timedelta(days=1)).isoformat())
    index = ""
    if flt.search is not None and flt.search.strip():
        term, search_params = _search_term(flt.search)
        terms.append(f"+{term}" if walk else term)  # "+": not an index key, only a test
        params.extend(search_params)
        # Without statistics SQLite would look the found ids up in the primary key's index
        # and read every row (~18 KB each) to sort them; this index has all it needs.
        index = "" if walk else " INDEXED BY consents_queue_by_id"
    return (f"{index} WHERE {' AND '.join(terms)}" if terms else ""), params


def _search_term(search: str) -> tuple[str, list]:
    """Name words as FTS5 prefix queries on patient_name (each quoted: typed text is never
    FTS5 syntax), or the start of a document id (a range on its primary key)."""
    queries, params = [], []
    names = _name_query(search)
    if names is not None:
        queries.append(f"SELECT document_id FROM consents_fts_queue WHERE fts_rowid IN ({_NAME_ROWIDS})")
        params.append(names)
    prefix = _id_prefix(search)
    if prefix is not None:
        queries.append("SELECT document_id FROM consents WHERE document_id >= ? AND document_id < ?")
        params.extend([prefix, prefix + "\uffff"])
    if not queries:
        return "0", []  # nothing searchable was typed (only punctuation): nothing matches
    return f"document_id IN ({' UNION ALL '.join(queries)})", params


# The name index's rows that match (integers: reading a document id per match cost ~1 us).
_NAME_ROWIDS = "SELECT rowid FROM consents_fts WHERE consents_fts MATCH ?"


def _name_query(search: str) -> str | None:
    """The FTS5 query for the name words typed (None if no word was typed)."""
    words = re.findall(r"\w+", unicodedata.normalize("NFC", search).strip())
    return " AND ".join(f'patient_name : "{word}"*' for word in words) if words else None


def _id_prefix(search: str) -> str | None:
    """The start of a document id typed, lower case (None if it cannot be one)."""
    prefix = unicodedata.normalize("NFC", search).strip().lower()
    return prefix if _ID_PREFIX.fullmatch(prefix) else None


def _name_matches(db: sqlite_utils.Database, names: str) -> int:
    return db.conn.execute(
        "SELECT count(*) FROM consents_fts WHERE consents_fts MATCH ?", [names]
    ).fetchone()[0]


def _only_a_name_search(flt: QueueFilter) -> bool:
    """True when the filter is a search of names alone (no other filter, no document id)."""
    others = (flt.outcome, flt.flag, flt.date_from, flt.date_to, flt.review_state)
    return all(v is None for v in others) and _id_prefix(flt.search or "") is None


def _walk_the_order(db: sqlite_utils.Database, flt: QueueFilter, limit: int, offset: int) -> bool:
    """Whether a search's page is found faster by walking an index in the queue's order
    (each entry tested against the matches) and stopping after the page, than by looking
    up every match and sorting them all.

    Walking reads about (offset + limit) * total / matches entries (~0.05 us each); looking
    up costs ~0.4 us per match, and more to sort. So walk while the walk is short next to
    the matches: the letter "m" (a fifth of all names) walks a few hundred entries;
    "maría garc" (a few hundred matches) and the last page of a search look up and sort.
    Only the speed depends on this, never the rows.
    """
    if limit < 0 or flt.search is None or _id_prefix(flt.search) is not None:
        return False
    names = _name_query(flt.search)
    if names is None:
        return False
    matches = _name_matches(db, names)
    total = db.conn.execute("SELECT count(*) FROM consents").fetchone()[0]
    return matches > 0 and (offset + limit) * total <= 5 * matches * matches


def _csv_bytes(rows: list[dict], columns: tuple[str, ...], names: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        cells = {**row, "flags": "; ".join(row["flags"])}
        for column in _NURSE_COLUMNS:
            if cells.get(column):
                cells[column] = names.get(cells[column], cells[column])
        writer.writerow([_spreadsheet_safe(cells[c]) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula (=, +, -, @ first) gets an apostrophe:
    patient names are typed by the public."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def data_version(db: sqlite_utils.Database) -> int:
    """SQLite's ``PRAGMA data_version`` on ``db``'s own connection: a number that changes
    whenever ANOTHER connection (any process) has committed to the database since it was
    last read; this connection's own commits leave it alone. Costs microseconds (no table
    is read), so a running nurse station can poll it every second or two and re-read the
    queue only when it changes."""
    with reading(db):
        return db.conn.execute("PRAGMA data_version").fetchone()[0]
