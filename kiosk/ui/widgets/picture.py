"""The picture area of an education page: an illustration with its labels in the patient's
language, drawn on top by the kiosk (the pictures themselves hold no words).

Where the labels go is decided without Qt (`kiosk.content.label_layout.place_labels`): this
module only measures the words, hands over the boxes' sizes, and paints what comes back. Each
(picture, size, language, contrast, text size) is rendered once into a cached pixmap; a paint
only copies that pixmap. Right-to-left languages mirror the pictures whose left and right carry
meaning (`mirror_for_rtl` in the picture's labels file) and their labels with them.
"""

from __future__ import annotations

import re

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF, QPainter, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.content.illustrations import illustration, svg_bytes
from kiosk.content.label_layout import LabelRequest, PlacedLabel, Rect, Spacing, place_labels

LABEL_PX = 26      # label words on a full-HD page with normal text
MIN_LABEL_PX = 20  # never smaller, however small the picture
BODY_PX = 28       # the theme's body text at full HD, which LABEL_PX goes with
INK = QColor("#1b2631")
TEXT_FLAGS = Qt.TextWordWrap | Qt.AlignHCenter | Qt.AlignTop
ART_MARGIN = 8

_cache: dict[tuple, QPixmap] = {}
_layouts: dict[tuple, tuple[DrawnLabel, ...]] = {}
render_counts: Counter = Counter()  # picture name -> times its SVG was rendered (tests, bench)


@dataclass(frozen=True)
class PictureStyle:
    """How pictures are shown: in which language's labels, mirrored or not, high contrast."""

    labels: tuple[tuple[str, str], ...] = ()  # (label id, text) for this picture
    rtl: bool = False
    high_contrast: bool = False


@dataclass(frozen=True)
class DrawnLabel:
    """One label as painted: its words wrapped at `wrap_width`, in `placed.box`."""

    text: str
    placed: PlacedLabel
    wrap_width: float
    font_px: int

    def box(self) -> QRectF:
        b = self.placed.box
        return QRectF(b.x, b.y, b.w, b.h)


def label_px(size: QSize, text_px: int = BODY_PX) -> int:
    """Label words go with the body text (`text_px`, larger with large text), a little smaller,
    and shrink with a narrow picture: 26 px on a full-HD page, never below 20 px."""
    return max(MIN_LABEL_PX, min(round(text_px * LABEL_PX / BODY_PX), round(size.width() / 26)))


def label_font(px: int) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPixelSize(px)
    font.setBold(True)
    return font


def _padding(px: int) -> tuple[float, float]:
    return 12 * px / LABEL_PX, 7 * px / LABEL_PX


def _spacing(px: int) -> Spacing:
    return Spacing(gap=1.75 * px, margin=4, clear=16, between=6)


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_PIECE = re.compile(f"[{_CJK}]|[^{_CJK}]+")


def unbreakable(text: str) -> list[str]:
    """The pieces a label's line may not break inside: words, and each Chinese character on its
    own (Chinese has no spaces; Qt breaks its lines between any two characters)."""
    return [piece for word in text.split() for piece in _PIECE.findall(word)] or [text]


def _box_sizes(text: str, metrics: QFontMetricsF, size: QSize, px: int) -> list[tuple[float, tuple[float, float]]]:
    """(wrap width, box size) for each way the words may wrap: on 1 to 4 balanced lines (each
    as narrow as that many lines allow), preferred first: the fewest lines no wider than about
    a third of the picture, then more lines, then fewer. Words are kept whole: a label is
    never cut short."""
    pad_x, pad_y = _padding(px)
    line = metrics.lineSpacing()

    def wrapped(width: float) -> QRectF:
        return metrics.boundingRect(QRectF(0, 0, width, 10_000), TEXT_FLAGS, text)

    widest = metrics.horizontalAdvance(text) + 2
    narrowest = max(metrics.horizontalAdvance(piece) for piece in unbreakable(text)) + 2
    options: dict[int, tuple[float, tuple[float, float]]] = {}
    for lines in range(1, 5):
        low, high = narrowest, widest  # the narrowest width that needs at most `lines` lines
        if round(wrapped(low).height() / line) > lines:
            for _ in range(12):
                middle = (low + high) / 2
                if round(wrapped(middle).height() / line) > lines:
                    low = middle
                else:
                    high = middle
            low = high
        bounds = wrapped(low)
        options.setdefault(round(bounds.height() / line), (low, (bounds.width() + 2 * pad_x, bounds.height() + 2 * pad_y)))
    counts = sorted(options)
    comfortable = max(160.0 * px / LABEL_PX, size.width() * 0.36)
    first = next((n for n in counts if options[n][1][0] <= comfortable), counts[-1])
    order = [n for n in counts if n >= first] + [n for n in reversed(counts) if n < first]
    return [options[n] for n in order]


def picture_target(size: QSize) -> QRectF:
    """Where the 800 x 600 art is drawn in a widget of `size`: centred, as large as fits."""
    scale = min((size.width() - 2 * ART_MARGIN) / 800, (size.height() - 2 * ART_MARGIN) / 600)
    return QRectF((size.width() - 800 * scale) / 2, (size.height() - 600 * scale) / 2, 800 * scale, 600 * scale)


def label_requests(name: str, size: QSize, style: PictureStyle, text_px: int = BODY_PX):
    """What `place_labels` is given for picture `name` at `size`: the widget's area, one request
    per label (its point, side, and box sizes from the measured words), the spacing; and each
    request's wrap widths, in the order of its sizes."""
    art = illustration(name)
    mirrored = style.rtl and art.mirror_for_rtl
    target = picture_target(size)
    px = label_px(size, text_px)
    metrics = QFontMetricsF(label_font(px))
    texts = dict(style.labels)
    requests, wraps = [], {}
    for label in art.labels:
        if label.id not in texts:
            continue
        x, y = label.anchor
        side = label.side
        if mirrored:
            x, side = 1 - x, {"left": "right", "right": "left"}.get(side, side)
        options = _box_sizes(texts[label.id], metrics, size, px)
        wraps[label.id] = [width for width, _ in options]
        requests.append(LabelRequest(label.id, (target.x() + x * target.width(), target.y() + y * target.height()),
                                     side, tuple(box for _, box in options)))
    return Rect(0, 0, size.width(), size.height()), requests, _spacing(px), wraps


def label_layout(name: str, size: QSize, style: PictureStyle, text_px: int = BODY_PX) -> tuple[DrawnLabel, ...]:
    """The labels of picture `name` as they are painted at `size`: measured here, placed by
    `place_labels` (those that fit; the others are left out)."""
    key = (name, size.width(), size.height(), style, text_px)
    if key not in _layouts:
        area, requests, spacing, wraps = label_requests(name, size, style, text_px)
        texts = dict(style.labels)
        px = label_px(size, text_px)
        _layouts[key] = tuple(DrawnLabel(texts[p.id], p, wraps[p.id][p.size_index], px)
                              for p in place_labels(area, requests, spacing))
    return _layouts[key]


def render_picture(name: str, size: QSize, style: PictureStyle, text_px: int = BODY_PX) -> QPixmap:
    """The picture at `size` with its labels; from the cache when it was drawn before."""
    key = (name, size.width(), size.height(), style, text_px)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    render_counts[name] += 1
    mirrored = style.rtl and illustration(name).mirror_for_rtl
    pixmap = QPixmap(size)
    pixmap.fill(QColor("#ffffff"))
    renderer = QSvgRenderer(QByteArray(svg_bytes(name, high_contrast=style.high_contrast)))
    with QPainter(pixmap) as p:
        p.setRenderHint(QPainter.Antialiasing)
        p.save()
        if mirrored:
            p.translate(size.width(), 0)
            p.scale(-1, 1)
        renderer.render(p, picture_target(size))
        p.restore()
        drawn = label_layout(name, size, style, text_px)
        for label in drawn:  # every line and point first, so no line is ever drawn over words
            _draw_line(p, label.placed)
        for label in drawn:
            _draw_box(p, label)
    _cache[key] = pixmap
    return pixmap


def _draw_line(p: QPainter, placed: PlacedLabel) -> None:
    """The line from the label to the thing it names, and a dot on that thing."""
    anchor = QPointF(*placed.anchor)
    p.setPen(QPen(INK, 3, Qt.SolidLine, Qt.RoundCap))
    p.drawLine(QPointF(*placed.line_end), anchor)
    p.setBrush(INK)
    p.drawEllipse(anchor, 6, 6)


def _draw_box(p: QPainter, label: DrawnLabel) -> None:
    """A white box with the words, wrapped exactly as they were measured."""
    box = label.box()
    p.setPen(QPen(INK, 3))
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(box.adjusted(1.5, 1.5, -1.5, -1.5), 10, 10)
    p.setFont(label_font(label.font_px))
    p.setPen(INK)
    _, pad_y = _padding(label.font_px)
    # The words get the width they were wrapped at, centred on the box, so they wrap the same.
    text_rect = QRectF(box.center().x() - label.wrap_width / 2, box.top() + pad_y, label.wrap_width,
                       box.height() - 2 * pad_y)
    p.drawText(text_rect, TEXT_FLAGS, label.text)


def picture_style(pack, name: str, *, high_contrast: bool = False) -> PictureStyle:
    """The labels of picture `name` in `pack`'s language, and its direction."""
    labels = tuple((label.id, pack.picture_label(name, label.id)) for label in illustration(name).labels)
    return PictureStyle(labels, pack.direction == "rtl", high_contrast)


class PictureView(QWidget):
    """Draws one illustration, scaled to fit, from the per-size cache; its labels follow the
    widget's own text size (the theme's, so large text makes them larger too)."""

    def __init__(self, name: str, style: PictureStyle = PictureStyle(), parent=None, *, minimum=(360, 270)):
        super().__init__(parent)
        self.name = name
        self.style_ = style
        self.setMinimumSize(*minimum)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setAccessibleName(name)  # the page names it with what it shows (pack.description)

    def text_px(self) -> int:
        return QFontInfo(self.font()).pixelSize()

    def pixmap(self) -> QPixmap:
        return render_picture(self.name, self.size(), self.style_, self.text_px())

    def labels_drawn(self) -> tuple[DrawnLabel, ...]:
        """The labels as painted at the widget's present size (those left out are absent)."""
        return label_layout(self.name, self.size(), self.style_, self.text_px())

    def paintEvent(self, event):
        if self.width() <= 0 or self.height() <= 0:
            return
        with QPainter(self) as p:
            p.drawPixmap(0, 0, self.pixmap())
