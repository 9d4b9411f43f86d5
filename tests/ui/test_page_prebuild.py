"""The next education page is built, picture drawn, while the patient reads the current one;
it counts as seen only once shown, and goes with the session."""

from __future__ import annotations

import shiboken6

from kiosk.ui.pages.education import InfoPage
from kiosk.ui.widgets import picture
from kiosk.ui.window import PREBUILD_AFTER_MS
from tests.ui.conftest import page, tap
from tests.ui.journey import Patient, enter_identity, start


def test_the_next_page_is_ready_before_next_is_tapped(window, qtbot):
    start(window)
    enter_identity(window, Patient(name="Greta Lindqvist"))
    first = page(window)
    assert isinstance(first, InfoPage)
    following = window.session.task.step_after(first.step.id, window.session.results)
    qtbot.waitUntil(lambda: following.id in window._prebuilt, timeout=PREBUILD_AFTER_MS + 5000)
    built = window._prebuilt[following.id]
    assert not built.isVisible() and window.session.results.get(following.id) is None, "built is not seen"

    renders = sum(picture.render_counts.values())
    tap(first.next_button)
    assert page(window) is built and following.id not in window._prebuilt
    assert built.picture.size() == first.picture.size()
    assert sum(picture.render_counts.values()) == renders, "its picture was drawn while the patient read"
    qtbot.waitUntil(lambda: window.session.results.get(following.id) is not None, timeout=5000)  # once painted


def test_a_page_built_ahead_goes_with_the_session(window, qtbot):
    start(window)
    enter_identity(window, Patient(name="Hedda Quist"))
    qtbot.waitUntil(lambda: bool(window._prebuilt), timeout=PREBUILD_AFTER_MS + 5000)
    built = list(window._prebuilt.values())
    tap(page(window).back_button)  # back through the identity pages to Welcome: the session ends
    while window.session is not None:
        tap(page(window).back_button)
    assert window._prebuilt == {} and not any(p.isVisible() or p.isWindow() for p in built)
    qtbot.waitUntil(lambda: not any(shiboken6.isValid(p) for p in built), timeout=2000)  # destroyed after Welcome


def test_the_cement_animation_page_is_drawn_ahead_too(window, qtbot):
    """The page before "Filling the broken bone" is read; meanwhile the animation's still parts
    are drawn at the size they will be shown, so Next draws only the moving needle and cement."""
    from kiosk.ui.widgets.cement_animation import CementAnimation

    start(window)
    enter_identity(window, Patient(name="Greta Lindqvist"))
    while True:
        current = page(window)
        assert isinstance(current, InfoPage), "the journey reached no cement animation page"
        following = window.session.task.step_after(current.step.id, window.session.results)
        if following.id == "info.day_cement":
            break
        tap(current.next_button)
    qtbot.waitUntil(lambda: following.id in window._prebuilt, timeout=PREBUILD_AFTER_MS + 5000)
    animation = window._prebuilt[following.id].picture
    assert isinstance(animation, CementAnimation) and not animation.isVisible()
    still = animation.picture
    assert still._cache_key is not None and not still._cache.isNull(), "its still parts were not drawn ahead"
    drawn_for = still._cache_key
    tap(current.next_button)
    assert page(window).picture is animation
    assert still._still_pixmap() is still._cache and still._cache_key == drawn_for, "drawn again when shown"
