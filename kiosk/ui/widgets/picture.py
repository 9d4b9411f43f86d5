"""The picture area of an education page: an illustration with its labels in the patient's
language, drawn on top by the kiosk (the pictures themselves hold no words).

Each (picture, size, language, contrast) is rendered once into a cached pixmap; a paint only
copies that pixmap. Right-to-left languages mirror the pictures whose left and right carry
meaning (`mirror_for_rtl` in the picture's labels file) and their labels with them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.content.illustrations import illustration, svg_bytes

LABEL_PX = 26
INK = QColor("#1b2631")

_cache: dict[tuple, QPixmap] = {}
render_counts: Counter = Counter()  # picture name -> times its SVG was rendered (tests, bench)


@dataclass(frozen=True)
class PictureStyle:
    """How pictures are shown: in which language's labels, mirrored or not, high contrast."""

    labels: tuple[tuple[str, str], ...] = ()  # (label id, text) for this picture
    rtl: bool = False
    high_contrast: bool = False


def _label_font(size: QSize) -> QFont:
    """Label words scale with the picture: 26 px on a full-HD page, never below 20 px."""
    font = QFont("DejaVu Sans")
    font.setPixelSize(int(min(LABEL_PX, max(20, size.width() / 26))))
    font.setBold(True)
    return font


def render_picture(name: str, size: QSize, style: PictureStyle) -> QPixmap:
    """The picture at `size` with its labels; from the cache when it was drawn before."""
    key = (name, size.width(), size.height(), style)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    render_counts[name] += 1
    art = illustration(name)
    mirrored = style.rtl and art.mirror_for_rtl
    pixmap = QPixmap(size)
    pixmap.fill(QColor("#ffffff"))
    renderer = QSvgRenderer(QByteArray(svg_bytes(name, high_contrast=style.high_contrast)))
    view = renderer.viewBoxF()
    margin = 8
    scale = min((size.width() - 2 * margin) / view.width(), (size.height() - 2 * margin) / view.height())
    target = QRectF((size.width() - view.width() * scale) / 2, (size.height() - view.height() * scale) / 2,
                    view.width() * scale, view.height() * scale)
    with QPainter(pixmap) as p:
        p.setRenderHint(QPainter.Antialiasing)
        p.save()
        if mirrored:
            p.translate(size.width(), 0)
            p.scale(-1, 1)
        renderer.render(p, target)
        p.restore()
        texts = dict(style.labels)
        for label in art.labels:
            if label.id in texts:
                x, y = label.anchor
                side = label.side
                if mirrored:
                    x = 1 - x
                    side = {"left": "right", "right": "left"}.get(side, side)
                _draw_label(p, texts[label.id], QPointF(target.x() + x * target.width(),
                                                        target.y() + y * target.height()), side, size)
    _cache[key] = pixmap
    return pixmap


def _draw_label(p: QPainter, text: str, anchor: QPointF, side: str, size: QSize) -> None:
    """A white box with the words, and a line from it to the thing it names."""
    p.setFont(_label_font(size))
    metrics = QFontMetricsF(p.font())
    max_width = max(160.0, size.width() * 0.36)
    bounds = metrics.boundingRect(QRectF(0, 0, max_width, 400), Qt.TextWordWrap | Qt.AlignCenter, text)
    box = QRectF(0, 0, bounds.width() + 24, bounds.height() + 14)
    gap = 46
    centre = {"left": QPointF(anchor.x() - gap - box.width() / 2, anchor.y()),
              "right": QPointF(anchor.x() + gap + box.width() / 2, anchor.y()),
              "top": QPointF(anchor.x(), anchor.y() - gap - box.height() / 2),
              "bottom": QPointF(anchor.x(), anchor.y() + gap + box.height() / 2)}[side]
    box.moveCenter(centre)
    box.moveLeft(min(max(box.left(), 4), size.width() - box.width() - 4))
    box.moveTop(min(max(box.top(), 4), size.height() - box.height() - 4))
    edge = QPointF(min(max(anchor.x(), box.left()), box.right()), min(max(anchor.y(), box.top()), box.bottom()))
    p.setPen(QPen(INK, 3, Qt.SolidLine, Qt.RoundCap))
    p.drawLine(edge, anchor)
    p.setBrush(INK)
    p.drawEllipse(anchor, 6, 6)
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(box, 10, 10)
    p.setPen(INK)
    p.drawText(box, Qt.TextWordWrap | Qt.AlignCenter, text)


def picture_style(pack, name: str, *, high_contrast: bool = False) -> PictureStyle:
    """The labels of picture `name` in `pack`'s language, and its direction."""
    labels = tuple((label.id, pack.picture_label(name, label.id)) for label in illustration(name).labels)
    return PictureStyle(labels, pack.direction == "rtl", high_contrast)


class PictureView(QWidget):
    """Draws one illustration, scaled to fit, from the per-size cache."""

    def __init__(self, name: str, style: PictureStyle = PictureStyle(), parent=None, *, minimum=(360, 270)):
        super().__init__(parent)
        self.name = name
        self.style_ = style
        self.setMinimumSize(*minimum)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setAccessibleName(f"illustration {name}")

    def pixmap(self) -> QPixmap:
        return render_picture(self.name, self.size(), self.style_)

    def paintEvent(self, event):
        if self.width() <= 0 or self.height() <= 0:
            return
        with QPainter(self) as p:
            p.drawPixmap(0, 0, self.pixmap())
