"""Two kiosk processes (separate OS processes, each with its own SQLite database and outbox)
delivering to one central database at the same moment, each twice over; then two nurse
stations on that database (each its own SQLite for accounts and its own connection) both see
every consent of both kiosks."""

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from kiosk.central.queue import list_queue
from kiosk.central.schema import migrate

ROOT = Path(__file__).resolve().parents[2]
PER_KIOSK = 15


def test_two_kiosk_processes_deliver_everything_once(dsn, tmp_path):
    go = tmp_path / "go"
    kiosks = ["ward-3", "ward-5"]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.central.items", dsn, kiosk_id, str(tmp_path / kiosk_id),
             str(PER_KIOSK), str(go)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        for kiosk_id in kiosks
    ]
    try:
        deadline = time.monotonic() + 60
        while not all((tmp_path / k / "ready").exists() for k in kiosks) and time.monotonic() < deadline:
            assert all(p.poll() is None for p in processes), "a kiosk process ended early"
            time.sleep(0.01)
        go.touch()  # both have stored their consents: deliver at the same moment
        results = [p.communicate(timeout=60) for p in processes]
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
    for p, (out, err) in zip(processes, results):
        assert p.returncode == 0, err
        assert out.strip() == str(PER_KIOSK)

    with psycopg.connect(dsn) as conn:
        migrate(conn)
        per_kiosk = dict(conn.execute("SELECT kiosk_id, count(*) FROM consents GROUP BY kiosk_id").fetchall())
        assert per_kiosk == {"ward-3": PER_KIOSK, "ward-5": PER_KIOSK}
        names = {r["patient_name"] for r in list_queue(conn, limit=100)}
        assert names == {f"Patient {k} {n:03d}" for k in kiosks for n in range(PER_KIOSK)}
        assert conn.execute("SELECT count(*) FROM consents WHERE pdf_sha256 = encode(sha256(pdf), 'hex')"
                            ).fetchone()[0] == 2 * PER_KIOSK
        assert sorted(r[0] for r in conn.execute("SELECT id FROM kiosks")) == kiosks

    from kiosk.review import queue as review_queue
    from kiosk.store.queue import QueueFilter
    from tests.central.test_station_setup import Station

    stations = [Station(tmp_path / name, dsn, f"station:{name}", nurse)
                for name, nurse in (("desk-a", "Nora Nurse"), ("desk-b", "Ben Ode"))]
    try:
        for station in stations:
            rows = review_queue.queue_rows(station.ctx, QueueFilter(), limit=100, offset=0)
            assert {(r.patient_name, r.kiosk_id) for r in rows} == {
                (f"Patient {k} {n:03d}", k) for k in kiosks for n in range(PER_KIOSK)}
            assert review_queue.queue_count(station.ctx, QueueFilter()) == 2 * PER_KIOSK
    finally:
        for station in stations:
            station.close()
