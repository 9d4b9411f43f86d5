import math

import pytest

from kiosk.flow.signature import check_ink, smooth_stroke

WIDTH = 1000


def wave(n=80, width=600):
    return [(100 + width * i / n, 150 + 60 * math.sin(i / 5)) for i in range(n)]


@pytest.mark.parametrize("strokes", [
    [], [[(500, 150)]], [[(500, 150), (501, 151)]], [[(500, 150), (540, 170)]],  # nothing, dot, tiny, tick
    [[(100, 100), (130, 110), (100, 120), (130, 130)]],  # a small scribble
])
def test_too_little_ink_is_refused(strokes):
    assert check_ink(strokes, WIDTH) == "signature_too_small"


def test_a_real_signature_is_accepted():
    assert check_ink([smooth_stroke(wave())], WIDTH) is None


def test_smoothing_keeps_the_ends_and_removes_corners():
    zigzag = [(0, 0), (10, 10), (20, 0), (30, 10), (40, 0)]
    smooth = smooth_stroke(zigzag)
    assert smooth[0] == (0.0, 0.0) and smooth[-1] == (40.0, 0.0)
    assert max(y for _, y in smooth) < 10  # the sharp peaks are cut


def test_smoothing_drops_repeated_points():
    assert smooth_stroke([(5, 5)] * 20) == ((5.0, 5.0),)
