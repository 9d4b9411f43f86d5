"""How fast the central PostgreSQL queue answers at 1,000,000 consents. Target: a page and a
search each under 100 ms (issue 14).

    uv run python bench/bench_central.py [--n 1000000] [--runs 7] [--dsn postgresql://...]

Without ``--dsn`` it starts a private PostgreSQL 15 cluster (tests/central/pg.py) and
removes it afterwards; with one it uses (and first empties!) that database. Generates the
consents in SQL (``INSERT ... SELECT generate_series``: 10 kiosks, a minute apart, 20 first
names x 40 surnames with accents, real SHA-256 of a small PDF each), then prints, per query,
the median and the slowest of ``--runs`` runs after a warm-up: a nurse station's first page,
a deep page, one kiosk, and searches that match many, few, one or no consents.
tests/central/test_queue_speed.py runs the same at 100,000.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg  # noqa: E402

from kiosk.central.queue import list_queue  # noqa: E402
from kiosk.central.schema import migrate  # noqa: E402

FIRST = ["Margaret", "Hans", "José", "Zoë", "Amal", "Ben", "Chiara", "Łukasz", "Søren", "Ana",
         "Fatima", "Wei", "Olga", "Kwame", "Ingrid", "Mehmet", "Aoife", "Ravi", "Lucía", "Yusuf"]
LAST = ["Müller", "O'Brien", "López", "Mullins", "Haddad", "Okafor", "Rossi", "Kowalski", "Nielsen",
        "Silva", "Dubois", "Nováková", "Çelik", "Ó Súilleabháin", "Schäfer", "García", "Andersson",
        "Papadopoulos", "Nguyen", "Kaya", "Smith", "Jones", "Brown", "Taylor", "Wilson", "Evans",
        "Thomas", "Roberts", "Walker", "Wright", "Hughes", "Green", "Hall", "Wood", "Clarke",
        "Jackson", "Turner", "White", "Harris", "Martin"]

# (what a nurse does, list_queue arguments, rows expected or None)
QUERIES = [
    ("first page", {}, 50),
    ("page 100", {"offset": 4950}, 50),
    ("one kiosk", {"kiosk_id": "kiosk-7"}, 50),
    ("common surname 'muller'", {"search": "muller"}, 50),
    ("first name 'marg'", {"search": "marg"}, 50),
    ("two words 'jose lopez'", {"search": "jose lopez"}, 50),
    ("one person 'ana lopez 17'", {"search": "ana lopez 17"}, None),
    ("part of a document id", {"search": "c4ca4238"}, 1),
    ("two letters 'mu'", {"search": "mu"}, 50),
    ("nobody 'zzqx'", {"search": "zzqx"}, 0),
]


def generate(conn: psycopg.Connection, count: int, kiosks: int = 10) -> None:
    """`count` consents from `kiosks` kiosks into a migrated, empty central database."""
    conn.execute("INSERT INTO kiosks (id) SELECT 'kiosk-' || k FROM generate_series(1, %s) k", [kiosks])
    conn.execute(
        """
        INSERT INTO consents (document_id, kiosk_id, started_at, finished_at, saved_at, outcome,
                              patient_name, patient_dob, signer_name, pdf, pdf_sha256, pdf_size,
                              record, flags)
        SELECT md5(i::text)::uuid, 'kiosk-' || (i %% %(kiosks)s + 1),
               t - interval '14 minutes', t, t, 'consented', name, dob, name, pdf,
               encode(sha256(pdf), 'hex'), length(pdf), '{"schema": 1}', '[]'
        FROM (SELECT i, timestamptz '2026-01-01 00:00+00' + i * interval '1 minute' AS t,
                     (%(first)s::text[])[i %% 20 + 1] || ' ' || (%(last)s::text[])[(i / 20) %% 40 + 1]
                         || ' ' || (i %% 997) AS name,
                     (date '1930-01-01' + (i %% 20000))::text AS dob,
                     convert_to('%%PDF-1.7 consent ' || i, 'UTF8') AS pdf
              FROM generate_series(1, %(count)s) i) g
        """,
        {"count": count, "kiosks": kiosks, "first": FIRST, "last": LAST},
    )
    conn.execute("ANALYZE consents")
    conn.commit()


def timed(conn: psycopg.Connection, runs: int, **query) -> tuple[float, float, list[dict]]:
    """(median ms, slowest ms, rows) of `runs` runs after one warm-up."""
    list_queue(conn, **query)
    times, rows = [], []
    for _ in range(runs):
        started = time.perf_counter()
        rows = list_queue(conn, **query)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times), rows


def run(dsn: str, n: int, runs: int) -> None:
    with psycopg.connect(dsn) as conn:
        conn.execute("DROP TABLE IF EXISTS review_events, consents, kiosks, central_schema CASCADE")
        conn.execute("DROP FUNCTION IF EXISTS kiosk_fold(text)")
        conn.commit()
        migrate(conn)
        started = time.perf_counter()
        generate(conn, n)
        print(f"{n:,} consents generated in {time.perf_counter() - started:.1f} s", flush=True)
        print(f"{'query':32} {'median':>9} {'slowest':>9}  rows")
        for name, query, _ in QUERIES:
            median, slowest, rows = timed(conn, runs, **query)
            print(f"{name:32} {median:6.1f} ms {slowest:6.1f} ms  {len(rows)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dsn")
    args = parser.parse_args()
    if args.dsn:
        run(args.dsn, args.n, args.runs)
        return
    from tests.central.pg import PostgresCluster

    cluster = PostgresCluster().start()
    try:
        run(cluster.dsn(), args.n, args.runs)
    finally:
        cluster.remove()


if __name__ == "__main__":
    main()
