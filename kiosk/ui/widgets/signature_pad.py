"""A signature pad: finger or mouse strokes, drawn smoothly, kept as vectors."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.flow.signature import smooth_stroke
from kiosk.ui.theme import palette


def stroke_path(points) -> QPainterPath:
    """Quadratic curves through the midpoints: the same smoothing the PDF uses."""
    path = QPainterPath()
    if not points:
        return path
    path.moveTo(QPointF(*points[0]))
    if len(points) == 1:
        path.lineTo(QPointF(points[0][0] + 0.1, points[0][1]))
        return path
    for (x0, y0), (x1, y1) in zip(points[1:], points[2:]):
        path.quadTo(QPointF(x0, y0), QPointF((x0 + x1) / 2, (y0 + y1) / 2))
    path.lineTo(QPointF(*points[-1]))
    return path


class SignaturePad(QWidget):
    """Records strokes in widget pixels; `strokes()` returns them smoothed."""

    changed = Signal()

    def __init__(self, parent=None, *, accepts=None):
        """`accepts()` False ignores a press (the page has only just appeared); None takes all."""
        super().__init__(parent)
        self._accepts = accepts or (lambda: True)
        self._drawing = False
        self._strokes: list[list[tuple[float, float]]] = []
        self._smoothed: list[tuple] = []  # finished strokes, smoothed once on release, not per paint
        self.setMinimumHeight(320)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setAttribute(Qt.WA_AcceptTouchEvents, False)  # touch arrives as synthesised mouse
        self.setAccessibleName("signature pad")

    def clear(self) -> None:
        self._strokes = []
        self._smoothed = []
        self.update()
        self.changed.emit()

    def set_strokes(self, strokes) -> None:
        """Show strokes drawn before (smoothed, as `strokes()` gives them)."""
        self._strokes = [list(stroke) for stroke in strokes]
        self._smoothed = [tuple(stroke) for stroke in strokes]
        self.update()

    def is_empty(self) -> bool:
        return not self._strokes

    def strokes(self) -> tuple[tuple[tuple[float, float], ...], ...]:
        return tuple(self._smoothed) + tuple(smooth_stroke(s) for s in self._strokes[len(self._smoothed):])

    def mousePressEvent(self, event):
        self._drawing = self._accepts()
        if not self._drawing:
            return
        self._strokes.append([(event.position().x(), event.position().y())])
        self.update()

    def mouseMoveEvent(self, event):
        if self._drawing and self._strokes and event.buttons() & Qt.LeftButton:
            self._strokes[-1].append((event.position().x(), event.position().y()))
            self.update()

    def mouseReleaseEvent(self, event):
        if not self._drawing:
            return
        self._drawing = False
        if len(self._smoothed) < len(self._strokes):
            self._smoothed.append(smooth_stroke(self._strokes[-1]))
        self.changed.emit()

    def paintEvent(self, event):
        with QPainter(self) as p:
            p.setRenderHint(QPainter.Antialiasing)
            colours = palette()  # the installed one: black on white in high contrast
            p.fillRect(self.rect(), QColor(colours.card))
            p.setPen(QPen(QColor(colours.line), 3))
            p.drawRect(self.rect().adjusted(1, 1, -2, -2))
            baseline = self.height() * 0.75
            p.setPen(QPen(QColor(colours.line), 2, Qt.DashLine))
            p.drawLine(QPointF(40, baseline), QPointF(self.width() - 40, baseline))
            p.setPen(QPen(QColor(colours.ink), 4, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
            for stroke in self.strokes():  # only a stroke still being drawn is smoothed here
                p.drawPath(stroke_path(stroke))
