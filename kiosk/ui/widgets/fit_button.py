"""Buttons whose words shrink a little to fit, rather than being cut or widening the window."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPushButton, QSizePolicy

FIT_FLOOR = 0.6  # a label may shrink to this share of its size to fit, never further


class FitButton(QPushButton):
    """A button that asks for the room its words need at the theme's size, and accepts as
    little as they need at FIT_FLOOR of it: given less than it asked for, its label shrinks to
    fit instead of being cut. So "Alles löschen" and "Великі літери" fit beside a keyboard's
    other keys, and a station's header fits a 1280 px screen in a language with long words.

    `air`: the border and padding either side of the label, in pixels (a key's: 3 + 6)."""

    def __init__(self, text: str, *, air: int = 2 * (3 + 6)):
        super().__init__(text)
        self._air = air
        self._base_px: int | None = None
        self._sheet = ""  # the button's own style sheet, kept under the font size _fit adds
        self.setSizePolicy(QSizePolicy.Preferred, self.sizePolicy().verticalPolicy())

    def setStyleSheet(self, sheet: str) -> None:  # noqa: N802 - Qt's name
        self._sheet = sheet
        super().setStyleSheet(sheet)
        self._base_px = None
        self._fit()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.updateGeometry()
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        return QSize(max(self.minimumWidth(), self.needed_width()), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        return QSize(max(self.minimumWidth(), self.needed_width(self._floor())), hint.height())

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit()

    def needed_width(self, px: int | None = None) -> int:
        """The width this button's label needs at `px` (the theme's size when None), with air."""
        from PySide6.QtGui import QFont, QFontMetrics

        font = QFont(self.font())
        font.setPixelSize(px or self._base())
        return QFontMetrics(font).horizontalAdvance(self.text()) + self._air

    def _base(self) -> int:
        if self._base_px is None:
            self.ensurePolished()
            px = self.font().pixelSize()
            self._base_px = px if px > 0 else 24
        return self._base_px

    def _floor(self) -> int:
        return max(1, round(self._base() * FIT_FLOOR))

    def _fit(self) -> None:
        base = self._base()
        if self.width() <= 0 or not self.text():
            return
        px = base
        while px > self._floor() and self.needed_width(px) > self.width():
            px -= 1
        if px != self.font().pixelSize():
            # a widget's own sheet: the application's style sheet would override setFont
            shrink = f" QPushButton {{ font-size: {px}px; }}" if px != base else ""
            super().setStyleSheet(self._sheet + shrink)
