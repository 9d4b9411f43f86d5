"""The longest event-loop stall at the nurse station while it prints a consent to the real CUPS
queue "PDF" (a valid one, and a voided one, stamped VOID on the worker) and while it exports
100,000 consents to CSV, against the idle station in the same run. Target: under 50 ms each.

The probe is a 5 ms precise QTimer on the UI thread (bench/stalls.py). The station is the real
one, offscreen at 1920x1080, driven with taps: Print (the printer list read on the worker),
then "Print chart and patient copies" until its message shows; "Export all" until its message
shows. Printing uses a data folder of two real sealed consents made for the run; the export
uses a database of 100,000 consents made by bench/generate_consents.py (DB, default
/tmp/bench-nurse/kiosk.db: made if missing; written to, an audit entry per export, so never
another bench's database).

    uv run python bench/bench_nurse_stall.py [--prints 5] [--exports 3] [--db /tmp/bench-nurse/kiosk.db]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _station(data_dir: Path, db):
    from kiosk.content import load_pack
    from kiosk.settings import Settings
    from kiosk.ui.nurse.station import NurseStation

    station = NurseStation(settings=Settings(hospital_name="St Elsewhere Hospital", time_zone="UTC"),
                           data_dir=data_dir, db=db, pdf_labels=load_pack("en").pdf_labels, idle_seconds=3600)
    station.resize(1920, 1080)
    station.show()
    return station


def _wait(condition, timeout_ms: int = 60_000) -> None:
    from PySide6.QtCore import QElapsedTimer
    from PySide6.QtTest import QTest

    clock = QElapsedTimer()
    clock.start()
    while not condition():
        if clock.elapsed() > timeout_ms:
            raise TimeoutError("the station did not finish in time")
        QTest.qWait(1)


def _idle(probe, ms: int = 1000) -> float:
    from PySide6.QtTest import QTest

    probe.start()
    QTest.qWait(ms)
    return probe.stop()


def _consents(data_dir: Path, db) -> list[str]:
    from kiosk.content import load_pack
    from kiosk.finalise import prepare_consent, save_consent
    from kiosk.seal_key import load_seal_signer
    from kiosk.settings import Settings
    from tests.flow.sample import complete_session

    settings = Settings(hospital_name="St Elsewhere Hospital", time_zone="UTC")
    pack, signer = load_pack("en"), load_seal_signer(data_dir, Settings())
    return [save_consent(db, settings.consents_path(data_dir),
                         prepare_consent(complete_session(pack, name=name, outcome="consented", seed=n), pack,
                                         settings, signer=signer)).document_id
            for n, name in enumerate(("Ann Lee", "Edith Clarke"))]


def bench_prints(prints: int, probe) -> tuple[list[float], list[float], list[float]]:
    from kiosk.review import actions, session
    from kiosk.store import open_database
    from tests.ui.conftest import tap

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        db = open_database(data_dir / "kiosk.db")
        valid, voided = _consents(data_dir, db)
        station = _station(data_dir, db)
        station._signed_in(session.create_first_administrator(station.station_context, "Bench Nurse", "2468"))
        actions.void(station.context, voided, "bench: a voided consent prints as a marked copy")
        idle = [_idle(probe) for _ in range(3)]
        results = {valid: [], voided: []}
        for n in range(prints):
            for document_id in (valid, voided):
                station.open_consent(document_id)
                page = station.consent
                tap(page.print_button)
                _wait(lambda: "PDF" in page.printer_buttons and page.print_retry.isEnabled())
                tap(page.printer_buttons["PDF"])
                probe.start()
                tap(page.print_confirm)
                _wait(lambda: bool(page.message.text() or page.print_error.text()))
                results[document_id].append(probe.stop())
                assert page.message.text().startswith("Sent to PDF"), page.print_error.text()
        station.sign_out()
        station.close()
        db.close()
        return results[valid], results[voided], idle


def bench_exports(db_path: Path, exports: int, probe) -> tuple[list[float], list[float], int]:
    from kiosk.review import session
    from kiosk.store import open_database
    from kiosk.ui.nurse.export_bar import ExportBar
    from tests.ui.conftest import tap

    db = open_database(db_path)
    station = _station(db_path.parent, db)
    context = station.station_context
    if session.needs_first_administrator(context):
        context = session.create_first_administrator(context, "Bench Nurse", "2468")
    else:
        context = session.sign_in_as(context, session.accounts_to_sign_in(context)[0].id, "2468").context
    station._signed_in(context)
    bar = ExportBar(station.page)
    bar.resize(1200, 100)
    bar.show()
    idle = [_idle(probe) for _ in range(3)]
    stalls, rows = [], 0
    for _ in range(exports):
        bar.message.setText("")
        probe.start()
        tap(bar.all_button)
        _wait(lambda: bar.message.text() != "" and bar.all_button.isEnabled(), 120_000)
        stalls.append(probe.stop())
        assert bar.message.text().startswith("Saved "), bar.message.text()
        rows = int(bar.message.text().split()[1].replace(",", ""))
        Path(bar.message.text().split(" to ", 1)[1].rstrip(".")).unlink()
    station.sign_out()
    db.close()
    return stalls, idle, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prints", type=int, default=5, help="prints of each consent (valid, voided)")
    parser.add_argument("--exports", type=int, default=3)
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench-nurse/kiosk.db"))
    args = parser.parse_args()
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate_consents.py"), str(args.db), "--n", "100000",
                        "--record-kib", "2"], check=True)
    from PySide6.QtWidgets import QApplication

    from bench.stalls import Heartbeat
    from kiosk.ui import theme

    app = QApplication.instance() or QApplication([])
    theme.install(app)
    probe = Heartbeat()
    valid, voided, idle_print = bench_prints(args.prints, probe)
    exported, idle_export, rows = bench_exports(args.db, args.exports, probe)
    fmt = lambda v: f"median {statistics.median(v):5.1f} ms, max {max(v):5.1f} ms (n={len(v)})"  # noqa: E731
    print(f"print a consent to PDF, tap to 'Sent'     : longest stall {fmt(valid)}")
    print(f"print a voided consent (VOID copy)        : longest stall {fmt(voided)}")
    print(f"export {rows:,} consents to CSV       : longest stall {fmt(exported)}")
    print(f"baseline, idle station (consent, queue)   : longest stall {fmt(idle_print + idle_export)}")
    worst = max(valid + voided + exported)
    print(f"target: under 50 ms -> {'met' if worst < 50 else 'NOT met'} (worst {worst:.1f} ms)")


if __name__ == "__main__":
    main()
