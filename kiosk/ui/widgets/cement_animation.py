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

Colours follow the theme's palette (`theme.palette()`, chosen by `theme.install`): in high
contrast the scene takes the still pictures' strong tones and thicker outlines.
"""

from __future__ import annotations

import time

from PySide6.QtCore import (Property, QAbstractAnimation, QPointF, QRectF, QSize, Qt,
                            QVariantAnimation, Signal)
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPixmap, QPolygonF
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.theme import BUTTON_MIN_PX, SMALL_PX

from kiosk.ui.widgets.cement_scene import (  # noqa: F401 - the scene's names are part of this API
    CEMENT,
    FULL_VIEW,
    STILL_MOMENTS,
    STILL_VIEW,
    _pen,
    _to_widget,
    body_path,
    bone_path,
    cement_path,
    cord_path,
    needle_path,
    needle_tip,
    paint_moving_parts,
    paint_still_parts,
    picture_rect,
    scene_colours,
)


class _Picture(QWidget):
    """Paints one moment; the still parts come from a pixmap cached for the current size."""

    def __init__(self, moment, minimum: QSize, view: QRectF = FULL_VIEW, *, bottom: bool = False,
                 on_painted=None, palette: theme.Palette = theme.NORMAL, parent=None):
        super().__init__(parent)
        self._card = palette.card
        self._colours = scene_colours(palette.high_contrast)
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
                p.fillRect(picture_rect(self.size(), self._view, self._bottom), QColor(self._card))
                p.setRenderHint(QPainter.Antialiasing)
                p.setTransform(_to_widget(self.size(), self._view, self._bottom))
                p.setClipRect(self._view)
                paint_still_parts(p, self._colours)
            self._cache_key = key
        return self._cache

    def paintEvent(self, event):
        with QPainter(self) as p:
            p.drawPixmap(0, 0, self._still_pixmap())
            p.setRenderHint(QPainter.Antialiasing)
            p.setTransform(_to_widget(self.size(), self._view, self._bottom))
            p.setClipRect(self._view)
            paint_moving_parts(p, self._moment(), self._colours)
        if self._on_painted is not None:
            self._on_painted()


class _StepArrow(QWidget):
    """A chevron pointing the way the steps are read (mirrored for right-to-left languages)."""

    def __init__(self, colour: str, parent=None):
        super().__init__(parent)
        self._colour = colour
        self.setFixedWidth(36)

    def paintEvent(self, event):
        with QPainter(self) as p:
            p.setRenderHint(QPainter.Antialiasing)
            p.setPen(_pen(self._colour, 6))
            x, y = self.width() / 2, self.height() / 2
            d = -1 if self.layoutDirection() == Qt.RightToLeft else 1
            p.drawPolyline(QPolygonF([QPointF(x - 8 * d, y - 16), QPointF(x + 8 * d, y), QPointF(x - 8 * d, y + 16)]))


def _replay_icon(colour: str, px: int = 44) -> QIcon:
    """A round arrow, so the button reads even before its word does."""
    pixmap = QPixmap(px * 2, px * 2)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.transparent)
    with QPainter(pixmap) as p:
        p.setRenderHint(QPainter.Antialiasing)
        p.setPen(_pen(colour, px / 9))
        m = px * 0.2
        p.drawArc(QRectF(m, m, px - 2 * m, px - 2 * m), 100 * 16, 290 * 16)
        p.setPen(Qt.NoPen)
        p.setBrush(QColor(colour))
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

    def __init__(self, *, reduce_motion: bool = False, duration_ms: int = 8000,
                 high_contrast: bool | None = None, parent=None):
        """`high_contrast` None: the palette theme.install() chose."""
        super().__init__(parent)
        self.palette_ = theme.palette(high_contrast)
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
        self.picture = _Picture(lambda: self._progress, QSize(480, 360), on_painted=self._note_frame,
                                palette=self.palette_)
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
                grid.addWidget(_StepArrow(self.palette_.line), 0, 2 * i - 1)
            still = _Picture(lambda m=moment: m, QSize(192, 108), STILL_VIEW, bottom=True, palette=self.palette_)
            caption = QLabel()
            caption.setWordWrap(True)
            caption.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
            caption.setStyleSheet(f"font-size: {max(SMALL_PX, theme.TEXT.small)}px;")  # grows with large text
            grid.addWidget(still, 0, 2 * i)
            grid.addWidget(caption, 1, 2 * i)
            grid.setColumnStretch(2 * i, 1)
            self.stills.append(still)
            self.step_captions.append(caption)
        self.steps_row.setVisible(reduce_motion)
        layout.addWidget(self.steps_row, 2)

        self.replay_button = QPushButton()
        self.replay_button.setIcon(_replay_icon(self.palette_.primary))
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

    def warm_up(self, size: QSize) -> None:
        """Lay out at `size` and draw the still parts into their cache now: the page is built
        while the previous one is read (KioskWindow._prebuild_next), so that its first frame on
        screen draws only the moving parts (bench/bench_pages.py)."""
        self.resize(size)
        self.layout().activate()
        for picture in (self.picture, *self.stills):
            if picture.isVisibleTo(self) and not picture.size().isEmpty():
                picture._still_pixmap()

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
