"""Pictures render crisply at every size, once per size, in every mode."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QSize, Qt
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


# ----- labels that never collide, at every size the kiosk draws a picture (issue 10) --------
CONFIGS = [(1920, 1080, False), (1280, 800, False), (1920, 1080, True), (1280, 800, True)]


def sizes_the_kiosk_draws(window) -> list[tuple[str, QSize, int]]:
    """(where, size, text px) of every PictureView the kiosk shows, read from the live window:
    each education page, a page shown again after a wrong answer, and the small picture beside
    a wrong answer (every picture is drawn at each of these sizes, by the page or question
    that names it)."""
    from PySide6.QtWidgets import QApplication

    from kiosk.flow.steps import InfoStep, QuestionStep, ReviewStep
    from kiosk.ui.widgets.picture import PictureView

    window.start_session()
    found, kinds_done = [], set()
    for step in window.session.task.steps:
        kind = type(step)
        if kind not in (InfoStep, ReviewStep, QuestionStep) or (kind is not InfoStep and kind in kinds_done):
            continue
        kinds_done.add(kind)
        window.show_step(step)
        QApplication.processEvents()
        current = window.current_page()
        if kind is QuestionStep:
            current._answer(next(c for c in current.choices if c != current.question.correct))
            QApplication.processEvents()
            view = current.feedback_picture
        else:
            view = current.picture
        if isinstance(view, PictureView):
            assert view.isVisible()
            found.append((f"{kind.__name__} {step.id}", view.size(), view.text_px(), view))
    return found


def drawn_outside_labels(view) -> int:
    """How many pixels the labels changed outside their boxes, lines and dots (the widget as
    grabbed, against the same picture drawn with no labels)."""
    from dataclasses import replace

    from PySide6.QtGui import QImage, QPainter, QPen

    labelled = view.grab().toImage().convertToFormat(QImage.Format_RGB32)
    bare = render_picture(view.name, view.size(), replace(view.style_, labels=()), view.text_px()).toImage()
    black = QColor("#000000")
    with QPainter(labelled) as p:
        p.setCompositionMode(QPainter.CompositionMode_Difference)
        p.drawImage(0, 0, bare.convertToFormat(QImage.Format_RGB32))
        p.setCompositionMode(QPainter.CompositionMode_SourceOver)
        p.setRenderHint(QPainter.Antialiasing)
        p.setPen(QPen(black, 7, Qt.SolidLine, Qt.RoundCap))
        p.setBrush(black)
        for label in view.labels_drawn():
            p.drawRect(label.box().adjusted(-1, -1, 1, 1))
            p.drawLine(*(QPointF(*pt) for pt in (label.placed.anchor, label.placed.line_end)))
            p.drawEllipse(QPointF(*label.placed.anchor), 9, 9)
    return dark_pixels(labelled, inverted=True)


def dark_pixels(image, *, inverted: bool = False, rect=None) -> int:
    """Pixels darker than mid-grey in `image` (or lighter, when `inverted`), within `rect`."""
    from PySide6.QtGui import QImage

    gray = (image.copy(rect) if rect is not None else image).convertToFormat(QImage.Format_Grayscale8)
    bits, line = bytes(gray.constBits()), gray.bytesPerLine()
    pixels = b"".join(bits[y * line:y * line + gray.width()] for y in range(gray.height()))
    counted = bytes(range(256)).maketrans(bytes(range(256)), bytes(int(v > 60 if inverted else v < 110)
                                                                   for v in range(256)))
    return pixels.translate(counted).count(1)


def layout_problems(name: str, size: QSize, style: PictureStyle, text_px: int) -> list[str]:
    from kiosk.content.label_layout import check_layout
    from kiosk.ui.widgets.picture import label_layout, label_requests

    area, requests, spacing, _ = label_requests(name, size, style, text_px)
    return check_layout(area, requests, [d.placed for d in label_layout(name, size, style, text_px)], spacing)


@pytest.mark.parametrize("width, height, strong", CONFIGS,
                         ids=lambda v: {True: "contrast-large-text", False: "plain"}.get(v, str(v)))
def test_labels_never_collide_at_any_size_the_kiosk_draws(make_window, width, height, strong):
    """Every picture, at every size a page draws it (education page, page shown again, small
    picture beside a wrong answer), left to right and mirrored: no two labels overlap, none
    covers a labelled point, all inside; at page sizes every label is drawn. And the widget as
    painted agrees: each label's words are inside its box, nothing is drawn outside the boxes,
    lines and dots."""
    from kiosk.ui.theme import screen_scale
    from kiosk.ui.widgets.picture import PictureView, label_layout

    window = make_window(scale=screen_scale(height), high_contrast=strong, large_text=strong,
                         idle_timeout_seconds=3600)
    window.resize(width, height)
    shown = sizes_the_kiosk_draws(window)
    assert {where.split()[0] for where, *_ in shown} == {"InfoStep", "ReviewStep", "QuestionStep"}
    for where, size, text_px, view in shown:
        for name in NAMES:
            for rtl in (False, True) if illustration_labels(name) and mirrors(name) else (False,):
                style = picture_style(PACK, name, high_contrast=strong)
                style = PictureStyle(style.labels, rtl, style.high_contrast)
                assert not layout_problems(name, size, style, text_px), (where, name, rtl, size)
                drawn = label_layout(name, size, style, text_px)
                if not where.startswith("QuestionStep"):
                    assert len(drawn) == len(style.labels), (where, name, size, "a label left out at a page size")
        if isinstance(view, PictureView) and view.name in NAMES:
            assert drawn_outside_labels(view) == 0, (where, view.name)
            image = view.grab().toImage()
            for label in view.labels_drawn():
                assert dark_pixels(image, rect=label.box().adjusted(4, 4, -4, -4).toRect()) > 20, label.text
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder and not strong:  # the README's screens: pages with three or four labels, a wrong answer
        for step in window.session.task.steps:
            page_id = getattr(step, "page_id", "")
            if type(step).__name__ == "InfoStep" and len(illustration_labels(PACK.page(page_id).illustration)) >= 3:
                window.show_step(step)
                window.grab().save(str(Path(folder) / f"labels-{width}x{height}-{step.number:02d}-{page_id}.png"))
        question = [s for s in window.session.task.steps if type(s).__name__ == "QuestionStep"][1]  # fresh
        window.show_step(question)
        current = window.current_page()
        current._answer(next(c for c in current.choices if c != current.question.correct))
        window.grab().save(str(Path(folder) / f"labels-{width}x{height}-wrong-answer.png"))
    # The small picture of every page, as its widget paints it.
    small = next(size for where, size, *_ in shown if where.startswith("QuestionStep"))
    for name in NAMES:
        view = PictureView(name, picture_style(PACK, name, high_contrast=strong), minimum=(small.width(), small.height()))
        view.setFixedSize(small)
        view.setFont(window.font())
        assert drawn_outside_labels(view) == 0, name
        assert view.labels_drawn() or not illustration_labels(name), f"{name}: every label left out"
        if folder:
            view.grab().save(str(Path(folder) / f"labels-small-{'contrast-' if strong else ''}{name}.png"))
        view.deleteLater()


def mirrors(name: str) -> bool:
    from kiosk.content.illustrations import illustration

    return illustration(name).mirror_for_rtl  # the others draw the same either way (tested above)


def illustration_labels(name: str):
    from kiosk.content.illustrations import illustration

    return illustration(name).labels
