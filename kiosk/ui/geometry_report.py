"""Where things are on screen, for a test that drives the kiosk with real pointer events.

With KIOSK_REPORT_GEOMETRY=1 in its environment the kiosk writes one line on stderr whenever
what a patient could see or tap changes: ``kiosk-geometry: {json}`` with the page, whether
it takes taps yet, the window's rectangle, each visible control's rectangle on the screen
(only the part that is really visible: a control scrolled out of sight is left out) and the
text of each visible field. It
says nothing a patient cannot see; no test ever reads the kiosk's memory. Off by default:
nothing is made unless the variable is set.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QObject, QPoint, QRect, QTimer
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

PREFIX = "kiosk-geometry: "


def _rect(widget: QWidget) -> list[int] | None:
    visible = widget.visibleRegion().boundingRect()
    if visible.isEmpty():
        return None
    top_left = widget.mapToGlobal(visible.topLeft())
    return [top_left.x(), top_left.y(), visible.width(), visible.height()]


def describe(window) -> dict:
    """What is on screen now, as plain data (see the module docstring)."""
    page = window.current_page()
    top = window.prompt if window.prompt is not None and window.prompt.isVisible() else page
    controls = []
    widgets = [window.help_button, *top.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisible() or not (isinstance(widget, QPushButton) or type(widget).__name__ == "SignaturePad"):
            continue
        rect = _rect(widget)
        if rect is None:
            continue
        controls.append({"text": widget.text() if hasattr(widget, "text") else "",
                         "char": widget.property("char"), "kind": type(widget).__name__,
                         "enabled": widget.isEnabled(), "checked": widget.property("checked") is True,
                         "rect": rect})
    geometry = QRect(window.mapToGlobal(QPoint(0, 0)), window.size())
    step = getattr(page, "step", None)
    return {"page": type(page).__name__, "step": getattr(step, "id", None),
            "ready": bool(getattr(page, "ready", True)), "prompt": top is not page,
            "window": [geometry.x(), geometry.y(), geometry.width(), geometry.height()],
            "controls": controls,
            "fields": [f.text() for f in top.findChildren(QLineEdit) if f.isVisible()]}


class GeometryReport(QObject):
    """Writes `describe(window)` on stderr each time it changes (checked every 50 ms)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._last = None
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._check)
        self._timer.start()

    def _check(self) -> None:
        if not self.window.isVisible():
            return
        line = json.dumps(describe(self.window), ensure_ascii=False)
        if line != self._last:
            self._last = line
            print(PREFIX + line, file=sys.stderr, flush=True)
