"""How fast the nurse station's queue answers with 100,000 consents. Target: each < 50 ms,
median and max (issue 11).

    uv run python bench/bench_queue.py [--db /tmp/bench-queue/kiosk.db] [--n 100000] [--runs 7]

Makes the database with bench/generate_consents.py if it is not there yet (about a
minute; ~2 GB with realistic 18 KiB records), then times, as the median of ``--runs``
runs, and the slowest run, what a nurse does: open the queue (count + first 50 rows), filter
(outcome + flag), search by name (one letter that starts many names and one that starts
few included), search by document id, and scroll to the end (the last 50 rows). Baseline
in the same run: ``select count(*) from consents``. Every run after the first finds the
database in the page cache, as on a station that is in use.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate_consents import generate  # noqa: E402
from kiosk.store import open_database  # noqa: E402
from kiosk.store.queue import QueueFilter, count_queue, query_queue  # noqa: E402

PAGE = 50


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench-queue/kiosk.db"))
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not args.db.exists():
        print(f"Generating {args.n} consents in {args.db} ...", flush=True)
        generate(args.db, args.n)
    db = open_database(args.db)
    total = count_queue(db, QueueFilter())
    some_id = query_queue(db, QueueFilter(), limit=1, offset=PAGE)[0]["document_id"]

    def open_queue(flt: QueueFilter) -> int:
        count = count_queue(db, flt)
        rows = query_queue(db, flt, limit=PAGE, offset=0)
        return min(count, len(rows))

    cases = {
        "baseline: select count(*)": lambda: db.execute("select count(*) from consents").fetchone()[0],
        "open the queue (count + 50)": lambda: open_queue(QueueFilter()),
        "filter: consented + needs doctor": lambda: open_queue(
            QueueFilter(outcome="consented", flag="needs_doctor")
        ),
        "search by name 'maría garc'": lambda: open_queue(QueueFilter(search="maría garc")),
        "search by name 'lopez'": lambda: open_queue(QueueFilter(search="lopez")),
        "search by name 'm' (many names)": lambda: open_queue(QueueFilter(search="m")),
        "search by name 'z' (few names)": lambda: open_queue(QueueFilter(search="z")),
        "search by document id (8 chars)": lambda: open_queue(QueueFilter(search=some_id[:8])),
        "scroll to the end (offset n-50)": lambda: len(
            query_queue(db, QueueFilter(), limit=PAGE, offset=total - PAGE)
        ),
        "filtered, scroll to the end": lambda: len(
            query_queue(
                db, QueueFilter(outcome="consented", flag="needs_doctor"), limit=PAGE,
                offset=count_queue(db, QueueFilter(outcome="consented", flag="needs_doctor")) - PAGE,
            )
        ),  # fmt: skip
    }
    print(f"{total} consents in {args.db}; median and max of {args.runs} runs")
    print(f"{'':36} {'median':>8}    {'max':>8}")
    for name, case in cases.items():
        found = case()  # warm-up, and a check that the case finds something
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            case()
            times.append(time.perf_counter() - started)
        ms, worst = statistics.median(times) * 1000, max(times) * 1000
        verdict = "" if name.startswith("baseline") else ("  ok" if worst < 50 else "  SLOW")
        print(f"{name:36} {ms:8.1f} ms {worst:8.1f} ms  (found {found}){verdict}")
    db.close()


if __name__ == "__main__":
    main()
