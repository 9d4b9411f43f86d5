"""What keeps every patient screen inside its screen: a page stack as big as the page shown,
and scroll areas a finger can drag.

A QStackedWidget is as big as the biggest page it holds, shown or not: once the name page (with
its keyboard) was in the stack, every later page asked for its height, and at 1280x800 the
window grew past the screen. `CurrentPageStack` asks only for the page on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSize
from PySide6.QtWidgets import QAbstractScrollArea, QStackedWidget, QWidget

# `Qt` and `QEvent` are imported where used: touching them builds their Python enums (~15 ms),
# and this module is on the Welcome screen's start-up path (CurrentPageStack).


class CurrentPageStack(QStackedWidget):
    """A QStackedWidget whose size hints are the current page's alone."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


def finger_scrolling(area: QAbstractScrollArea) -> QAbstractScrollArea:
    """Make `area` scroll when a finger (or the mouse) drags its content, with a flick that
    glides on and stops at the ends without bouncing; a tap still reaches what is under it.
    The scrollbar's size comes from the style sheet (`theme`)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScroller, QScrollerProperties

    viewport = area.viewport()
    scroller = QScroller.scroller(viewport)
    props = scroller.scrollerProperties()
    off = QScrollerProperties.OvershootAlwaysOff
    props.setScrollMetric(QScrollerProperties.VerticalOvershootPolicy, off)
    props.setScrollMetric(QScrollerProperties.HorizontalOvershootPolicy, off)
    scroller.setScrollerProperties(props)
    _FingerDrag(area, scroller)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    return area


class _FingerDrag(QObject):
    """Feeds the scroller every press, move and release on the area's content, buttons too.

    `QScroller.grabGesture(viewport, LeftMouseButtonGesture)` scrolled under QTest but not on
    a real X server when the drag began on a statement (a button inside the viewport): the
    gesture never started. Fed here directly, the scroller drags and flicks on any platform.
    A press still reaches the button at once (a tap is a tap); once the finger has moved far
    enough for the scroller to drag, the button is let go, so the drag ticks nothing."""

    def __init__(self, area: QAbstractScrollArea, scroller):
        from PySide6.QtCore import QEvent, Qt
        from PySide6.QtWidgets import QScroller

        super().__init__(area)
        self._press = (QEvent.MouseButtonPress, QEvent.MouseButtonDblClick)
        self._mouse = (*self._press, QEvent.MouseMove, QEvent.MouseButtonRelease)
        self._move, self._left = QEvent.MouseMove, Qt.LeftButton
        self._inputs = (QScroller.InputPress, QScroller.InputMove, QScroller.InputRelease)
        self._drag_state = QScroller.Dragging
        self.viewport = area.viewport()
        self.scroller = scroller
        self._pressed = None
        self._dragging = False
        scroller.stateChanged.connect(self._state_changed)
        _hub().add(self)

    def wants(self, obj) -> bool:
        return obj is self.viewport or self.viewport.isAncestorOf(obj)

    def handle(self, obj, event, kind):
        where = event.globalPosition()
        if kind in self._press:  # a press soon after a tap on the same place comes as a double-click
            if event.button() == self._left and self._pressed is None:  # not again as it bubbles up
                self._pressed, self._dragging = obj, False
                self.scroller.handleInput(self._inputs[0], where, event.timestamp())
            return False
        if self._pressed is None:
            return False
        if kind == self._move:
            self.scroller.handleInput(self._inputs[1], where, event.timestamp())
            return self._dragging  # a dragging finger never presses the button again
        self.scroller.handleInput(self._inputs[2], where, event.timestamp())
        self._pressed = None
        return False  # the button was let go when the drag began: this release clicks nothing

    def _state_changed(self, state) -> None:
        from PySide6.QtWidgets import QAbstractButton

        if state == self._drag_state and self._pressed is not None:
            self._dragging = True
            if isinstance(self._pressed, QAbstractButton):
                self._pressed.setDown(False)



class _FingerDragHub(QObject):
    """ONE application event filter for every finger-scrolled area (each page has one or two,
    and a session builds ~40 pages): a filter per area ran every event of the application
    through dozens of Python calls. Here a non-mouse event costs one integer test."""

    def __init__(self, app):
        from PySide6.QtCore import QEvent

        super().__init__(app)
        self._mouse = frozenset(int(kind.value) for kind in (
            QEvent.MouseButtonPress, QEvent.MouseButtonDblClick, QEvent.MouseMove, QEvent.MouseButtonRelease))
        self._drags: list[_FingerDrag] = []
        app.installEventFilter(self)

    def add(self, drag: "_FingerDrag") -> None:
        self._drags.append(drag)
        drag.destroyed.connect(lambda *_: self._forget(drag))

    def _forget(self, drag) -> None:
        self._drags = [d for d in self._drags if d is not drag]

    def eventFilter(self, obj, event):
        if int(event.type().value) not in self._mouse or not self._drags or not isinstance(obj, QWidget):
            return False
        kind = event.type()
        for drag in self._drags:
            try:
                if drag.wants(obj):
                    return drag.handle(obj, event, kind)
            except RuntimeError:  # its area was deleted a moment ago
                self._forget(drag)
        return False


_the_hub: _FingerDragHub | None = None


def _hub() -> _FingerDragHub:
    global _the_hub
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if _the_hub is None or _the_hub.parent() is not app:
        _the_hub = _FingerDragHub(app)
    return _the_hub
