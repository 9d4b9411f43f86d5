"""Where an empty signature field goes: a box that the layout reserved on a page. No pyHanko
here, so that rendering a document does not load the signing library."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReservedField:
    """An empty signature field to create when sealing: its name, the page (0 = first) and
    the box (x1, y1, x2, y2) in PDF points, origin at the page's lower left."""

    name: str
    page: int
    box: tuple[float, float, float, float]

    @property
    def width(self) -> float:
        return abs(self.box[2] - self.box[0])

    @property
    def height(self) -> float:
        return abs(self.box[3] - self.box[1])
