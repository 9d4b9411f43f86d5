"""A label that does something only when held for a few seconds: the nurse's discreet way in.

A patient tapping, leaning or brushing past it does nothing; only a deliberate 3-second
press fires `held`.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel

HOLD_MS = 3000


class LongPressLabel(QLabel):
    held = Signal()

    def __init__(self, text: str = "", parent=None, *, hold_ms: int = HOLD_MS):
        super().__init__(text, parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(hold_ms)
        self.timer.timeout.connect(self.held)

    def mousePressEvent(self, event):
        self.timer.start()

    def mouseReleaseEvent(self, event):
        self.timer.stop()
