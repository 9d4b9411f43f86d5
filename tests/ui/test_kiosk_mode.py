"""Kiosk mode: the window covers its whole screen, frameless and on top, with no pointer, and
no key or menu closes or leaves it. `--windowed` stays an ordinary window for development.

The screen here is the offscreen platform's; a subprocess gives the kiosk's own start-up a
1280x800 screen (the platform's `configfile` option), as a tablet has.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.ui.kiosk_mode import KioskMode


@pytest.fixture
def kiosk(window):
    mode = KioskMode(window)
    mode.apply()
    QApplication.processEvents()
    yield window, mode
    if not getattr(window, "kiosk_released", False):
        mode.release()


def test_the_window_covers_its_screen_frameless_on_top_without_a_pointer(kiosk):
    window, _mode = kiosk
    screen = window.screen().geometry()
    assert window.geometry() == screen
    assert window.minimumSize() == window.maximumSize() == screen.size(), "held at the screen's size"
    assert window.windowFlags() & Qt.FramelessWindowHint
    assert window.windowFlags() & Qt.WindowStaysOnTopHint
    assert QGuiApplication.overrideCursor().shape() == Qt.BlankCursor


def test_a_page_that_wants_more_room_cannot_grow_the_window(kiosk):
    window, _mode = kiosk
    size = window.size()
    window.welcome.start_button.setMinimumHeight(3 * size.height())  # far more than the screen
    QApplication.processEvents()
    assert window.size() == size


def test_the_window_follows_its_screen_when_the_screen_changes_size(kiosk):
    """A tablet rotated, or a monitor's resolution changed: Qt tells the window's screen's
    geometryChanged (as xrandr would make it), and the window covers the new size at once,
    every control still inside it."""
    window, _mode = kiosk
    screen = window.windowHandle().screen()
    before = screen.geometry()
    for size in ((1280, 800), (800, 1280), (before.width(), before.height())):
        screen.geometryChanged.emit(QRect(0, 0, *size))
        QApplication.processEvents()
        assert (window.width(), window.height()) == size and window.pos() == QPoint(0, 0)
        assert window.minimumSize() == window.maximumSize() == QSize(*size), "held at the new size"
        start = window.welcome.start_button
        box = QRect(start.mapTo(window, QPoint(0, 0)), start.size())
        assert QRect(0, 0, *size).contains(box), f"Start is outside a {size} screen"


@pytest.mark.parametrize("keys", ["Alt+F4", "Ctrl+Q", "Ctrl+W", "Esc"])
def test_closing_keys_do_nothing(kiosk, qtbot, keys):
    """A shortcut on the key (as a close or quit action would have) never fires in kiosk mode;
    once kiosk mode is left it does, so the test can tell."""
    from PySide6.QtGui import QKeySequence, QShortcut

    window, mode = kiosk
    fired = []
    shortcut = QShortcut(QKeySequence(keys), window)
    shortcut.setContext(Qt.ApplicationShortcut)
    shortcut.activated.connect(lambda: fired.append(keys))
    combo = QKeySequence(keys)[0]
    for target in (window, window.welcome.start_button):
        QTest.keyClick(target, combo.key(), combo.keyboardModifiers())
    QApplication.processEvents()
    assert window.isVisible() and fired == []
    mode.release()
    QTest.keyClick(window, combo.key(), combo.keyboardModifiers())
    assert fired == [keys]
    window.kiosk_released = True


def test_letters_still_reach_the_kiosk(kiosk):
    """Only closing keys are blocked: a key press that is not one still arrives."""
    from kiosk.ui.kiosk_mode import blocked

    assert not blocked(QKeyEvent(QEvent.KeyPress, Qt.Key_A, Qt.NoModifier, "a"))
    assert blocked(QKeyEvent(QEvent.KeyPress, Qt.Key_F4, Qt.AltModifier))


def test_context_menus_do_nothing(kiosk):
    window, mode = kiosk
    event = QContextMenuEvent(QContextMenuEvent.Mouse, QPoint(10, 10), QPoint(10, 10))
    assert mode.eventFilter(window.welcome.start_button, event) is True


def test_the_kiosk_itself_can_still_close_its_window(kiosk):
    """Only a close from outside (a window manager's Alt+F4) is refused: shutdown still works."""
    from PySide6.QtGui import QCloseEvent

    window, mode = kiosk
    event = QCloseEvent()
    event.setAccepted(True)
    QApplication.sendEvent(window, event)  # sent by the program itself, not spontaneous: allowed
    assert event.isAccepted()


SCRIPT = """
import json, sys
from pathlib import Path
from kiosk.app import create_kiosk
from PySide6.QtWidgets import QApplication
app, window = create_kiosk(Path(sys.argv[1]), windowed=sys.argv[2] == "windowed")
for _ in range(20):
    app.processEvents()
g = window.geometry()
print(json.dumps({"geometry": [g.x(), g.y(), g.width(), g.height()], "visible": window.isVisible(),
                  "need": [window.layout().totalMinimumSize().width(), window.layout().totalMinimumSize().height()]}))
"""


@pytest.mark.parametrize("mode, expected", [("kiosk", [0, 0, 1280, 800]), ("windowed", [0, 0, 1280, 800])])
def test_the_kiosk_starts_on_the_whole_1280x800_screen(tmp_path, mode, expected):
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [{"name": "tablet", "x": 0, "y": 0, "width": 1280, "height": 800,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    data = tmp_path / "data"
    data.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(data), mode], env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    shown = json.loads(run.stdout.strip().splitlines()[-1])
    assert shown["visible"]
    if mode == "kiosk":
        assert shown["geometry"] == expected
    else:
        assert shown["geometry"][2:] == expected[2:]
    assert shown["need"][0] <= 1280 and shown["need"][1] <= 800


MOVE_SCRIPT = """
import json, sys
from pathlib import Path
from kiosk.app import create_kiosk
app, window = create_kiosk(Path(sys.argv[1]), windowed=False)
for _ in range(20):
    app.processEvents()
seen = []
for screen in (app.screens()[1], app.screens()[0]):
    window.windowHandle().setScreen(screen)
    for _ in range(20):
        app.processEvents()
    g = window.geometry()
    seen.append({"screen": window.screen().name(), "geometry": [g.x(), g.y(), g.width(), g.height()]})
print(json.dumps(seen))
"""


def test_the_kiosk_follows_its_window_to_another_screen(tmp_path):
    """A kiosk PC with a desk monitor and a touch tablet: moved to the tablet, the window
    covers the tablet, and back again the monitor (offscreen platform with two screens)."""
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [
        {"name": "desk", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": 1},
        {"name": "tablet", "x": 1920, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": 1}]}))
    data = tmp_path / "data"
    data.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    run = subprocess.run([sys.executable, "-c", MOVE_SCRIPT, str(data)], env=env, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen == [{"screen": "tablet", "geometry": [1920, 0, 1280, 800]},
                    {"screen": "desk", "geometry": [0, 0, 1920, 1080]}]
