"""Going from one education page to the next, picture included, and the cement animation's
frame times while it plays. Offscreen Qt, 1920x1080, the real window.

Each page turn is timed from the tap on Next to the new page painted (a synchronous repaint
of the whole window). Before each first visit the patient reads the page for `--read-ms`
(the kiosk builds the next page meanwhile; `--read-ms 0` shows the cost of building it on
the tap). Going Back and Next again reuses the built pages. Baseline in the same run:
repainting the window with no page change.

    uv run python bench/bench_pages.py [--sessions 5] [--read-ms 400]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.settings import Settings  # noqa: E402
from kiosk.store import open_database  # noqa: E402
from kiosk.ui import theme  # noqa: E402
from kiosk.ui.pages.education import InfoPage  # noqa: E402
from kiosk.ui.widgets.cement_animation import CementAnimation  # noqa: E402
from kiosk.ui.pages.base import SETTLE_MS  # noqa: E402
from tests.ui.journey import Patient, enter_identity, start  # noqa: E402
from tests.ui.taps import TapClock  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(name, values_ms):
    return (f"{name:34s} median {statistics.median(values_ms):6.2f} ms   p95 {percentile(values_ms, 0.95):6.2f} ms"
            f"   max {max(values_ms):6.2f} ms   (n={len(values_ms)})")


def turn(app, window, action):
    if isinstance(window.tap_clock, TapClock):
        window.tap_clock.advance(SETTLE_MS)  # the patient looked before tapping: the tap counts
    t0 = time.perf_counter()
    action()
    app.processEvents()
    window.repaint()
    return (time.perf_counter() - t0) * 1000


def read(app, ms):
    """The patient reads: the event loop runs (timers fire) for `ms`."""
    deadline = time.perf_counter() + ms / 1000
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.002)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--read-ms", type=int, default=400, help="time on a page before Next to a new one")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    theme.install(app)
    from kiosk.ui.window import KioskWindow

    first, again, baseline = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "kiosk.db")
        window = KioskWindow(settings=Settings(idle_timeout_seconds=3600), data_dir=Path(folder), db=db,
                             tap_clock=TapClock())
        window.resize(1920, 1080)
        window.show()
        app.processEvents()
        for _ in range(args.sessions):
            start(window)
            enter_identity(window, Patient())
            while isinstance(window.current_page(), InfoPage):
                page = window.current_page()
                baseline.append(turn(app, window, lambda: None))
                if page.back_button is not None and page.step.number > 1:
                    again.append(turn(app, window, page.back_button.click))
                    again.append(turn(app, window, window.current_page().next_button.click))
                read(app, args.read_ms)
                first.append(turn(app, window, page.next_button.click))
            window.end_session()

        animation = CementAnimation(duration_ms=8000)
        animation.resize(800, 600)
        animation.show()
        deadline = time.perf_counter() + 10
        while animation.is_running() and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.001)
        frames = animation.frame_times_ms()
        animation.close()

    print(summary("repaint, no page change (baseline)", baseline))
    print(summary(f"next page, first visit ({args.read_ms} ms read)", first))
    print(summary("back/next, page already built", again))
    print(summary("animation frame interval", frames))
    print(f"animation frames painted: {len(frames) + 1} over about 8 s "
          f"({(len(frames) + 1) / 8:.0f} per second)")


if __name__ == "__main__":
    main()
