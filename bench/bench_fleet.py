"""Ten kiosks, one central PostgreSQL, three nurse stations searching: nothing lost, nothing
twice, and how long the nurses wait (issue 14).

    uv run python bench/bench_fleet.py [--kiosks 10] [--consents 1000] [--stations 3]

Starts a private PostgreSQL 15 cluster (tests/central/pg.py) and, as separate processes:
KIOSKS simulated kiosks, each with its own data folder, storing CONSENTS consents with the
kiosk's own `archive_consent` (a small PDF each, fsynced, its SQLite row and outbox entry in
one transaction) while its real `OutboxSender` thread delivers them to the real
`CentralTarget`; and STATIONS nurse stations running the central queue's first page and
searches (`kiosk.central.queue.list_queue`) without pause until every kiosk has drained its
outbox. Then it compares every kiosk's SQLite with the central database: every consent
there once (0 lost, 0 duplicated), with the same PDF SHA-256, and each kiosk's consents in
the order it stored them. Prints a table for the README.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEARCHES = ["", "patient", "kiosk-3", "0042", "marg", "obrien", "zzqx", "kiosk-7 01"]


def kiosk_process(dsn: str, kiosk_id: str, folder: str, count: int, go_file: str) -> None:
    """One kiosk: store `count` consents while the outbox sender delivers them."""
    from kiosk.central.target import CentralTarget
    from kiosk.outbox.sender import OutboxSender
    from kiosk.store import archive_consent, open_database
    from kiosk.store import outbox as store
    from tests.store.records import PDF, consent_record

    data = Path(folder)
    db = open_database(data / "kiosk.db")
    sender = OutboxSender(lambda: open_database(data / "kiosk.db"), [CentralTarget(dsn, kiosk_id=kiosk_id)],
                          kiosk_id=kiosk_id, round_seconds=0.1)
    while not Path(go_file).exists():
        time.sleep(0.01)
    sender.start()
    started = time.perf_counter()
    saves = []
    for n in range(count):
        name = f"Patient {kiosk_id} {n:04d}"
        record = consent_record(patient={"full_name": name, "date_of_birth": "1948-03-07"})
        record["signature"]["signer_name"] = name
        t0 = time.perf_counter()
        archive_consent(db, data / "consents", record, PDF + record["document_id"].encode())
        saves.append(time.perf_counter() - t0)
        if n % 20 == 0:
            sender.wake()
    stored = time.perf_counter() - started
    while store.head(db, "central") is not None:
        sender.wake()
        time.sleep(0.05)
    drained = time.perf_counter() - started
    sender.stop()
    order = [row[0] for row in db.execute("SELECT document_id FROM consents ORDER BY rowid")]
    shas = dict(db.execute("SELECT document_id, pdf_sha256 FROM consents").fetchall())
    db.close()
    print(json.dumps({"kiosk": kiosk_id, "stored_s": stored, "drained_s": drained, "order": order, "shas": shas,
                      "save_p50_ms": statistics.median(saves) * 1000,
                      "save_p95_ms": sorted(saves)[int(len(saves) * 0.95)] * 1000}))


def station_process(dsn: str, stop_file: str, seed: int) -> None:
    """One nurse station: the queue's first page or a search, again and again, timed."""
    import psycopg

    from kiosk.central.queue import list_queue

    rng = random.Random(seed)
    times = []
    with psycopg.connect(dsn) as conn:
        while not Path(stop_file).exists():
            search = rng.choice(SEARCHES) or None
            t0 = time.perf_counter()
            list_queue(conn, search=search, limit=50, offset=rng.choice([0, 0, 0, 50, 500]))
            times.append(time.perf_counter() - t0)
            conn.rollback()
    times.sort()
    print(json.dumps({"queries": len(times), "p50_ms": statistics.median(times) * 1000,
                      "p95_ms": times[int(len(times) * 0.95)] * 1000, "max_ms": times[-1] * 1000}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosks", type=int, default=10)
    parser.add_argument("--consents", type=int, default=1000)
    parser.add_argument("--stations", type=int, default=3)
    args = parser.parse_args()
    import psycopg

    from kiosk.central.schema import migrate
    from tests.central.pg import PostgresCluster

    cluster = PostgresCluster()
    cluster.start()
    work = Path(tempfile.mkdtemp(prefix="kiosk-fleet-"))
    try:
        dsn = cluster.dsn()
        with psycopg.connect(dsn) as conn:
            migrate(conn)
        go, stop = work / "go", work / "stop"
        me = [sys.executable, str(Path(__file__).resolve())]
        kiosks = []
        for k in range(1, args.kiosks + 1):
            folder = work / f"kiosk-{k}"
            folder.mkdir()
            kiosks.append(subprocess.Popen([*me, "--kiosk", dsn, f"kiosk-{k}", str(folder), str(args.consents), str(go)],
                                           stdout=subprocess.PIPE, text=True, cwd=ROOT))
        stations = [subprocess.Popen([*me, "--station", dsn, str(stop), str(s)], stdout=subprocess.PIPE, text=True,
                                     cwd=ROOT) for s in range(args.stations)]
        time.sleep(1.0)
        started = time.perf_counter()
        go.touch()
        results = [json.loads(k.communicate(timeout=3600)[0].strip().splitlines()[-1]) for k in kiosks]
        elapsed = time.perf_counter() - started
        stop.touch()
        searches = [json.loads(s.communicate(timeout=60)[0].strip().splitlines()[-1]) for s in stations]
        with psycopg.connect(dsn) as conn:
            rows = conn.execute("SELECT document_id::text, kiosk_id, pdf_sha256 FROM consents").fetchall()
            arrival = conn.execute("SELECT kiosk_id, document_id::text FROM consents ORDER BY received_at, "
                                   "document_id").fetchall()
        central = {}
        duplicated = len(rows) - len({r[0] for r in rows})
        for document_id, kiosk_id, sha in rows:
            central[document_id] = (kiosk_id, sha)
        lost = wrong_sha = out_of_order = 0
        for result in results:
            for document_id, sha in result["shas"].items():
                if document_id not in central:
                    lost += 1
                elif central[document_id] != (result["kiosk"], sha):
                    wrong_sha += 1
            arrived = [d for kiosk_id, d in arrival if kiosk_id == result["kiosk"]]
            out_of_order += sum(1 for a, b in zip(arrived, result["order"]) if a != b)
        total = args.kiosks * args.consents
        print(f"| kiosks x consents | {args.kiosks} x {args.consents} = {total} |")
        print(f"| in the central database | {len(rows)} (lost {lost}, duplicated {duplicated}, "
              f"SHA-256 or kiosk wrong {wrong_sha}, out of order {out_of_order}) |")
        print(f"| all stored and delivered | {elapsed:.1f} s ({total / elapsed:.0f} consents/s) |")
        print(f"| a kiosk's save (archive_consent), median / p95 | "
              f"{statistics.median(r['save_p50_ms'] for r in results):.1f} / "
              f"{max(r['save_p95_ms'] for r in results):.1f} ms |")
        print(f"| outbox drained after the last save, slowest kiosk | "
              f"{max(r['drained_s'] - r['stored_s'] for r in results):.2f} s |")
        queries = sum(s["queries"] for s in searches)
        print(f"| nurse stations' queries meanwhile | {queries}: median "
              f"{statistics.median(s['p50_ms'] for s in searches):.1f} ms, p95 {max(s['p95_ms'] for s in searches):.1f}"
              f" ms, slowest {max(s['max_ms'] for s in searches):.1f} ms |")
        if lost or duplicated or wrong_sha or out_of_order:
            sys.exit(1)
    finally:
        cluster.remove()
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--kiosk":
        kiosk_process(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
    elif len(sys.argv) > 1 and sys.argv[1] == "--station":
        station_process(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
