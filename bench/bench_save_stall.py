"""The longest event-loop stall from the tap on Sign ("I agree", after signing) to the Done
screen painted: the first consent after start-up, and later ones. Target: under 50 ms.

Each run is a fresh kiosk process started as `kiosk run` starts it (`create_kiosk`: the
database opened and the save path warmed after the first paint), offscreen, that walks
patients through the real window with real taps. The probe is a 5 ms precise QTimer on the
UI thread (bench/stalls.py); the baseline, in the same process, is the same probe on the
signature page while nothing is tapped.

    uv run python bench/bench_save_stall.py [--starts 5] [--later 5]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(data_dir: str, later: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    import inspect

    from PySide6.QtTest import QTest

    from bench.stalls import Heartbeat
    from kiosk.app import create_kiosk
    from kiosk.content import load_pack
    from kiosk.ui.pages.ending import DonePage
    from tests.ui.conftest import page, tap
    from tests.ui.journey import Patient
    from tests.ui.test_background_save import to_signed

    app, window = create_kiosk(Path(data_dir), windowed=True)
    while not (window.welcome.start_button.isEnabled() and window.store_worker is not None
               and not window.store_worker.busy):
        QTest.qWait(10)  # opened, recovered, warmed: ready for patients
    if "tap_clock" in inspect.signature(type(window).__init__).parameters:
        from tests.ui.taps import TapClock  # a tap guard: the bench's patient is calm, not fast

        window.tap_clock = TapClock()
    QTest.qWait(500)  # a patient reads the Welcome screen
    pack = load_pack("en")
    probe = Heartbeat()
    results = []
    for number in range(1 + later):
        signature = to_signed(window, pack, Patient(name="Norah " + "Bench"[: 1 + number % 5] + "ley"))
        probe.start()
        QTest.qWait(300)  # baseline: the signature page, nothing tapped
        idle = probe.stop()
        probe.start()
        tap(signature.next_button)  # returns once the save is done (tap waits, the event loop running)
        while not isinstance(page(window), DonePage):
            QTest.qWait(1)
        QTest.qWait(50)  # Done painted
        stall = probe.stop()
        assert window.saved is not None
        results.append({"stall_ms": stall, "idle_ms": idle, "beats": len(probe.gaps_ms)})
        window.end_session()
    print(json.dumps(results))
    window.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=5, help="fresh kiosk processes")
    parser.add_argument("--later", type=int, default=5, help="consents after the first, in each process")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as deployed: cached bytecode
    first, later, idle = [], [], []
    for _ in range(args.starts):
        with tempfile.TemporaryDirectory() as data_dir:
            out = subprocess.run([sys.executable, __file__, "--child", data_dir, str(args.later)], env=env,
                                 capture_output=True, text=True, timeout=900, cwd=ROOT)
            assert out.returncode == 0, out.stderr[-3000:]
            runs = json.loads(out.stdout.strip().splitlines()[-1])
        first.append(runs[0]["stall_ms"])
        later += [r["stall_ms"] for r in runs[1:]]
        idle += [r["idle_ms"] for r in runs]
    fmt = lambda v: f"median {statistics.median(v):5.1f} ms, max {max(v):5.1f} ms (n={len(v)})"  # noqa: E731
    print(f"Sign to Done, first consent after start-up: longest stall {fmt(first)}")
    print(f"Sign to Done, later consents              : longest stall {fmt(later)}")
    print(f"baseline, signature page, nothing tapped  : longest stall {fmt(idle)}")
    print(f"target: under 50 ms -> {'met' if max(first + later) < 50 else 'NOT met'}")


if __name__ == "__main__":
    main()
