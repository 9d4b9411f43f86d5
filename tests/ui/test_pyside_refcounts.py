"""A guard on the Qt binding itself: a kiosk runs for days, so no call may leak or drop
references to the interpreter's singletons.

PySide6 6.12.0 on Python 3.11 dropped one reference to None on every void call (setText,
QTest.mouseClick, style polish); after enough taps the interpreter aborts with
"none_dealloc". On Python 3.12+ None is immortal, so this test matters on 3.11.
"""

import sys

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton


def test_void_calls_keep_none_alive(qtbot):
    label = QLabel("x")
    button = QPushButton("tap")
    qtbot.addWidget(label)
    qtbot.addWidget(button)
    button.show()
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("y")
        label.style().polish(label)
        QTest.mouseClick(button, Qt.LeftButton, Qt.NoModifier, QPoint(3, 3))
    assert sys.getrefcount(None) - before > -50, "the Qt binding is dropping references to None"
