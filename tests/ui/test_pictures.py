"""Pictures render crisply at every size, once per size, in every mode."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor

from kiosk.content import load_pack
from kiosk.ui.widgets import picture
from kiosk.ui.widgets.picture import PictureStyle, picture_style, render_picture

PACK = load_pack("en")
NAMES = sorted({page.illustration for page in PACK.pages})
SIZES = [QSize(320, 240), QSize(760, 570), QSize(1400, 1050)]  # 10-inch tablet to 27-inch screen


def coloured_fraction(pixmap) -> float:
    image = pixmap.toImage()
    step = max(1, image.width() // 80)
    total = inked = 0
    for x in range(0, image.width(), step):
        for y in range(0, image.height(), step):
            total += 1
            inked += QColor(image.pixel(x, y)).lightness() < 245
    return inked / total


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_renders_non_empty_at_three_sizes(qapp, name, size):
    pixmap = render_picture(name, size, picture_style(PACK, name))
    assert pixmap.size() == size
    assert 0.03 < coloured_fraction(pixmap) < 0.95


def test_a_picture_shown_twice_is_rendered_once(qtbot):
    name = NAMES[0]
    picture._cache.clear()
    picture.render_counts.clear()
    for _ in range(2):
        view = picture.PictureView(name, picture_style(PACK, name))
        qtbot.addWidget(view)
        view.resize(600, 450)
        view.show()
        view.grab()
        view.repaint()
    assert picture.render_counts[name] == 1


@pytest.mark.parametrize("name", NAMES)
def test_high_contrast_and_mirroring_make_their_own_renders(qapp, name):
    size = QSize(400, 300)
    plain = render_picture(name, size, PictureStyle()).toImage()
    strong = render_picture(name, size, PictureStyle(high_contrast=True)).toImage()
    assert plain != strong


@pytest.mark.parametrize("name", NAMES)
def test_right_to_left_mirrors_only_pictures_whose_direction_matters(qapp, name):
    from kiosk.content.illustrations import illustration

    size = QSize(400, 300)
    ltr = render_picture(name, size, PictureStyle()).toImage()
    rtl = render_picture(name, size, PictureStyle(rtl=True)).toImage()
    if illustration(name).mirror_for_rtl:
        assert differing_fraction(rtl, ltr.flipped(Qt.Horizontal)) < 0.02  # antialiasing edges
        assert differing_fraction(rtl, ltr) > 0.02
    else:
        assert rtl == ltr


def differing_fraction(a, b) -> float:
    step, total, different = 3, 0, 0
    for x in range(0, a.width(), step):
        for y in range(0, a.height(), step):
            total += 1
            ca, cb = QColor(a.pixel(x, y)), QColor(b.pixel(x, y))
            different += abs(ca.lightness() - cb.lightness()) > 60
    return different / total
