"""The cement injection animation: plays once when shown, never runs hidden, and shows the
procedure the way a radiologist would draw it (needle through the pedicle, cement in the body)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QAbstractAnimation, QEvent, QObject, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from kiosk.ui.widgets.cement_animation import (CEMENT, CementAnimation, bone_path, body_path, cement_path,
                                               cord_path, needle_path)

STEPS = ["The needle goes in", "Cement fills the bone", "The needle comes out"]


@pytest.fixture(autouse=True)
def nothing_runs_once_hidden(qtbot):
    """After every test: hiding any animation stops its ticking (the kiosk's timer rule)."""
    yield
    for widget in QApplication.allWidgets():
        if isinstance(widget, CementAnimation):
            widget.hide()
            assert not widget.is_running()


@pytest.fixture
def make(qtbot):
    from kiosk.ui import theme

    # The animation takes the installed palette; an earlier test in this process may have
    # left high contrast installed, whose cement is another blue than CEMENT.
    theme.install(QApplication.instance())

    def make(**kwargs) -> CementAnimation:
        animation = CementAnimation(**kwargs)
        animation.set_texts(replay="Watch again", steps=STEPS)
        qtbot.addWidget(animation)
        animation.resize(800, 700)
        return animation

    return make


def running_animations(widget) -> list[QAbstractAnimation]:
    return [a for a in widget.findChildren(QAbstractAnimation) if a.state() == QAbstractAnimation.Running]


class PaintCounter(QObject):
    def __init__(self, widget):
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint:
            self.count += 1
        return False


def cement_pixels(widget) -> int:
    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB32)
    pixels = memoryview(image.constBits()).cast("I").tolist()
    return pixels.count(QColor(CEMENT).rgb() & 0xFFFFFFFF)


def play_to_the_end(qtbot, animation) -> list[float]:
    seen = []
    animation.progress_changed.connect(seen.append)
    with qtbot.waitSignal(animation.finished, timeout=5000):
        animation.show()
    return seen


def test_showing_plays_it_to_the_end(make, qtbot):
    animation = make(duration_ms=600)
    play_to_the_end(qtbot, animation)
    assert animation.progress == 1.0
    assert not animation.is_running() and running_animations(animation) == []


def animation_time_passes(qtbot, ms: int) -> None:
    """Wait until Qt's animation clock itself has moved on by `ms` (a reference animation has
    run that long): evidence that the animation under test COULD have moved, with no fixed
    sleep - on a slow machine it simply takes longer."""
    from PySide6.QtCore import QVariantAnimation

    reference = QVariantAnimation()
    reference.setDuration(60_000)
    reference.setStartValue(0.0)
    reference.setEndValue(1.0)
    reference.start()
    qtbot.waitUntil(lambda: reference.currentTime() >= ms, timeout=10_000)
    reference.stop()


def test_once_finished_it_stops_painting(make, qtbot):
    animation = make(duration_ms=600)
    play_to_the_end(qtbot, animation)
    QApplication.processEvents()  # the last frame's paint, if still pending
    paints = PaintCounter(animation.picture)
    animation_time_passes(qtbot, 300)
    assert paints.count == 0, "a finished animation must not use the CPU"


def test_progress_only_moves_forward_while_playing(make, qtbot):
    animation = make(duration_ms=600)
    seen = play_to_the_end(qtbot, animation)
    assert len(seen) > 5 and seen == sorted(seen)
    assert seen[0] == 0.0 and seen[-1] == 1.0


def test_painted_frames_are_timed_while_playing(make, qtbot):
    animation = make(duration_ms=600)
    play_to_the_end(qtbot, animation)
    times = animation.frame_times_ms()
    assert len(times) > 5 and all(t > 0 for t in times)


def test_the_needle_ends_in_the_body_and_leaves_it():
    body = CementAnimation.body_path()
    assert not body.contains(CementAnimation.needle_tip(0.0))
    assert body.contains(CementAnimation.needle_tip(0.3))
    assert body.contains(CementAnimation.needle_tip(0.6))
    assert not body.contains(CementAnimation.needle_tip(1.0))


@pytest.mark.parametrize("progress", [i / 20 for i in range(21)])
def test_the_needle_never_crosses_the_spinal_cord(progress):
    """Where the cord shows, the needle is inside the pedicle that hides it, never beside it."""
    exposed_cord = cord_path().subtracted(bone_path())
    overlap = needle_path(progress).intersected(exposed_cord).boundingRect()
    assert overlap.width() * overlap.height() < 1.0


def test_the_cement_stays_inside_the_body_and_off_its_back_wall():
    cement, body = cement_path(1.0), body_path()
    leak = cement.subtracted(body).boundingRect()
    assert leak.width() * leak.height() < 1.0
    assert cement.boundingRect().right() < body.boundingRect().right() - 15


def test_the_cement_grows_with_time(make, qtbot):
    animation = make(duration_ms=600)
    animation.show()
    qtbot.waitExposed(animation)  # shown and painted once, as on a kiosk, before the moments are set
    counts = []
    for moment in (0.0, 0.3, 0.4, 0.7, 1.0):
        animation.set_progress(moment)
        assert animation.progress == moment and not animation.is_running()
        counts.append(cement_pixels(animation))
    assert counts[0] == counts[1] == 0, "no cement before the needle is in place"
    assert 0 < counts[2] < counts[3] <= counts[4]


@pytest.mark.parametrize("hold, go_on", [("hide", "show"), ("pause", "resume")])
def test_holding_keeps_the_moment_and_going_on_continues(make, qtbot, hold, go_on):
    animation = make(duration_ms=4000)
    animation.show()
    qtbot.waitUntil(lambda: animation.progress > 0.05, timeout=3000)
    getattr(animation, hold)()
    held = animation.progress
    assert not animation.is_running()
    animation_time_passes(qtbot, 250)
    assert animation.progress == held
    getattr(animation, go_on)()
    assert animation.is_running()
    qtbot.waitUntil(lambda: animation.progress > held, timeout=3000)


def test_a_paused_animation_stays_paused_when_shown_again(make, qtbot):
    animation = make(duration_ms=4000)
    animation.show()
    animation.pause()
    animation.hide()
    animation.show()
    assert not animation.is_running()


def test_play_while_hidden_waits_for_the_screen(make, qtbot):
    animation = make(duration_ms=600)
    animation.play()
    assert animation.progress == 0.0 and not animation.is_running()
    with qtbot.waitSignal(animation.finished, timeout=5000):
        animation.show()


def test_replay_starts_again_from_the_beginning(make, qtbot):
    animation = make(duration_ms=600)
    play_to_the_end(qtbot, animation)
    seen = []
    animation.progress_changed.connect(seen.append)
    qtbot.mouseClick(animation.replay_button, Qt.LeftButton)
    assert seen[0] == 0.0 and animation.is_running()
    qtbot.waitSignal(animation.finished, timeout=5000).wait()
    assert animation.progress == 1.0


def test_replay_button_is_big_and_translated(make, qtbot):
    animation = make()
    animation.show()
    assert animation.replay_button.isVisible() and animation.replay_button.height() >= 80
    assert animation.replay_button.text() == "Watch again"
    with pytest.raises(ValueError):
        animation.set_texts(steps=["only one"])


def test_reduce_motion_shows_the_end_and_three_steps(make, qtbot):
    animation = make(reduce_motion=True)
    assert animation.progress == 1.0
    with qtbot.waitSignal(animation.finished, timeout=1000):
        animation.show()
    assert animation.progress == 1.0
    assert animation.findChildren(QAbstractAnimation) == []
    assert len(animation.stills) == 3 and all(still.isVisible() for still in animation.stills)
    assert [caption.text() for caption in animation.step_captions] == STEPS
    assert not animation.replay_button.isVisible()
    animation.replay()
    assert animation.progress == 1.0 and animation.findChildren(QAbstractAnimation) == []


def test_every_animation_a_structure_may_name_has_a_widget():
    from kiosk.content.structure import ANIMATIONS
    from kiosk.ui.widgets.animations import MAKERS

    assert set(ANIMATIONS) == set(MAKERS)
