"""Signature ink rules and smoothing.

Two rules decide whether strokes can stand as a signature, both as fractions of the pad's
width: enough line drawn (MIN_INK_LENGTH) and ink spread wide enough (MIN_EXTENT). Each is
tested on drawings that only it refuses, so that weakening either one is noticed.
"""

import math

import pytest

from kiosk.flow.signature import MIN_EXTENT, MIN_INK_LENGTH, check_ink, ink_length, smooth_stroke
from tests.flow.sample import handwriting

WIDTH = 1000  # at this width: at least 300 of line, spread over at least 120


def wave(n=80, width=600):
    return [(100 + width * i / n, 150 + 60 * math.sin(i / 5)) for i in range(n)]


def zigzag(left, top, size, n=101):
    """A dense scribble filling a size x size box: far more line than any signature needs."""
    return [(left + size * (i % 2), top + size * i / (n - 1)) for i in range(n)]


def extent(strokes):
    xs, ys = [x for s in strokes for x, _ in s], [y for s in strokes for _, y in s]
    return max(max(xs) - min(xs), max(ys) - min(ys))


REAL_SIGNATURE = [smooth_stroke(wave())]
FAR_DOTS = [[(100, 100)], [(900, 300)]]
FAR_TICKS = [[(100, 100), (102, 101)], [(900, 300), (902, 301)]]
SHORT_STRAIGHT_LINE = [[(100, 200), (350, 200)]]  # a quarter of the pad across, in one stroke
DENSE_SCRIBBLE = [zigzag(800, 250, 100)]          # away from the pad's corner, in a 100 x 100 box


@pytest.mark.parametrize("strokes", [[], [[]]], ids=["no stroke", "an empty stroke"])
def test_nothing_drawn_is_asked_for_not_called_too_small(strokes):
    assert check_ink(strokes, WIDTH) == "signature_empty"


@pytest.mark.parametrize("strokes", [
    [[(500, 150)]], [[(500, 150), (501, 151)]], [[(500, 150), (540, 170)]],  # dot, tiny, tick
    [[(100, 100), (130, 110), (100, 120), (130, 130)]],  # a small scribble
])
def test_too_little_ink_is_refused(strokes):
    assert check_ink(strokes, WIDTH) == "signature_too_small"


# ----- the length rule alone: wide enough, not enough line ---------------------------------------
@pytest.mark.parametrize("strokes", [FAR_DOTS, FAR_TICKS, SHORT_STRAIGHT_LINE],
                         ids=["far dots", "far ticks", "short straight line"])
def test_wide_but_too_little_line_is_refused(strokes):
    assert extent(strokes) >= MIN_EXTENT * WIDTH and ink_length(strokes) < MIN_INK_LENGTH * WIDTH
    assert check_ink(strokes, WIDTH) == "signature_too_small"


# ----- the extent rule alone: plenty of line, in too small a box ---------------------------------
@pytest.mark.parametrize("strokes", [DENSE_SCRIBBLE, [zigzag(100, 100, 100)], [zigzag(300, 10, 119, n=41)]],
                         ids=["scribble far from the corner", "scribble near the corner", "scribble just too small"])
def test_plenty_of_line_in_a_small_box_is_refused(strokes):
    assert ink_length(strokes) >= MIN_INK_LENGTH * WIDTH and extent(strokes) < MIN_EXTENT * WIDTH
    assert check_ink(strokes, WIDTH) == "signature_too_small"


def test_a_tall_narrow_scribble_is_refused():
    """Narrow in x, far down the pad in y: the height is measured, not where the ink sits."""
    strokes = [[(500 + 5 * (i % 2), 700 + 100 * i / 60) for i in range(61)]]
    assert check_ink(strokes, WIDTH) == "signature_too_small"


# ----- both rules met ----------------------------------------------------------------------------
@pytest.mark.parametrize("strokes", [
    REAL_SIGNATURE,
    list(handwriting(1000.0, 330.0)),
    [[(100, 200), (700, 200)]],                    # a long straight stroke: the rules say nothing of shape
    [[(100, 200), (400, 200)]],                    # exactly 30% of the pad long (and wide)
    [zigzag(100, 100, 120, n=11)],                 # exactly 12% wide, with line to spare
    [[(100, 100), (100, 220)], [(400, 100), (580, 100)]],  # two strokes whose line adds up to 300
], ids=["wave", "handwriting", "long straight line", "length at the limit", "extent at the limit",
        "two strokes"])
def test_enough_line_spread_wide_enough_is_accepted(strokes):
    assert check_ink(strokes, WIDTH) is None


@pytest.mark.parametrize("scale", [0.001, 0.5, 1, 3])
def test_the_rules_scale_with_the_pad(scale):
    """The same drawing on a pad scaled with it gives the same answer, whatever the units."""
    scaled = [[(x * scale, y * scale) for x, y in s] for s in REAL_SIGNATURE]
    assert check_ink(scaled, WIDTH * scale) is None
    assert check_ink([[(x * scale, y * scale) for x, y in s] for s in DENSE_SCRIBBLE], WIDTH * scale) \
        == "signature_too_small"


def test_a_signature_is_too_small_on_a_much_wider_pad():
    assert check_ink(REAL_SIGNATURE, 3 * WIDTH) == "signature_too_small"


@pytest.mark.parametrize("width", [0, -1000])
def test_a_pad_without_width_accepts_nothing(width):
    assert check_ink(REAL_SIGNATURE, width) == "signature_too_small"


@pytest.mark.parametrize("strokes, length", [
    ([], 0), ([[(0, 0)]], 0), ([[(0, 0), (3, 4)]], 5), ([[(0, 0), (3, 4), (3, 10)]], 11),
    ([[(0, 0), (3, 4)], [(100, 100), (100, 110)]], 15),  # no line between strokes
])
def test_ink_length_is_the_line_drawn(strokes, length):
    assert ink_length(strokes) == pytest.approx(length)


# ----- smoothing ---------------------------------------------------------------------------------
def test_one_pass_cuts_each_corner_at_a_quarter():
    assert smooth_stroke([(10, 20), (18, 20), (18, 28)], passes=1) == (
        (10.0, 20.0), (12.0, 20.0), (16.0, 20.0), (18.0, 22.0), (18.0, 26.0), (18.0, 28.0))


def test_smoothing_makes_two_passes_by_default():
    corner = [(10, 20), (18, 20), (18, 28)]
    assert smooth_stroke(corner) == smooth_stroke(smooth_stroke(corner, passes=1), passes=1)
    assert len(smooth_stroke(corner)) == 12


def test_smoothing_keeps_the_ends_and_removes_corners():
    zigzag_ = [(0, 0), (10, 10), (20, 0), (30, 10), (40, 0)]
    smooth = smooth_stroke(zigzag_)
    assert smooth[0] == (0.0, 0.0) and smooth[-1] == (40.0, 0.0)
    assert max(y for _, y in smooth) < 10  # the sharp peaks are cut


@pytest.mark.parametrize("stroke, smooth", [
    ([(5, 5)] * 20, ((5.0, 5.0),)),                          # repeated points
    ([(0, 0), (1.4, 0)], ((0.0, 0.0),)),                     # closer than 1.5: one point
    ([(0, 0), (1.5, 0)], ((0.0, 0.0), (1.5, 0.0))),          # 1.5 apart: both kept, a line is not cut
    ([(0, 0), (1, 0), (2, 0), (2, 1)], ((0.0, 0.0), (2.0, 0.0))),  # measured from the last point kept
])
def test_smoothing_drops_points_closer_than_a_step(stroke, smooth):
    assert smooth_stroke(stroke) == smooth


def test_min_step_can_be_chosen():
    assert smooth_stroke([(0, 0), (4, 0)], min_step=5) == ((0.0, 0.0),)
