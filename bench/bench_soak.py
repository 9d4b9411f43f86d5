"""Soak: complete patient sessions, one after another, in one kiosk process, through the real
window with real taps (offscreen): consented, questions and declined in turn, every one saved
in the background. Targets: no error, every consent stored with its PDF, resident memory
(RSS) growing by less than 10 MB from the end of the first 20 sessions to the last, and the tap
on Finish never stalling the event loop 50 ms or more (from the tap until every page of the
session is destroyed).

    uv run python bench/bench_soak.py [--sessions 500]
"""

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

WARM = 20  # sessions before the memory baseline: every page type built, caches filled


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Waiter:
    """What the journey helpers want of qtbot."""

    @staticmethod
    def waitUntil(condition, timeout=5000):
        deadline = time.monotonic() + timeout / 1000
        while not condition():
            assert time.monotonic() < deadline, "timed out"
            QTest.qWait(5)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=500)
    args = parser.parse_args()
    import inspect

    from bench.stalls import Heartbeat
    from kiosk.app import create_kiosk
    from kiosk.content import load_pack
    from kiosk.store import get_consent, list_consents, open_database
    from kiosk.ui.pages.ending import DonePage
    from tests.ui.conftest import look_first, page
    from tests.ui.journey import Patient, walk

    outcomes = ("consented", "questions", "declined")
    errors = []
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        app, window = create_kiosk(data_dir, windowed=True)
        Waiter.waitUntil(lambda: window.welcome.start_button.isEnabled() and window.store_worker is not None
                         and not window.store_worker.busy, timeout=60000)
        if "tap_clock" in inspect.signature(type(window).__init__).parameters:
            from tests.ui.taps import TapClock

            window.tap_clock = TapClock()
        pack = load_pack("en")
        probe = Heartbeat()
        stalls, baseline_rss, t0 = [], None, time.monotonic()
        start_rss = rss_mb()
        for number in range(args.sessions):
            outcome = outcomes[number % 3]
            patient = Patient(name="Rosa " + "Soakington"[: 2 + number % 9], outcome=outcome,
                              wrong_once={pack.questions[number % len(pack.questions)].id})
            try:
                walk(window, patient, pack, Waiter)
                if not isinstance(page(window), DonePage):
                    raise AssertionError(f"session {number}: {type(page(window)).__name__}, not Done")
                done = page(window)
                look_first(done.next_button)  # Done is painted and read, as a patient would
                probe.start()
                QTest.mouseClick(done.next_button, Qt.LeftButton)  # Finish
                if window.session is not None:
                    raise AssertionError(f"session {number}: Finish did not end the session")
                # until every page of the session is destroyed (in slices, after Welcome is shown)
                Waiter.waitUntil(lambda: not getattr(window, "pages_left_to_delete", lambda: 0)(), timeout=2000)
                QTest.qWait(20)
                stalls.append(probe.stop())
            except Exception as error:  # noqa: BLE001 - counted and reported
                errors.append(f"session {number}: {error!r}")
                if window.session is not None:
                    window.end_session()
            if number + 1 == min(WARM, args.sessions // 2 or 1):
                gc.collect()
                baseline_rss, warm = rss_mb(), number + 1
            if (number + 1) % 50 == 0:
                last = sorted(stalls[-50:]) or [0.0]
                print(f"{number + 1} sessions, RSS {rss_mb():.1f} MB, Finish stall median {last[len(last) // 2]:.1f} "
                      f"ms over the last 50, {time.monotonic() - t0:.0f} s", flush=True)
        gc.collect()
        end_rss = rss_mb()
        db = open_database(data_dir / "kiosk.db")
        rows = list_consents(db, limit=args.sessions + 10)
        missing_pdf = [r["document_id"] for r in rows
                       if not Path(get_consent(db, r["document_id"])["pdf_path"] or "/nonexistent").is_file()]
        window.close()
    print(f"sessions: {args.sessions}, stored: {len(rows)}, without their PDF: {len(missing_pdf)}, errors: {len(errors)}")
    for line in errors[:10]:
        print("  ", line)
    print(f"RSS: {start_rss:.1f} MB when ready, {baseline_rss:.1f} MB after {warm} sessions, {end_rss:.1f} MB "
          f"after {args.sessions}: growth {end_rss - baseline_rss:+.1f} MB (target < 10 MB)")
    ordered = sorted(stalls)
    print(f"Finish to Welcome (every page of the session destroyed), longest stall: median "
          f"{ordered[len(ordered) // 2]:.1f} ms, p95 {ordered[int(0.95 * (len(ordered) - 1))]:.1f} ms, "
          f"max {ordered[-1]:.1f} ms (target < 50 ms); {sum(s >= 50 for s in stalls)} of {len(stalls)} taps "
          f"stalled 50 ms or more; {time.monotonic() - t0:.0f} s in all")
    missed = [what for what, bad in (("errors", errors or missing_pdf or len(rows) != args.sessions),
                                     ("memory", end_rss - baseline_rss >= 10),
                                     ("Finish stall", ordered[int(0.95 * (len(ordered) - 1))] >= 50)) if bad]
    print("targets missed: " + ", ".join(missed) if missed else "every target met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
