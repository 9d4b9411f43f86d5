"""A big button whose text wraps: long answers and statements stay readable on one screen.

QPushButton never wraps its text; a long statement would widen the whole window past the
screen. Here a word-wrapped QLabel sits inside the button and gives it its height.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy


class WrapButton(QPushButton):
    """Behaves as a QPushButton (click, check, enable); `text()` is the wrapped label's, and so
    is its accessible name (what a screen reader says)."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(parent)
        from PySide6.QtCore import Qt  # not on the Welcome screen's start-up path

        self._label = QLabel(text, self)
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.PlainText)
        self._label.setAttribute(Qt.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 10, 24, 10)
        layout.addWidget(self._label)
        policy = QSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName(text)

    def text(self) -> str:  # noqa: D401 - mirrors QPushButton.text
        return self._label.text()

    def setText(self, text: str) -> None:
        self._label.setText(text)
        # QPushButton's own text is empty: a screen reader would say only "button".
        self.setAccessibleName(text)
        self.updateGeometry()

    def label(self) -> QLabel:
        return self._label
