"""Signature strokes: smoothing, and whether there is enough ink to count as a signature."""

from __future__ import annotations

import math

Point = tuple[float, float]
Stroke = tuple[Point, ...]

MIN_INK_LENGTH = 0.30   # total stroke length, as a fraction of the pad's width
MIN_EXTENT = 0.12       # the ink's bounding box, its larger side, as a fraction of the pad's width


def _dedupe(stroke, min_step: float) -> list[Point]:
    kept: list[Point] = []
    for x, y in stroke:
        if not kept or math.dist(kept[-1], (x, y)) >= min_step:
            kept.append((float(x), float(y)))
    return kept


def smooth_stroke(stroke, *, passes: int = 2, min_step: float = 1.5) -> Stroke:
    """Chaikin corner-cutting: a finger's jitter becomes a calm curve; the ends stay put."""
    points = _dedupe(stroke, min_step)
    for _ in range(passes):
        if len(points) < 3:
            break
        cut = [points[0]]
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            cut.append((0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1))
            cut.append((0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1))
        cut.append(points[-1])
        points = cut
    return tuple(points)


def ink_length(strokes) -> float:
    return sum(math.dist(a, b) for s in strokes for a, b in zip(s, s[1:]))


def check_ink(strokes, width: float) -> str | None:
    """None if the strokes can stand as a signature, else an error key: ``signature_empty``
    when nothing was drawn at all, ``signature_too_small`` when too little was.

    A dot, a short tick or a tiny scribble is refused: the total line drawn must be at least
    30% of the pad's width long and the ink must span at least 12% of it.
    """
    points = [p for s in strokes for p in s]
    if not points:
        return "signature_empty"
    if width <= 0:
        return "signature_too_small"
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    extent = max(max(xs) - min(xs), max(ys) - min(ys))
    if ink_length(strokes) < MIN_INK_LENGTH * width or extent < MIN_EXTENT * width:
        return "signature_too_small"
    return None
