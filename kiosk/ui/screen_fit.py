"""What keeps every patient screen inside its screen: a page stack as big as the page shown,
and scroll areas a finger can drag.

A QStackedWidget is as big as the biggest page it holds, shown or not: once the name page (with
its keyboard) was in the stack, every later page asked for its height, and at 1280x800 the
window grew past the screen. `CurrentPageStack` asks only for the page on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QScroller, QScrollerProperties, QStackedWidget


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
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    props = scroller.scrollerProperties()
    off = QScrollerProperties.OvershootAlwaysOff
    props.setScrollMetric(QScrollerProperties.VerticalOvershootPolicy, off)
    props.setScrollMetric(QScrollerProperties.HorizontalOvershootPolicy, off)
    # A press reaches the button under the finger at once (no 0.25 s wait, so a tap is a tap);
    # once the finger has moved far enough to scroll, the scroller takes that press back.
    props.setScrollMetric(QScrollerProperties.MousePressEventDelay, 0)
    scroller.setScrollerProperties(props)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    return area
