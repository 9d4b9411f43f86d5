"""The label placing rule, without Qt: no two boxes overlap, none covers a point any label
names, none leaves the picture, no line crosses another label; a label that cannot fit is left
out whole, the later-listed first; and every real picture keeps its labels at page sizes."""

from __future__ import annotations

import pytest

from kiosk.content import load_pack
from kiosk.content.illustrations import illustration
from kiosk.content.label_layout import LabelRequest, Rect, Spacing, check_layout, place_labels

PACK = load_pack("en")
NAMES = sorted({page.illustration for page in PACK.pages})


def sizes_for(text: str, px: float) -> tuple[tuple[float, float], ...]:
    """A stand-in for measured words: 0.62 px per character per px of type, 1.2 px per line."""
    words = text.split()
    options = []
    for lines in range(1, min(4, len(words)) + 1):
        per_line = -(-len(words) // lines)
        chunks = [" ".join(words[i:i + per_line]) for i in range(0, len(words), per_line)]
        options.append((max(len(c) for c in chunks) * 0.62 * px + 24, len(chunks) * 1.2 * px + 14))
    return tuple(dict.fromkeys(options))


def requests_for(name: str, width: float, height: float, *, mirrored: bool = False, px: float = 20):
    scale = min((width - 16) / 800, (height - 16) / 600)
    ox, oy = (width - 800 * scale) / 2, (height - 600 * scale) / 2
    out = []
    for label in illustration(name).labels:
        x, side = label.anchor[0], label.side
        if mirrored:
            x, side = 1 - x, {"left": "right", "right": "left"}.get(side, side)
        out.append(LabelRequest(label.id, (ox + x * 800 * scale, oy + label.anchor[1] * 600 * scale), side,
                                sizes_for(PACK.picture_label(name, label.id), px)))
    return out


def test_a_lone_label_sits_on_its_own_side_centred_at_the_usual_gap():
    (placed,) = place_labels(Rect(0, 0, 400, 300), [LabelRequest("a", (200, 150), "left", ((80, 30),))])
    assert placed.side == "left"
    assert (placed.box.right, placed.box.y + placed.box.h / 2) == (200 - 46, 150)
    assert placed.line_end == (154, 150)


@pytest.mark.parametrize("side, edge", [("left", "x"), ("right", "right"), ("top", "y"), ("bottom", "bottom")])
def test_a_label_with_no_room_on_its_side_moves_to_another(side, edge):
    area = Rect(0, 0, 400, 300)
    anchor = {"x": (30, 150), "right": (370, 150), "y": (200, 30), "bottom": (200, 270)}[edge]
    (placed,) = place_labels(area, [LabelRequest("a", anchor, side, ((120, 40),))])
    assert placed.side != side
    assert not check_layout(area, [LabelRequest("a", anchor, side, ())], [placed])


def test_near_an_edge_a_label_slides_along_its_side_before_changing_side():
    area = Rect(0, 0, 400, 300)
    (placed,) = place_labels(area, [LabelRequest("a", (20, 150), "top", ((160, 40),))])
    assert placed.side == "top" and placed.box.x == 4


def test_a_wider_or_narrower_wrapping_is_tried_before_another_side():
    area = Rect(0, 0, 300, 200)
    wide, narrow = (260, 40), (120, 70)  # too wide for the left of the point; narrow fits
    (placed,) = place_labels(area, [LabelRequest("a", (180, 100), "left", (wide, narrow))])
    assert (placed.side, placed.size_index) == ("left", 1)


def test_two_labels_that_would_collide_are_both_placed_apart():
    area = Rect(0, 0, 320, 240)
    labels = [LabelRequest("a", (100, 120), "top", ((150, 40),)), LabelRequest("b", (140, 120), "top", ((150, 40),))]
    placed = place_labels(area, labels)
    assert [p.id for p in placed] == ["a", "b"]
    assert not check_layout(area, labels, placed)


def test_when_not_all_fit_the_first_listed_are_kept_and_the_rest_left_out_whole():
    area = Rect(0, 0, 200, 130)
    big = ((150, 50),)  # fits only above the point: one of the three
    labels = [LabelRequest(i, (100, 75), "top", big) for i in ("first", "second", "third")]
    placed = place_labels(area, labels)
    assert [p.id for p in placed] == ["first"]
    assert placed[0].box.w == 150  # drawn whole, not squeezed


def test_a_label_too_big_for_the_picture_is_left_out():
    assert place_labels(Rect(0, 0, 100, 80), [LabelRequest("a", (50, 40), "top", ((120, 30),))]) == ()


def test_check_layout_names_each_broken_rule():
    from kiosk.content.label_layout import PlacedLabel

    area = Rect(0, 0, 200, 200)
    a = LabelRequest("a", (50, 50), "top", ())
    b = LabelRequest("b", (150, 150), "top", ())
    over_b = PlacedLabel("a", Rect(120, 120, 60, 60), "top", 0, (50, 50), (120, 120))
    outside = PlacedLabel("b", Rect(180, 10, 60, 20), "top", 0, (150, 150), (180, 30))
    problems = check_layout(area, [a, b], [over_b, outside])
    assert "a: covers the point of b" in problems
    assert "b: outside the picture" in problems


def test_a_line_may_not_cross_another_label():
    area = Rect(0, 0, 400, 300)
    # b's only sensible place is straight above its point, in the way of a's line.
    labels = [LabelRequest("a", (200, 250), "top", ((60, 30),)), LabelRequest("b", (200, 150), "top", ((60, 30),))]
    placed = place_labels(area, labels)
    assert len(placed) == 2 and not check_layout(area, labels, placed)


# Sizes the pictures are drawn at (tests/ui/test_pictures.py reads the real ones from the
# kiosk; here a spread around them, with the label type sizes they go with).
SIZES = [(320, 240, 20), (606, 460, 20), (606, 513, 23), (955, 597, 26), (955, 665, 32)]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("width, height, px", SIZES, ids=lambda v: str(v))
@pytest.mark.parametrize("mirrored", [False, True], ids=["ltr", "rtl"])
def test_every_picture_keeps_the_rule_at_every_size(name, width, height, px, mirrored):
    area = Rect(0, 0, width, height)
    labels = requests_for(name, width, height, mirrored=mirrored, px=px)
    placed = place_labels(area, labels, Spacing(gap=1.75 * px))
    assert not check_layout(area, labels, placed, Spacing(gap=1.75 * px))
    if labels and width >= 600:
        assert [p.id for p in placed] == [label.id for label in labels], "a label left out at a page size"
