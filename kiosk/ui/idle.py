"""Idle watch: no touch for a while asks "Are you still there?", then ends the session."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.pages.base import button, label

_ACTIVITY = {QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.TouchBegin, QEvent.TouchUpdate,
             QEvent.KeyPress, QEvent.Wheel}


class IdleWatch(QObject):
    """Application-wide event filter: any touch restarts the timer; `idle` fires after the wait."""

    idle = Signal()

    def __init__(self, seconds: int, parent=None):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(seconds * 1000)
        self.timer.timeout.connect(self.idle)

    def eventFilter(self, obj, event):
        if self.timer.isActive() and event.type() in _ACTIVITY:  # idle: no event type read (no enum made)
            self.timer.start()
        return False

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


class StillTherePrompt(QWidget):
    """Covers the whole window: a large question, a countdown and one big button."""

    stay = Signal()
    expired = Signal()

    def __init__(self, ctx, seconds: int, parent=None):
        super().__init__(parent)
        from PySide6.QtCore import Qt  # built when the first session starts, not before

        self.ctx = ctx
        self.seconds = seconds
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setStyleSheet("StillTherePrompt { background: rgba(27, 38, 49, 200); }")
        box = QWidget(self)
        box.setObjectName("box")
        box.setStyleSheet("#box { background: white; border-radius: 24px; }")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(56, 48, 56, 48)
        layout.setSpacing(24)
        self.question = label(ctx.ui("idle_title"), "title")
        self.question.setAlignment(Qt.AlignCenter)
        self.countdown = label("", None)
        self.countdown.setAlignment(Qt.AlignCenter)
        self.stay_button = button(ctx.ui("idle_stay"), "primary", self._stay)
        self.stay_button.setMinimumHeight(120)
        layout.addWidget(self.question)
        layout.addWidget(self.countdown)
        layout.addWidget(self.stay_button)
        self.box = box
        self._focus = None
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._tick)
        self.hide()

    def open(self) -> None:
        from PySide6.QtWidgets import QApplication

        self._focus = QApplication.focusWidget()  # given back, as it was, when the patient stays
        self.remaining = self.seconds
        self._show_remaining()
        self.setGeometry(self.parentWidget().rect())
        self.box.setFixedWidth(min(900, self.width() - 80))
        self.box.adjustSize()
        self.box.move((self.width() - self.box.width()) // 2, (self.height() - self.box.height()) // 2)
        self.show()
        self.raise_()
        self.tick.start()

    def close_prompt(self) -> None:
        self.tick.stop()
        self._focus = None
        self.hide()

    def _show_remaining(self) -> None:
        key = "idle_countdown_one" if self.remaining == 1 else "idle_countdown"
        self.countdown.setText(self.ctx.ui(key, seconds=self.remaining))

    def _tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self.close_prompt()
            self.expired.emit()
        else:
            self._show_remaining()

    def _stay(self) -> None:
        widget = self._focus
        self.close_prompt()
        self._give_focus_back(widget)
        self.stay.emit()

    @staticmethod
    def _give_focus_back(widget) -> None:
        """Focus returns where it was, text unselected: hiding the prompt moved it on as a Tab
        would, and a line edit that gets focus by Tab selects all, so the next key replaced
        the whole name."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QLineEdit

        if widget is None or not widget.isVisible():
            return
        widget.setFocus(Qt.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.deselect()
