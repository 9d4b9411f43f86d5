"""The drawn signature as vector paths: strokes from the signature pad become smooth curves.

Strokes arrive as points in the pad's coordinate space with y pointing down (see
docs/consent-record.md). They are fitted into the signature box keeping their aspect ratio,
flipped to PDF's y-up, and joined by quadratic Béziers through the midpoints of successive
points (written as the equivalent cubic `c` operators), so the line stays smooth at any zoom.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.platypus import Flowable

Point = tuple[float, float]
INK = colors.Color(0.05, 0.12, 0.35)
INK_WIDTH = 1.3  # points: a ballpoint pen at print size
BOX_LINE = colors.Color(0.6, 0.6, 0.6)
MARK = "/Signature"  # marked-content tag around the strokes, so readers and tests can find them


@dataclass(frozen=True)
class Fit:
    """Pad coordinates → box coordinates (points, y up, origin at the box's lower left)."""

    scale: float
    left: float
    top: float

    def __call__(self, point: Sequence[float]) -> Point:
        return self.left + point[0] * self.scale, self.top - point[1] * self.scale


def fit_pad(pad_width: float, pad_height: float, box_width: float, box_height: float, margin: float = 6) -> Fit:
    """The transform that centres the pad's whole area in the box, aspect ratio kept."""
    inner_w, inner_h = box_width - 2 * margin, box_height - 2 * margin
    scale = min(inner_w / pad_width, inner_h / pad_height)
    left = (box_width - pad_width * scale) / 2
    top = box_height - (box_height - pad_height * scale) / 2
    return Fit(scale, left, top)


def _mid(a: Point, b: Point) -> Point:
    return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2


def _quad_as_cubic(start: Point, control: Point, end: Point) -> tuple[Point, Point, Point]:
    two_thirds = 2 / 3
    c1 = (start[0] + two_thirds * (control[0] - start[0]), start[1] + two_thirds * (control[1] - start[1]))
    c2 = (end[0] + two_thirds * (control[0] - end[0]), end[1] + two_thirds * (control[1] - end[1]))
    return c1, c2, end


def stroke_segments(points: Sequence[Point]) -> list[tuple[str, tuple[Point, ...]]]:
    """Path segments for one stroke: ("m", (p,)), ("l", (p,)) and ("c", (c1, c2, p)).

    A single point becomes a tiny line (drawn as a dot with round caps); two points a line;
    more points a curve through the midpoints, starting and ending at the real end points.
    """
    if not points:
        return []
    first = points[0]
    if len(points) == 1:
        return [("m", (first,)), ("l", ((first[0] + 0.01, first[1]),))]
    if len(points) == 2:
        return [("m", (first,)), ("l", (points[1],))]
    segments: list[tuple[str, tuple[Point, ...]]] = [("m", (first,)), ("l", (_mid(first, points[1]),))]
    current = _mid(first, points[1])
    for control, following in zip(points[1:-1], points[2:]):
        end = _mid(control, following)
        segments.append(("c", _quad_as_cubic(current, control, end)))
        current = end
    segments.append(("l", (points[-1],)))
    return segments


def draw_signature(canvas, signature: dict, width: float, height: float) -> None:
    """Draw the signature's strokes as vector paths inside a width × height box at the origin."""
    strokes = signature.get("strokes") or []
    pad_w = float(signature.get("width") or 0) or max((p[0] for s in strokes for p in s), default=1) or 1
    pad_h = float(signature.get("height") or 0) or max((p[1] for s in strokes for p in s), default=1) or 1
    fit = fit_pad(pad_w, pad_h, width, height)
    path = canvas.beginPath()
    for stroke in strokes:
        for op, pts in stroke_segments([fit(p) for p in stroke]):
            if op == "m":
                path.moveTo(*pts[0])
            elif op == "l":
                path.lineTo(*pts[0])
            else:
                path.curveTo(*pts[0], *pts[1], *pts[2])
    canvas.saveState()
    canvas.addLiteral(f"{MARK} BMC")
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(INK_WIDTH)
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.addLiteral("EMC")
    canvas.restoreState()


class SignatureBox(Flowable):
    """A framed box holding the drawn signature, or empty for a pen on paper."""

    def __init__(self, width: float, height: float, signature: dict | None):
        super().__init__()
        self.width, self.height, self.signature = width, height, signature

    def wrap(self, availWidth, availHeight):
        self.width = min(self.width, availWidth)
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(BOX_LINE)
        canvas.setLineWidth(0.75)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        canvas.restoreState()
        if self.signature and self.signature.get("strokes"):
            draw_signature(canvas, self.signature, self.width, self.height)
