"""The cement injection scene: where the vertebra, cord, needle and cement are, and how to
paint them, in the illustrations' 800 x 600 picture units. `cement_animation` moves it.

Front of the body on the LEFT, back on the RIGHT (docs/illustrations.md). Colours are the
illustrations' palette; in high contrast each is swapped for the strong tone the still
pictures use (`kiosk.content.illustrations.HIGH_CONTRAST`), so the animation and the
pictures beside it look the same.
"""

from __future__ import annotations

import math

from dataclasses import dataclass, fields, replace

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF, QTransform

from kiosk.content.illustrations import HIGH_CONTRAST as STRONG_TONES

# The palette of docs/illustrations.md, and nothing else.
INK = "#1b2631"
BROKEN, BROKEN_SHADE = "#f2b36b", "#d9822b"
DISC = "#e2d3b5"
CEMENT, CEMENT_SHADE = "#4f86b5", "#2f5f8a"
NERVE, NERVE_SHADE = "#f1d36b", "#c9a227"
STEEL = "#5e6b78"
PORE = "#ffffff"


@dataclass(frozen=True)
class SceneColours:
    """The scene's colours: the illustrations' soft palette, or its strong high-contrast tones."""

    ink: str = INK
    broken: str = BROKEN
    broken_shade: str = BROKEN_SHADE
    disc: str = DISC
    cement: str = CEMENT
    cement_shade: str = CEMENT_SHADE
    nerve: str = NERVE
    nerve_shade: str = NERVE_SHADE
    steel: str = STEEL
    pore: str = PORE
    outline: float = 4.0  # picture units


SOFT = SceneColours()
STRONG = replace(SOFT, outline=5.0, **{f.name: STRONG_TONES.get(getattr(SOFT, f.name), getattr(SOFT, f.name))
                                       for f in fields(SOFT) if f.name != "outline"})  # as the stills


def scene_colours(high_contrast: bool) -> SceneColours:
    """The colours to paint the scene with in the normal or the high-contrast palette."""
    return STRONG if high_contrast else SOFT

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


def paint_still_parts(p: QPainter, colours: SceneColours = SOFT) -> None:
    """Everything that never moves: discs, spinal cord, the broken vertebra and its cracks."""
    c = colours
    cord = cord_path()
    p.setPen(_pen(c.ink, c.outline))
    p.setBrush(QColor(c.nerve))
    p.drawPath(cord)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(c.nerve_shade))
    p.drawRect(QRectF(452, -10, 18, 620))
    p.setPen(_pen(c.ink, c.outline))
    p.setBrush(Qt.NoBrush)
    p.drawPath(cord)
    p.setBrush(QColor(c.disc))
    for disc in _disc_paths():
        p.drawPath(disc)
    bone = bone_path()
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(c.broken))
    p.drawPath(bone)
    p.setBrush(QColor(c.broken_shade))  # one shade band along the underside
    p.drawPath(bone.subtracted(bone.translated(0, -16)))
    p.setBrush(QColor(c.pore))  # thin, porous bone
    for x, y, w, h in ((120, 336, 16, 11), (165, 378, 14, 10), (228, 290, 18, 12), (262, 360, 14, 10),
                       (312, 236, 16, 11), (330, 322, 18, 12), (212, 390, 12, 9), (120, 300, 12, 9),
                       (300, 392, 14, 9)):
        p.drawEllipse(QRectF(x, y, w, h))
    p.setPen(_pen(c.ink, c.outline))
    p.setBrush(Qt.NoBrush)
    p.drawPath(bone)
    p.setPen(_pen(c.ink, c.outline * 0.625))
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


def paint_moving_parts(p: QPainter, progress: float, colours: SceneColours = SOFT) -> None:
    """What changes with time: the cement inside the body and the needle on top."""
    c = colours
    cement = cement_path(progress)
    if not cement.isEmpty():
        p.setPen(Qt.NoPen)
        p.setBrush(QColor(c.cement_shade))
        p.drawPath(cement)
        p.setBrush(QColor(c.cement))  # the shade shows as a rim along the lower back edge
        p.drawPath(cement.intersected(cement.translated(-7, -9)))
    p.setPen(_pen(c.ink, c.outline * 0.625))
    p.setBrush(QColor(c.steel))
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
