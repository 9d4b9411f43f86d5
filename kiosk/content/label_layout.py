"""Where a picture's labels go, at one size: boxes that never overlap one another, never cover
a point any label names, never cross another label's line, and stay inside the picture. No Qt
here; `kiosk.ui.widgets.picture` measures the words, calls `place_labels`, and paints.

The rule (docs/illustrations.md, "Placing labels"):

1. Each label is tried on its own side (the labels file's `side`) first, at the usual gap from
   its point, centred on it; then slid along that side, nearer or farther; then wrapped on more
   (or fewer) lines; then on the two sides beside it, then on the opposite side. The first
   place that breaks no rule below is the cheapest; `_cost` says how the tries are ranked.
2. A box stays `margin` inside the picture, at least `clear` from every label's point (its own
   and the others'), at least `between` from every other box and every other label's line;
   and no two lines cross.
3. When not every label fits, the most labels that fit are drawn, preferring those listed
   first in the labels file (the order is a ranking: put the most important label first). A
   label that does not fit is left out whole; its words are never cut ("Rest for a hours").
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

SIDES = ("left", "right", "top", "bottom")
OPPOSITE = {"left": "right", "right": "left", "top": "bottom", "bottom": "top"}

# How far a box may slide along its side, as fractions of its half length: 0 is centred on
# the point; 1 puts the box's end level with the point; beyond 1 the line runs at a slant.
SLIDES = (0.0, -0.35, 0.35, -0.7, 0.7, -1.0, 1.0, -1.4, 1.4, -1.9, 1.9)
DISTANCES = (1.0, 0.6, 1.5, 0.35, 2.2)  # times the usual gap, in the order they are tried


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in pixels: left `x`, top `y`, width `w`, height `h`."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def inflated(self, d: float) -> Rect:
        return Rect(self.x - d, self.y - d, self.w + 2 * d, self.h + 2 * d)

    def overlaps(self, other: Rect) -> bool:
        """True when the two share any area (touching edges do not count)."""
        return (self.x < other.right and other.x < self.right
                and self.y < other.bottom and other.y < self.bottom)

    def contains(self, other: Rect) -> bool:
        return (self.x <= other.x and self.y <= other.y
                and other.right <= self.right and other.bottom <= self.bottom)

    def nearest(self, point: tuple[float, float]) -> tuple[float, float]:
        """The point of this rectangle (edge or inside) nearest to `point`."""
        px, py = point
        return min(max(px, self.x), self.right), min(max(py, self.y), self.bottom)

    def distance(self, point: tuple[float, float]) -> float:
        nx, ny = self.nearest(point)
        return math.hypot(point[0] - nx, point[1] - ny)

    def crosses(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """True when the segment from `a` to `b` passes through this rectangle's inside."""
        (x0, y0), (x1, y1) = a, b
        t0, t1 = 0.0, 1.0
        dx, dy = x1 - x0, y1 - y0
        for p, q in ((-dx, x0 - self.x), (dx, self.right - x0), (-dy, y0 - self.y), (dy, self.bottom - y0)):
            if p == 0:
                if q <= 0:
                    return False
                continue
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 >= t1:
                return False
        return True


@dataclass(frozen=True)
class LabelRequest:
    """One label to place: the point it names (pixels), its preferred side, and the sizes its
    box may take (the words wrapped on one line, two, ...), the preferred size first."""

    id: str
    anchor: tuple[float, float]
    side: str
    sizes: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class PlacedLabel:
    """Where a label is drawn: its `box`, the side it ended on, which of the request's `sizes`
    it took, and the line from its `anchor` to `line_end` on the box's edge."""

    id: str
    box: Rect
    side: str
    size_index: int
    anchor: tuple[float, float]
    line_end: tuple[float, float]


@dataclass(frozen=True)
class Spacing:
    """The distances of the rule, in pixels (the widget scales them with the words)."""

    gap: float = 46.0     # usual distance from the point to its box
    margin: float = 4.0   # from a box to the picture's edge
    clear: float = 16.0   # from any box to any label's point
    between: float = 6.0  # from a box to another box, or to another label's line


def place_labels(area: Rect, labels: Sequence[LabelRequest], spacing: Spacing = Spacing()) -> tuple[PlacedLabel, ...]:
    """The labels that fit in `area`, each placed by the module's rule, in the order given.

    Every returned box is inside `area` (by `spacing.margin`), overlaps no other, keeps
    `spacing.clear` from every request's anchor and `spacing.between` from the other lines;
    no two lines cross. A label left out is simply absent from the result.

    >>> place_labels(Rect(0, 0, 400, 300), [LabelRequest("a", (200, 150), "top", ((80, 30),))])[0].box
    Rect(x=160.0, y=74.0, w=80, h=30)
    """
    anchors = [label.anchor for label in labels]
    options = [_candidates(area, label, anchors, spacing) for label in labels]
    orders = itertools.permutations(range(len(labels))) if len(labels) <= 5 else [tuple(range(len(labels)))]
    best, best_score = {}, None
    for order in orders:
        chosen: dict[int, tuple[float, PlacedLabel]] = {}
        for index in order:
            for cost, candidate in options[index]:
                if all(_compatible(candidate, other, spacing) for _, other in chosen.values()):
                    chosen[index] = (cost, candidate)
                    break
        score = (len(chosen), tuple(i in chosen for i in range(len(labels))),
                 -sum(cost for cost, _ in chosen.values()))
        if best_score is None or score > best_score:
            best, best_score = chosen, score
        if all(options[i] and chosen.get(i, (None,))[0] == options[i][0][0] for i in range(len(labels))):
            break  # every label in its cheapest place: no other order can do better
    return tuple(best[i][1] for i in sorted(best))


def _side_order(area: Rect, label: LabelRequest) -> list[str]:
    """The preferred side, then the two beside it (the roomier first), then the opposite."""
    x, y = label.anchor
    room = {"left": x - area.x, "right": area.right - x, "top": y - area.y, "bottom": area.bottom - y}
    beside = [s for s in SIDES if s not in (label.side, OPPOSITE[label.side])]
    beside.sort(key=lambda s: -room[s])
    return [label.side, *beside, OPPOSITE[label.side]]


def _cost(side_rank: int, size_index: int, slide: float, distance_rank: int) -> float:
    """Another side costs most, then another wrapping, then sliding along, then the gap."""
    return 1000 * side_rank + 300 * size_index + 100 * abs(slide) + 40 * distance_rank


def _candidates(area: Rect, label: LabelRequest, anchors: Sequence[tuple[float, float]],
                spacing: Spacing) -> list[tuple[float, PlacedLabel]]:
    """Every place for `label` that keeps the rules needing no other label, cheapest first."""
    inside = area.inflated(-spacing.margin)
    x, y = label.anchor
    clear2 = spacing.clear ** 2
    rejected: set[tuple[float, float, float, float]] = set()
    found: dict[tuple[float, float, float, float], tuple[float, str, int]] = {}
    for side_rank, side in enumerate(_side_order(area, label)):
        for size_index, (w, h) in enumerate(label.sizes):
            if w > inside.w or h > inside.h:
                continue
            for distance_rank, factor in enumerate(DISTANCES):
                d = max(spacing.gap * factor, spacing.clear)
                for slide in SLIDES:
                    if side in ("top", "bottom"):
                        left = min(max(x - w / 2 + slide * w / 2, inside.x), inside.right - w)
                        top = y - d - h if side == "top" else y + d
                        moved = (left + w / 2 - x) / (w / 2)
                    else:
                        top = min(max(y - h / 2 + slide * h / 2, inside.y), inside.bottom - h)
                        left = x - d - w if side == "left" else x + d
                        moved = (top + h / 2 - y) / (h / 2)
                    right, bottom = left + w, top + h
                    key = (left, top, w, h)
                    if key in rejected or key in found:
                        continue  # the same box again (slid into the same edge): the first try was cheaper
                    if (left < inside.x or top < inside.y or right > inside.right or bottom > inside.bottom
                            or _near_any(anchors, left, top, right, bottom, clear2)):
                        rejected.add(key)
                        continue
                    found[key] = (_cost(side_rank, size_index, moved, distance_rank), side, size_index)
    out = []
    for (left, top, w, h), (cost, side, size_index) in sorted(found.items(), key=lambda item: item[1][0]):
        box = Rect(left, top, w, h)
        out.append((cost, PlacedLabel(label.id, box, side, size_index, label.anchor, box.nearest(label.anchor))))
    return out


def _near_any(anchors, left, top, right, bottom, clear2) -> bool:
    """Whether the box comes within sqrt(clear2) of any of the points."""
    for ax, ay in anchors:
        dx = ax - (left if ax < left else right if ax > right else ax)
        dy = ay - (top if ay < top else bottom if ay > bottom else ay)
        if dx * dx + dy * dy < clear2:
            return True
    return False


def _compatible(a: PlacedLabel, b: PlacedLabel, spacing: Spacing) -> bool:
    """Whether two placed labels keep the rules between them."""
    if a.box.inflated(spacing.between).overlaps(b.box):
        return False
    if a.box.inflated(spacing.between).crosses(b.anchor, b.line_end):
        return False
    if b.box.inflated(spacing.between).crosses(a.anchor, a.line_end):
        return False
    return not _segments_cross(a.anchor, a.line_end, b.anchor, b.line_end)


def _segments_cross(p1, p2, p3, p4) -> bool:
    def turn(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = turn(p3, p4, p1), turn(p3, p4, p2)
    d3, d4 = turn(p1, p2, p3), turn(p1, p2, p4)
    return ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and 0 not in (d1, d2, d3, d4)


def check_layout(area: Rect, labels: Sequence[LabelRequest], placed: Sequence[PlacedLabel],
                 spacing: Spacing = Spacing()) -> list[str]:
    """What breaks the rule in `placed` (nothing, for what `place_labels` returns): the
    tests' and the widget's own check, in words."""
    problems = []
    inside = area.inflated(-spacing.margin)
    for label in placed:
        if not inside.contains(label.box):
            problems.append(f"{label.id}: outside the picture")
        for other in labels:
            if label.box.distance(other.anchor) < spacing.clear:
                problems.append(f"{label.id}: covers the point of {other.id}")
    for a, b in itertools.combinations(placed, 2):
        if a.box.overlaps(b.box):
            problems.append(f"{a.id} and {b.id} overlap")
        elif not _compatible(a, b, spacing):
            problems.append(f"{a.id} and {b.id}: a line crosses the other label or its line")
    return problems
