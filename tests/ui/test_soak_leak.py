"""Once a session's pages are destroyed, the window empties Qt's style-sheet rule caches (which
keep rules of destroyed widgets: bench/bench_soak.py measured ~37 KB a session of resident
memory, ~9 KB without them). The screens must look exactly the same afterwards."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.ui.conftest import page, tap
from tests.ui.journey import Patient, walk


def _picture(widget):
    QApplication.processEvents()
    return widget.grab().toImage()


def test_welcome_and_the_next_patients_page_look_the_same_after_the_caches_are_emptied(window, real_pack, qtbot):
    window.resize(1280, 800)
    welcome_before = _picture(window)
    tap(window.welcome.start_button)
    first_page_before = _picture(window)
    tap(page(window).back_button)  # back to Welcome: that session ends too
    qtbot.waitUntil(lambda: window.pages_left_to_delete() == 0, timeout=2000)

    emptied = []
    style = QApplication.instance().style()
    original = window._drop_dead_style_rules
    window._drop_dead_style_rules = lambda: (emptied.append(True), original())
    walk(window, Patient(name="Tabitha Soak"), real_pack)
    qtbot.waitUntil(lambda: page(window).ready, timeout=5000)
    tap(page(window).next_button)  # Finish
    qtbot.waitUntil(lambda: window.pages_left_to_delete() == 0 and bool(emptied), timeout=2000)
    assert QApplication.instance().style() is style
    window.resize(1280, 800)  # the journey's keyboard page made the window taller (unbounded offscreen)

    assert _picture(window) == welcome_before, "Welcome looks different once the caches are emptied"
    tap(window.welcome.start_button)
    assert _picture(window) == first_page_before, "the next patient's first page lost some of its style"


def test_the_caches_are_left_alone_while_a_patient_has_already_started(window, real_pack, qtbot):
    window.resize(1280, 800)
    tap(window.welcome.start_button)
    first_page = _picture(window)
    tap(page(window).back_button)  # the session ends; its page is destroyed in the next turns
    tap(window.welcome.start_button)  # the next patient, at once
    qtbot.waitUntil(lambda: window.pages_left_to_delete() == 0, timeout=2000)
    window._drop_dead_style_rules()  # does nothing while a session is on
    assert _picture(window) == first_page
