"""Every patient screen fits its screen, at 1920x1080 and at a 1280x800 tablet: no page, no
keyboard layout, no message or panel (the nurse banner, a wrong answer's explanation, "Are
you still there?") makes the window larger than the screen, and every control is inside it,
whole, with no two controls on top of each other. Long content scrolls with a finger.

The window is shown at the screen's size with the sizes the kiosk picks for that screen
(`theme.screen_scale`). A layout whose minimum does not fit would grow the window (windowed)
or squeeze its controls on top of each other (kiosk mode, where the window is held to the
screen): both are caught here.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QLineEdit, QPushButton, QScroller, QWidget

from kiosk.ui.pages.decision import DecisionPage, SignaturePage, StatementsPage
from kiosk.ui.pages.education import InfoPage
from kiosk.ui.pages.identity import NamePage
from kiosk.ui.pages.questions import QuestionPage
from kiosk.ui.theme import screen_scale
from tests.ui.conftest import draw_signature, enter_date, look_first, page, tap, type_on_keyboard
from tests.ui.journey import Patient

SIZES = [(1280, 800), (1920, 1080)]


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _rect_in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def misfits(window, size: tuple[int, int], root: QWidget | None = None) -> list[str]:
    """What does not fit on the screen of `size`, as sentences (empty: all fits)."""
    QApplication.processEvents()
    width, height = size
    problems = []
    if (window.width(), window.height()) != size:
        problems.append(f"the window is {window.width()}x{window.height()}, the screen {width}x{height}")
    need = window.layout().totalMinimumSize()
    if need.width() > width or need.height() > height:
        problems.append(f"the layout needs at least {need.width()}x{need.height()}")
    screen = QRect(0, 0, width, height)
    root = root or window
    controls = [w for w in root.findChildren(QWidget) if w.isVisible()
                and isinstance(w, (QPushButton, QLineEdit, QLabel, QAbstractScrollArea))]
    placed = []
    for widget in controls:
        name = f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()[:40]!r}"
        rect = _rect_in_window(widget, window)
        area = _scroll_area_of(widget)
        if area is None:
            if not screen.contains(rect):
                problems.append(f"{name} at {rect.getRect()} is not inside the screen")
        elif not _rect_in_window(area.widget() if hasattr(area, "widget") else area.viewport(),
                                 window).contains(rect):
            problems.append(f"{name} cannot be scrolled to")
        if isinstance(widget, QLabel) and widget.wordWrap() and widget.text().strip() \
                and widget.height() < widget.heightForWidth(widget.width()):
            problems.append(f"{name} is cut: {widget.height()} px of {widget.heightForWidth(widget.width())}")
        if isinstance(widget, QPushButton) and area is None:
            placed.append((name, rect, widget))
    for i, (name, rect, widget) in enumerate(placed):
        for other_name, other_rect, other in placed[i + 1:]:
            if rect.intersects(other_rect) and not widget.isAncestorOf(other) and not other.isAncestorOf(widget):
                problems.append(f"{name} overlaps {other_name}")
    return problems


def still_there_misfits(window, size) -> list[str]:
    window.prompt.open()
    QApplication.processEvents()
    problems = misfits(window, size, root=window.prompt)
    box = _rect_in_window(window.prompt.box, window)
    if not QRect(0, 0, *size).contains(box):
        problems.append(f"'Are you still there?' at {box.getRect()} is not inside the screen")
    window.prompt.stay_button.click()
    return problems


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def screen_window(request, make_window):
    width, height = request.param
    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(height))
    window.resize(width, height)
    QApplication.processEvents()
    return window, (width, height)


def test_every_page_and_keyboard_fits_with_the_nurse_banner_and_explanations(screen_window, real_pack, qtbot):
    window, size = screen_window
    seen: dict[str, list[str]] = {}

    def check(name):
        seen[name] = misfits(window, size)

    check("welcome")
    tap(window.welcome.start_button)
    check("signer")
    window.call_nurse()  # the banner shows from here to the end
    qtbot.waitUntil(lambda: window.help_calls.waiting == 0, timeout=5000)
    window._check_help_call()
    assert window.help_banner.isVisible()
    check("signer with the nurse banner")
    seen["still there, signer"] = still_there_misfits(window, size)
    tap(page(window).choices["representative"])
    name_page = page(window)
    assert isinstance(name_page, NamePage)
    type_on_keyboard(name_page.keyboard, "Margaret Obrien")
    for layout in name_page.keyboard.layouts:
        tap(name_page.keyboard.layout_buttons[layout])
        check(f"name, {layout} keyboard")
    name_page.error.setText(real_pack.ui("name_limit_reached", limit=150))
    check("name, with a message")
    seen["still there, name"] = still_there_misfits(window, size)
    tap(name_page.next_button)
    enter_date(page(window).pad, "07", "03", "2048")
    tap(page(window).next_button)  # a date in the future: the message shows
    check("date of birth, with a message")
    enter_date(page(window).pad, "07", "03", "1948")
    tap(page(window).next_button)
    type_on_keyboard(page(window).keyboard, "Tom Obrien")
    tap(page(window).next_button)
    check("relationship")
    tap(page(window).choices["son_daughter"])
    while isinstance(page(window), InfoPage):
        current = page(window)
        if current.more_button is not None:
            tap(current.more_button)
        check(f"education {current.step.page_id}")
        tap(current.next_button)
    first = True
    while isinstance(page(window), QuestionPage):
        q_page = page(window)
        q = real_pack.question(q_page.question.id)
        check(f"question {q.id}")
        wrong = next(c.id for c in q.choices if c.id != q.correct)
        tap(q_page.choices[wrong])
        check(f"question {q.id}, wrong once")
        if first:
            seen["still there, explanation"] = still_there_misfits(window, size)
        tap(q_page.next_button)
        check(f"review {q.explained_by}")
        tap(page(window).next_button)
        tap(q_page.choices[wrong if first else q.correct])
        check(f"question {q.id}, {'wrong again' if first else 'right'}")
        first = False
        tap(q_page.next_button)
    assert isinstance(page(window), StatementsPage)
    check("statements")
    for tick in page(window).ticks.values():
        tap(tick)
    tap(page(window).next_button)
    assert isinstance(page(window), DecisionPage)
    check("decision")
    tap(page(window).options["consented"])
    assert isinstance(page(window), SignaturePage)
    draw_signature(page(window).pad)
    tap(page(window).next_button)  # "too small" is not shown: a whole signature
    check("done")
    problems = "\n".join(f"{name}: {'; '.join(p)}" for name, p in seen.items() if p)
    assert not problems, "\n" + problems
    assert len(seen) > 2 * len(real_pack.pages)


def _statements_page(window):
    from tests.ui.journey import to_the_statements

    return to_the_statements(window, window.pack, Patient(representative="Tom Obrien"))


def test_the_statements_page_scrolls_with_a_finger_drag(make_window, qtbot):
    """Press, move up, release on the statements: the list moves under the finger (kinetic
    scrolling, QScroller), and the drag ticks nothing."""
    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(800))
    window.resize(1280, 800)
    statements = _statements_page(window)
    area = statements.scroll
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0, "at 1280x800 the representative's statements are longer than the screen"
    assert QScroller.hasScroller(area.viewport())
    look_first(area)
    viewport = area.viewport()
    tick = list(statements.ticks.values())[2]  # the finger lands on a statement, as it will
    start = QPoint(tick.width() // 2, tick.height() // 2)
    before = bar.value()
    QTest.mousePress(tick, Qt.LeftButton, Qt.NoModifier, start)
    for step in range(1, 16):
        QTest.mouseMove(tick, start - QPoint(0, 20 * step), 10)
    QTest.mouseRelease(tick, Qt.LeftButton, Qt.NoModifier, start - QPoint(0, 300), 10)
    qtbot.waitUntil(lambda: bar.value() > before + 100, timeout=3000)
    qtbot.waitUntil(lambda: QScroller.scroller(viewport).state() == QScroller.Inactive, timeout=5000)
    assert statements.confirmed == {}, "a drag is not a tap"
    assert bar.width() >= 40, "the scrollbar is finger-sized"


def test_every_scroll_area_of_the_patient_screens_scrolls_with_a_finger(make_window, real_pack):
    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(800))
    window.resize(1280, 800)
    statements = _statements_page(window)
    areas = [a for p in window._pages.values() for a in p.findChildren(QAbstractScrollArea)]
    assert statements.scroll in areas and len(areas) > len(real_pack.pages)
    assert all(QScroller.hasScroller(a.viewport()) for a in areas)
