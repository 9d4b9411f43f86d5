"""The cement injection animation: a side view of one broken vertebra being filled with cement.

Front of the body on the LEFT, back on the RIGHT (docs/illustrations.md). A thin needle comes
in from the back through the pedicle (0-30 % of the time), cement grows from its tip inside
the vertebral body (30-75 %), the needle leaves the way it came (75-100 %); the cement stays.
No words are drawn: the Replay button and the step captions come from `set_texts()`.

Geometry is in picture units, the same 800 x 600 canvas as the SVG illustrations, so tests
and stills can ask where things are without knowing the widget's size.

Timer rule: the animation never runs while hidden. It starts when the widget is first shown,
pauses on hide and resumes on show; when it finishes it stops its timer and keeps the end
state on screen. With reduce_motion no animation object is ever created.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import (Property, QAbstractAnimation, QLineF, QPointF, QRectF, QSize, Qt,
                            QVariantAnimation, Signal)
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF, QTransform
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.theme import BUTTON_MIN_PX, CARD, LINE, PRIMARY, SMALL_PX

# The palette of docs/illustrations.md, and nothing else.
INK = "#1b2631"
BROKEN, BROKEN_SHADE = "#f2b36b", "#d9822b"
DISC = "#e2d3b5"
CEMENT, CEMENT_SHADE = "#4f86b5", "#2f5f8a"
NERVE, NERVE_SHADE = "#f1d36b", "#c9a227"
STEEL = "#5e6b78"
PORE = "#ffffff"

CANVAS = (800.0, 600.0)   # the illustrations' 4:3 canvas
NEEDLE_IN_END = 0.30   # 0 .. 0.30: the needle goes in
CEMENT_END = 0.75      # 0.30 .. 0.75: cement fills; 0.75 .. 1: the needle comes out
STILL_MOMENTS = (0.30, 0.60, 0.88)  # needle in / cement filling / needle out

NEEDLE_START = QPointF(610.0, 215.0)   # just behind the bone, where the needle waits
NEEDLE_TARGET = QPointF(185.0, 332.0)  # front third of the vertebral body, mid height
NEEDLE_GONE = QPointF(950.0, 122.0)    # off the picture on the right, on the same line
NEEDLE_WIDTH = 11.0
CEMENT_RADII = (168.0, 175.0)          # full-size blob; its back edge stays off the back wall


# ---------------------------------------------------------------- geometry (picture units)

def _ease(t: float) -> float:
    """Ease in and out (a half cosine): calm starts and stops."""
    t = min(1.0, max(0.0, t))
    return 0.5 - 0.5 * math.cos(math.pi * t)


def _lerp(a: QPointF, b: QPointF, t: float) -> QPointF:
    return QPointF(a.x() + (b.x() - a.x()) * t, a.y() + (b.y() - a.y()) * t)


def needle_tip(progress: float) -> QPointF:
    """Where the needle's tip is at `progress` (0..1), in picture units."""
    if progress <= NEEDLE_IN_END:
        return _lerp(NEEDLE_START, NEEDLE_TARGET, _ease(progress / NEEDLE_IN_END))
    if progress <= CEMENT_END:
        return QPointF(NEEDLE_TARGET)
    return _lerp(NEEDLE_TARGET, NEEDLE_GONE, _ease((progress - CEMENT_END) / (1.0 - CEMENT_END)))


def cement_fill(progress: float) -> float:
    """How much of the full cement blob's area is drawn at `progress` (0..1)."""
    return _ease((progress - NEEDLE_IN_END) / (CEMENT_END - NEEDLE_IN_END))


def body_path() -> QPainterPath:
    """The broken vertebral body: a rounded wedge (front lower than back), concave top and bottom."""
    front, back, r, sag = 80.0, 390.0, 24.0, 14.0
    top_front, top_back, bottom = 275.0, 172.0, 415.0
    slope = (top_back - top_front) / (back - front)
    mid_x = (front + back) / 2
    path = QPainterPath(QPointF(front, top_front + r))
    path.quadTo(QPointF(front, top_front), QPointF(front + r, top_front + slope * r))
    path.quadTo(QPointF(mid_x, (top_front + top_back) / 2 + sag), QPointF(back - r, top_back - slope * r))
    path.quadTo(QPointF(back, top_back), QPointF(back, top_back + r))
    path.lineTo(QPointF(back, bottom - r))
    path.quadTo(QPointF(back, bottom), QPointF(back - r, bottom))
    path.quadTo(QPointF(mid_x, bottom - sag), QPointF(front + r, bottom))
    path.quadTo(QPointF(front, bottom), QPointF(front, bottom - r))
    path.quadTo(QPointF(front + 8, (top_front + bottom) / 2), QPointF(front, top_front + r))
    path.closeSubpath()
    return path


def arch_path() -> QPainterPath:
    """Pedicle, joint pillar and the spinous process pointing back and down, as one outline."""
    path = QPainterPath(QPointF(372, 194))
    path.cubicTo(QPointF(420, 214), QPointF(455, 214), QPointF(478, 190))   # pedicle top
    path.cubicTo(QPointF(486, 160), QPointF(490, 132), QPointF(508, 126))   # upper joint
    path.cubicTo(QPointF(528, 122), QPointF(540, 150), QPointF(545, 190))
    path.cubicTo(QPointF(550, 214), QPointF(558, 230), QPointF(575, 246))   # lamina
    path.lineTo(QPointF(680, 348))                                          # spinous process
    path.cubicTo(QPointF(716, 382), QPointF(700, 432), QPointF(664, 412))
    path.lineTo(QPointF(598, 372))
    path.cubicTo(QPointF(592, 396), QPointF(592, 424), QPointF(580, 444))   # lower joint
    path.cubicTo(QPointF(566, 466), QPointF(536, 460), QPointF(536, 432))
    path.cubicTo(QPointF(534, 390), QPointF(518, 330), QPointF(470, 322))   # notch under pedicle
    path.cubicTo(QPointF(440, 316), QPointF(410, 322), QPointF(380, 322))
    path.closeSubpath()
    return path


def bone_path() -> QPainterPath:
    """The whole broken vertebra (body and arch) as one outline."""
    return body_path().united(arch_path()).simplified()


def cord_path() -> QPainterPath:
    """The spinal cord in its canal behind the body, running past the top and bottom edges."""
    path = QPainterPath()
    path.addRect(QRectF(410, -10, 62, 620))
    return path


def _disc(front: QPointF, back: QPointF, thickness: float, sag: float) -> QPainterPath:
    """A disc whose lower edge runs from `front` to `back`; `sag` bends it like the end plates."""
    up = QPointF(0, -thickness)
    mid = (front + back) / 2
    path = QPainterPath(front)
    path.quadTo(mid + QPointF(0, sag), back)
    path.quadTo(back + QPointF(14, -thickness / 2), back + up)
    path.quadTo(mid + up + QPointF(0, sag), front + up)
    path.quadTo(front + QPointF(-14, -thickness / 2), front)
    path.closeSubpath()
    return path


def _disc_paths() -> list[QPainterPath]:
    return [_disc(QPointF(92, 277), QPointF(378, 175), 44, 16),
            _disc(QPointF(92, 459), QPointF(378, 459), 44, -16)]


def _cement_blob(fill: float) -> QPainterPath:
    """A soft, slightly uneven blob centred on the needle's target; area proportional to `fill`."""
    scale = math.sqrt(max(0.0, fill))
    rx, ry = CEMENT_RADII[0] * scale, CEMENT_RADII[1] * scale
    points = []
    for i in range(96):
        a = 2 * math.pi * i / 96
        wobble = 1 + 0.06 * math.sin(3 * a + 0.7) + 0.04 * math.sin(5 * a + 2.1)
        points.append(QPointF(NEEDLE_TARGET.x() + rx * wobble * math.cos(a),
                              NEEDLE_TARGET.y() + ry * wobble * math.sin(a)))
    path = QPainterPath()
    path.addPolygon(QPolygonF(points))
    path.closeSubpath()
    return path


def _inner_body() -> QPainterPath:
    """The body shrunk a little: cement stays inside the outline of the bone."""
    body = body_path()
    c = body.boundingRect().center()
    return QTransform().translate(c.x(), c.y()).scale(0.955, 0.93).translate(-c.x(), -c.y()).map(body)


_INNER_BODY = _inner_body()


# ---------------------------------------------------------------- painting (picture units)

def _pen(colour: str, width: float = 4.0) -> QPen:
    return QPen(QColor(colour), width, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin)


def paint_still_parts(p: QPainter) -> None:
    """Everything that never moves: discs, spinal cord, the broken vertebra and its cracks."""
    cord = cord_path()
    p.setPen(_pen(INK))
    p.setBrush(QColor(NERVE))
    p.drawPath(cord)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(NERVE_SHADE))
    p.drawRect(QRectF(452, -10, 18, 620))
    p.setPen(_pen(INK))
    p.setBrush(Qt.NoBrush)
    p.drawPath(cord)
    p.setBrush(QColor(DISC))
    for disc in _disc_paths():
        p.drawPath(disc)
    bone = bone_path()
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(BROKEN))
    p.drawPath(bone)
    p.setBrush(QColor(BROKEN_SHADE))  # one shade band along the underside
    p.drawPath(bone.subtracted(bone.translated(0, -16)))
    p.setBrush(QColor(PORE))  # thin, porous bone
    for x, y, w, h in ((120, 336, 16, 11), (165, 378, 14, 10), (228, 290, 18, 12), (262, 360, 14, 10),
                       (312, 236, 16, 11), (330, 322, 18, 12), (212, 390, 12, 9), (120, 300, 12, 9),
                       (300, 392, 14, 9)):
        p.drawEllipse(QRectF(x, y, w, h))
    p.setPen(_pen(INK))
    p.setBrush(Qt.NoBrush)
    p.drawPath(bone)
    p.setPen(_pen(INK, 2.5))
    p.setClipPath(_INNER_BODY, Qt.IntersectClip)  # cracks stop short of the rim, so the cement hides them all
    for crack in (((84, 316), (108, 328), (100, 346), (124, 358)),
                  ((140, 262), (150, 280), (168, 284), (174, 302))):
        p.drawPolyline(QPolygonF([QPointF(x, y) for x, y in crack]))


def cement_path(progress: float) -> QPainterPath:
    """The cement at `progress`: a blob grown from the needle tip, kept inside the body."""
    fill = cement_fill(progress)
    return _cement_blob(fill).intersected(_INNER_BODY) if fill > 0 else QPainterPath()


def needle_path(progress: float) -> QPainterPath:
    """The needle at `progress`: a thin shaft with a bevelled tip, reaching off the picture."""
    tip = needle_tip(progress)
    along = QLineF(NEEDLE_TARGET, NEEDLE_START).unitVector()
    d = QPointF(along.dx(), along.dy())
    side = QPointF(-d.y(), d.x()) * (NEEDLE_WIDTH / 2)
    bevel, back = tip + d * 18, tip + d * 900
    path = QPainterPath()
    path.addPolygon(QPolygonF([tip, bevel + side, back + side, back - side, bevel - side, tip]))
    return path


def paint_moving_parts(p: QPainter, progress: float) -> None:
    """What changes with time: the cement inside the body and the needle on top."""
    cement = cement_path(progress)
    if not cement.isEmpty():
        p.setPen(Qt.NoPen)
        p.setBrush(QColor(CEMENT_SHADE))
        p.drawPath(cement)
        p.setBrush(QColor(CEMENT))  # the shade shows as a rim along the lower back edge
        p.drawPath(cement.intersected(cement.translated(-7, -9)))
    p.setPen(_pen(INK, 2.5))
    p.setBrush(QColor(STEEL))
    p.drawPath(needle_path(progress))


FULL_VIEW = QRectF(0, 0, *CANVAS)
STILL_VIEW = QRectF(60, 100, 720, 405)  # small stills leave out the empty top and bottom


def picture_rect(size: QSize, view: QRectF = FULL_VIEW, bottom: bool = False) -> QRectF:
    """The largest rectangle of the view's shape (4:3 for the full picture) centred in `size`
    (or standing on its bottom edge)."""
    w, h = float(size.width()), float(size.height())
    scale = min(w / view.width(), h / view.height())
    top = h - view.height() * scale if bottom else (h - view.height() * scale) / 2
    return QRectF((w - view.width() * scale) / 2, top, view.width() * scale, view.height() * scale)


def _to_widget(size: QSize, view: QRectF, bottom: bool = False) -> QTransform:
    rect = picture_rect(size, view, bottom)
    scale = rect.width() / view.width()
    return QTransform().translate(rect.x(), rect.y()).scale(scale, scale).translate(-view.x(), -view.y())


class _Picture(QWidget):
    """Paints one moment; the still parts come from a pixmap cached for the current size."""

    def __init__(self, moment, minimum: QSize, view: QRectF = FULL_VIEW, *, bottom: bool = False,
                 on_painted=None, parent=None):
        super().__init__(parent)
        self._bottom = bottom
        self._moment = moment  # a callable returning the progress to draw
        self._view = view
        self._on_painted = on_painted
        self._cache_key = None
        self._cache = QPixmap()
        self.setMinimumSize(minimum)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def _still_pixmap(self) -> QPixmap:
        dpr = self.devicePixelRatioF()
        key = (self.width(), self.height(), dpr)
        if key != self._cache_key:
            self._cache = QPixmap(QSize(max(1, round(self.width() * dpr)), max(1, round(self.height() * dpr))))
            self._cache.setDevicePixelRatio(dpr)
            self._cache.fill(Qt.transparent)
            with QPainter(self._cache) as p:
                p.fillRect(picture_rect(self.size(), self._view, self._bottom), QColor(CARD))
                p.setRenderHint(QPainter.Antialiasing)
                p.setTransform(_to_widget(self.size(), self._view, self._bottom))
                p.setClipRect(self._view)
                paint_still_parts(p)
            self._cache_key = key
        return self._cache

    def paintEvent(self, event):
        with QPainter(self) as p:
            p.drawPixmap(0, 0, self._still_pixmap())
            p.setRenderHint(QPainter.Antialiasing)
            p.setTransform(_to_widget(self.size(), self._view, self._bottom))
            p.setClipRect(self._view)
            paint_moving_parts(p, self._moment())
        if self._on_painted is not None:
            self._on_painted()


class _StepArrow(QWidget):
    """A chevron pointing the way the steps are read (mirrored for right-to-left languages)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFixedWidth(36)

    def paintEvent(self, event):
        with QPainter(self) as p:
            p.setRenderHint(QPainter.Antialiasing)
            p.setPen(_pen(LINE, 6))
            x, y = self.width() / 2, self.height() / 2
            d = -1 if self.layoutDirection() == Qt.RightToLeft else 1
            p.drawPolyline(QPolygonF([QPointF(x - 8 * d, y - 16), QPointF(x + 8 * d, y), QPointF(x - 8 * d, y + 16)]))


def _replay_icon(px: int = 44) -> QIcon:
    """A round arrow, so the button reads even before its word does."""
    pixmap = QPixmap(px * 2, px * 2)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.transparent)
    with QPainter(pixmap) as p:
        p.setRenderHint(QPainter.Antialiasing)
        p.setPen(_pen(PRIMARY, px / 9))
        m = px * 0.2
        p.drawArc(QRectF(m, m, px - 2 * m, px - 2 * m), 100 * 16, 290 * 16)
        p.setPen(Qt.NoPen)
        p.setBrush(QColor(PRIMARY))
        head = QPointF(px / 2 - px * 0.05, m)
        p.drawPolygon(QPolygonF([head + QPointF(px * 0.2, 0), head + QPointF(-px * 0.04, -px * 0.16),
                                 head + QPointF(-px * 0.04, px * 0.16)]))
    return QIcon(pixmap)


# ---------------------------------------------------------------- the widget

class CementAnimation(QWidget):
    """Plays the cement injection once when shown; never runs while hidden (see module docstring).

    `finished` is emitted when the end state is reached (in reduce-motion mode: the first time
    the end state is shown). `set_progress()` draws a chosen moment and stops any playing.
    """

    finished = Signal()
    progress_changed = Signal(float)

    def __init__(self, *, reduce_motion: bool = False, duration_ms: int = 8000, parent=None):
        super().__init__(parent)
        self.reduce_motion = reduce_motion
        self._duration_ms = duration_ms
        self._progress = 1.0 if reduce_motion else 0.0
        self._animation: QVariantAnimation | None = None  # made on first play, never in reduce motion
        self._play_on_show = not reduce_motion
        self._resume_on_show = False
        self._told_finished = False
        self._last_frame: float | None = None
        self._frame_gaps: list[float] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        self.picture = _Picture(lambda: self._progress, QSize(480, 360), on_painted=self._note_frame)
        self.picture.setAccessibleName("animation: cement going into the broken bone")
        layout.addWidget(self.picture, 3)

        self.stills: list[QWidget] = []
        self.step_captions: list[QLabel] = []
        self.steps_row = QWidget()
        self.steps_row.setObjectName("steps")
        self.steps_row.setStyleSheet("#steps { background: transparent; }")  # the frame's card shows
        grid = QGridLayout(self.steps_row)  # one row of stills, one of captions: captions line up
        grid.setContentsMargins(0, 0, 0, 0)
        for i, moment in enumerate(STILL_MOMENTS):
            if i:
                grid.addWidget(_StepArrow(), 0, 2 * i - 1)
            still = _Picture(lambda m=moment: m, QSize(192, 108), STILL_VIEW, bottom=True)
            caption = QLabel()
            caption.setWordWrap(True)
            caption.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
            caption.setStyleSheet(f"font-size: {SMALL_PX}px;")
            grid.addWidget(still, 0, 2 * i)
            grid.addWidget(caption, 1, 2 * i)
            grid.setColumnStretch(2 * i, 1)
            self.stills.append(still)
            self.step_captions.append(caption)
        self.steps_row.setVisible(reduce_motion)
        layout.addWidget(self.steps_row, 2)

        self.replay_button = QPushButton()
        self.replay_button.setIcon(_replay_icon())
        self.replay_button.setIconSize(QSize(44, 44))
        self.replay_button.setMinimumHeight(BUTTON_MIN_PX)
        self.replay_button.clicked.connect(self.replay)
        self.replay_button.setVisible(not reduce_motion)
        layout.addWidget(self.replay_button, 0, Qt.AlignHCenter)

    # -- texts and geometry

    def set_texts(self, *, replay: str | None = None, steps: list[str] | None = None) -> None:
        """Translated words: the Replay button, and the three step captions (reduce motion)."""
        if replay is not None:
            self.replay_button.setText(replay)
        if steps is not None:
            if len(steps) != len(self.step_captions):
                raise ValueError(f"expected {len(self.step_captions)} step captions, got {len(steps)}")
            for caption, text in zip(self.step_captions, steps):
                caption.setText(text)

    @staticmethod
    def needle_tip(progress: float) -> QPointF:
        """The needle's tip at `progress`, in picture units (800 x 600)."""
        return needle_tip(progress)

    @staticmethod
    def body_path() -> QPainterPath:
        """The vertebral body's outline, in picture units (800 x 600)."""
        return body_path()

    # -- progress

    def _get_progress(self) -> float:
        return self._progress

    def _show_moment(self, value) -> None:
        self._progress = min(1.0, max(0.0, float(value)))
        self.picture.update()
        self.progress_changed.emit(self._progress)

    def set_progress(self, p: float) -> None:
        """Draw the moment `p` (0..1) and stay there: stops any playing, cancels autoplay."""
        if self._animation is not None:
            self._animation.stop()
        self._play_on_show = self._resume_on_show = False
        self._show_moment(p)

    progress = Property(float, _get_progress, set_progress, notify=progress_changed)

    # -- playing

    def is_running(self) -> bool:
        """True while the timer ticks (never while hidden, paused or finished)."""
        return self._animation is not None and self._animation.state() == QAbstractAnimation.Running

    def play(self) -> None:
        """Play from the start; if hidden, wait and start when shown. Ignored with reduce motion."""
        if self.reduce_motion:
            return
        if self._animation is None:
            self._animation = QVariantAnimation(self)
            self._animation.setStartValue(0.0)
            self._animation.setEndValue(1.0)
            self._animation.setDuration(self._duration_ms)  # linear; each phase eases itself
            self._animation.valueChanged.connect(self._show_moment)
            self._animation.finished.connect(self._on_finished)
        self._animation.stop()
        self._frame_gaps, self._last_frame = [], None
        self._resume_on_show = False
        self._show_moment(0.0)
        self._play_on_show = not self.isVisible()
        if self.isVisible():
            self._animation.start()

    def replay(self) -> None:
        """Same as play(): what the Replay button does."""
        self.play()

    def pause(self) -> None:
        """Hold the current moment; unlike a pause caused by hiding, showing does not resume it."""
        if self.is_running():
            self._animation.pause()
        self._resume_on_show = False
        self._last_frame = None

    def resume(self) -> None:
        """Continue after pause(); if hidden, continue once shown."""
        if self._animation is None or self._animation.state() != QAbstractAnimation.Paused:
            return
        if self.isVisible():
            self._animation.resume()
        else:
            self._resume_on_show = True

    def frame_times_ms(self) -> list[float]:
        """Milliseconds between consecutive painted frames while playing (since the last play())."""
        return list(self._frame_gaps)

    def _note_frame(self) -> None:
        if not self.is_running():
            self._last_frame = None
            return
        now = time.perf_counter()
        if self._last_frame is not None:
            self._frame_gaps.append((now - self._last_frame) * 1000)
        self._last_frame = now

    def _on_finished(self) -> None:
        if self._progress != 1.0:
            self._show_moment(1.0)
        self._last_frame = None
        self.finished.emit()

    # -- the timer rule: run only while visible

    def showEvent(self, event):
        super().showEvent(event)
        if self.reduce_motion:
            if not self._told_finished:
                self._told_finished = True
                self.finished.emit()
        elif self._play_on_show:
            self.play()
        elif self._resume_on_show:
            self._resume_on_show = False
            self._animation.resume()

    def hideEvent(self, event):
        super().hideEvent(event)
        if self.is_running():
            self._animation.pause()
            self._resume_on_show = True
            self._last_frame = None
