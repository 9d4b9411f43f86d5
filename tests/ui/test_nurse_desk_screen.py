"""`kiosk nurse` on a desk computer whose screen is a 1280x800 laptop or tablet: the station
takes the theme's scale of its screen (as the patient window does) and fits it. Before, it
started at full scale and 1600x1000, larger than the screen.

The screen is the offscreen platform's, given one 1280x800 screen through its `configfile`
option, in a subprocess: the station's own start-up (kiosk.app.run_nurse_station) runs as it
does on the desk, and the script looks at the window from inside its event loop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
from kiosk.app import run_nurse_station
from kiosk.ui import theme
from kiosk.ui.nurse.station import NurseStation
from tests.ui.test_fits_screen import misfits
from tests.ui.test_nurse_fits_screen import overflow_problems


def look():
    station = next(w for w in app.topLevelWidgets() if isinstance(w, NurseStation))
    for _ in range(20):
        app.processEvents()
    g, screen = station.geometry(), station.screen().geometry()
    print(json.dumps({"geometry": [g.x(), g.y(), g.width(), g.height()], "scale": theme.SCALE,
                      "screen": [screen.width(), screen.height()], "page": type(station.stack.currentWidget()).__name__,
                      "problems": misfits(station, (g.width(), g.height()))
                                  + overflow_problems(station.stack.currentWidget())}))
    app.quit()


QTimer.singleShot(0, look)
sys.exit(run_nurse_station(Path(sys.argv[1])))
"""


@pytest.mark.parametrize("with_admin", [False, True], ids=["first-use", "sign-in"])
def test_the_desk_station_fits_a_1280x800_screen(tmp_path, with_admin):
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 800,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    data = tmp_path / "data"
    data.mkdir()
    if with_admin:
        from kiosk.store import open_database
        from kiosk.store.nurses import create_nurse

        with open_database(data / "kiosk.db") as db:
            create_nurse(db, name="Nora Nurse", pin="2468", is_admin=True, by=None)
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(data)], env=env, capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    shown = json.loads(run.stdout.strip().splitlines()[-1])
    assert shown["screen"] == [1280, 800]
    assert shown["scale"] == pytest.approx(800 / 1080), "the desk station keeps the 1080-line scale"
    x, y, width, height = shown["geometry"]
    assert width <= 1280 and height <= 800, f"the station is {width}x{height} on a 1280x800 screen"
    assert shown["page"] == ("SignInPage" if with_admin else "FirstUsePage")
    assert not shown["problems"], "\n".join(shown["problems"])
