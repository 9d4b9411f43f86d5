"""The picture area of an education page.

Shows `assets/illustrations/<name>.svg`, rendered once per size into a cached pixmap (never in
every paint). Until an illustration is drawn, a calm placeholder sketch of the spine stands in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui.theme import CARD, LINE, PRIMARY

ILLUSTRATIONS_DIR = Path(__file__).resolve().parents[3] / "assets" / "illustrations"

_cache: dict[tuple[str, int, int], QPixmap] = {}


def _render(name: str, size: QSize) -> QPixmap:
    key = (name, size.width(), size.height())
    if key not in _cache:
        pixmap = QPixmap(size)
        pixmap.fill(QColor(CARD))
        with QPainter(pixmap) as p:
            p.setRenderHint(QPainter.Antialiasing)
            svg = ILLUSTRATIONS_DIR / f"{name}.svg"
            renderer = QSvgRenderer(str(svg)) if svg.exists() else None
            if renderer is not None and renderer.isValid():
                view = renderer.viewBoxF()
                scale = min(size.width() / view.width(), size.height() / view.height())
                w, h = view.width() * scale, view.height() * scale
                renderer.render(p, QRectF((size.width() - w) / 2, (size.height() - h) / 2, w, h))
            else:
                _placeholder(p, size)
        _cache[key] = pixmap
    return _cache[key]


def _placeholder(p: QPainter, size: QSize) -> None:
    """A column of seven soft vertebrae, the middle one highlighted: no words, any language."""
    w, h = size.width(), size.height()
    block_h = h / 10
    for i in range(7):
        y = h * 0.12 + i * block_h * 1.15
        p.setPen(Qt.NoPen)
        p.setBrush(QColor(PRIMARY) if i == 3 else QColor(LINE).lighter(125))
        p.drawRoundedRect(QRectF(w * 0.38, y, w * 0.24, block_h), 12, 12)


class PictureView(QWidget):
    """Draws the named illustration, scaled to fit, from the per-size cache."""

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.name = name
        self.setMinimumSize(360, 300)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setAccessibleName(f"illustration {name}")

    def paintEvent(self, event):
        if self.width() <= 0 or self.height() <= 0:
            return
        with QPainter(self) as p:
            p.drawPixmap(0, 0, _render(self.name, self.size()))
