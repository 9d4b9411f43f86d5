"""Finish (or a time-out) ends a session: Welcome at once, every page of the session out of the
stack, hidden and wiped at once, and destroyed a few pages per turn of the event loop just after,
so that the tap never holds the screen while ~38 pages are deleted."""

from __future__ import annotations

import gc

import shiboken6
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from kiosk.ui.pages.base import Page
from kiosk.ui.pages.ending import DonePage
from kiosk.ui.window import DELETE_PAGES_PER_TURN
from tests.ui.conftest import page, tap, visible_texts
from tests.ui.journey import Patient, enter_identity, start, walk

NAME = "Philippa Featherstonehaugh"


def _to_done(window, real_pack, qtbot, name=NAME):
    walk(window, Patient(name=name), real_pack)
    done = page(window)
    assert isinstance(done, DonePage)
    qtbot.waitUntil(lambda: done.ready, timeout=5000)
    return done


def _session_pages(window):
    return [*window._pages.values(), *window._prebuilt.values()]


def _holds_name(texts, name=NAME):
    return [t for t in texts if any(part in t for part in name.split())]


def test_finish_shows_welcome_with_every_page_hidden_and_wiped_at_once(window, real_pack, qtbot):
    done = _to_done(window, real_pack, qtbot)
    pages = _session_pages(window)
    assert _holds_name(visible_texts()), "the journey put the name on its pages"
    tap(done.next_button)  # Finish

    assert page(window) is window.welcome and window.session is None
    assert window.pages_left_to_delete() == len(pages), "nothing is destroyed inside the tap itself"
    for p in pages:
        assert shiboken6.isValid(p)
        assert window.stack.indexOf(p) == -1, f"{type(p).__name__} is still in the stack"
        assert not p.isVisible() and not p.isWindow() and p.signalsBlocked()
    assert _holds_name(visible_texts()) == [], "a page waiting to be destroyed still holds the name"
    assert all(not w.text() for p in pages for w in _text_widgets(p)), "every label, field and key is blank"


def _text_widgets(widget: QWidget):
    return [w for kind in (QLabel, QLineEdit, QAbstractButton) for w in widget.findChildren(kind)]


def _widgets_outside_the_prompt(window):
    """Every live widget but the "Are you still there?" prompt and Read to me with its reading
    strip (each made once, at the first Start, and kept for the next patient, empty)."""
    kept = [window.prompt]
    if window.read_to_me is not None:
        assert window.session is not None or window.read_to_me.strip.sentence.text() == ""
        kept += [window.read_to_me.button, window.read_to_me.strip]
    kept = [k for k in kept if k is not None]
    return [w for w in QApplication.allWidgets() if not any(w is k or k.isAncestorOf(w) for k in kept)]


def test_the_pages_are_destroyed_a_few_per_turn_and_soon_all_gone(window, real_pack, qtbot):
    widgets_at_welcome = len(_widgets_outside_the_prompt(window))
    done = _to_done(window, real_pack, qtbot)
    pages = _session_pages(window)
    left_after_each_turn = []
    window._delete_timer.timeout.connect(lambda: left_after_each_turn.append(window.pages_left_to_delete()))
    tap(done.next_button)  # Finish

    qtbot.waitUntil(lambda: window.pages_left_to_delete() == 0, timeout=2000)
    steps = [len(pages), *left_after_each_turn]
    assert all(0 < a - b <= DELETE_PAGES_PER_TURN for a, b in zip(steps, steps[1:])), steps
    assert not any(shiboken6.isValid(p) for p in pages)
    del pages
    assert _holds_name(visible_texts()) == [], "a widget anywhere still holds the name"
    assert len(_widgets_outside_the_prompt(window)) == widgets_at_welcome, "a widget of the session outlived it"
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, Page) and o is not window.welcome]
    assert [o for o in alive if shiboken6.isValid(o)] == [], alive


def test_a_time_out_wipes_at_once_and_destroys_soon(make_window, qtbot, real_pack):
    window = make_window(idle_timeout_seconds=1, idle_countdown_seconds=1)
    start(window)
    enter_identity(window, Patient(name=NAME))
    pages = _session_pages(window)
    qtbot.waitUntil(lambda: window.session is None, timeout=6000)
    assert _holds_name(visible_texts()) == []
    qtbot.waitUntil(lambda: window.pages_left_to_delete() == 0, timeout=2000)
    assert not any(shiboken6.isValid(p) for p in pages)


def test_the_next_patient_may_start_before_the_last_pages_are_destroyed(window, real_pack, qtbot):
    done = _to_done(window, real_pack, qtbot)
    old = _session_pages(window)
    tap(done.next_button)  # Finish
    assert window.pages_left_to_delete() > 0
    tap(window.welcome.start_button)  # the next patient at once
    enter_identity(window, Patient(name="Ida Next"))
    qtbot.waitUntil(lambda: window.pages_left_to_delete() == 0, timeout=2000)
    assert not any(shiboken6.isValid(p) for p in old)
    assert window.session is not None and all(shiboken6.isValid(p) for p in _session_pages(window))
    assert any("Ida" in t for t in visible_texts()) and _holds_name(visible_texts()) == []
