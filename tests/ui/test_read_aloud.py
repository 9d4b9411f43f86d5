""""Read to me": the page read aloud in the patient's language, the word being read highlighted.

In this process the audio position is a clock the test moves on (no sound device is touched);
real playback through QAudioSink runs in a child process against a PulseAudio null sink
(tests/ui/pulse.py), and with no sound server at all in another child.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.speech import SpeechUnavailable
from kiosk.ui.pages.education import InfoPage
from kiosk.ui.read_aloud import highlighted, page_reading
from tests.ui.conftest import page, tap
from tests.ui.journey import Patient, enter_identity, start
from tests.ui.pulse import NullSink, pulseaudio_missing

ROOT = Path(__file__).resolve().parents[2]
SPAN = re.compile(r"<span[^>]*>(.*?)</span>", re.S)


class AudioClock:
    """The audio position the reader sees, in microseconds; the test sets it."""

    def __init__(self):
        self.us = 0

    def __call__(self) -> int:
        return self.us

    def at_sample(self, speech, sample: int) -> None:
        self.us = -(-sample * 1_000_000 // speech.sample_rate)  # rounded up: at or past the sample


def to_first_page(make_window, clock, **settings):
    window = make_window(**settings)
    window._make_read_to_me().reader.clock = clock  # before Start: no sound device is asked
    start(window)
    enter_identity(window, Patient())
    assert isinstance(page(window), InfoPage)
    return window


def wait_speech(qtbot, reader):
    qtbot.waitUntil(lambda: reader._speech is not None, timeout=15000)
    return reader._speech


def highlighted_word(strip) -> str:
    found = SPAN.findall(strip.sentence.text())
    assert len(found) == 1, strip.sentence.text()
    return html.unescape(found[0])


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_highlight_follows_the_words_espeak_reported(make_window, qtbot, language):
    clock = AudioClock()
    window = to_first_page(make_window, clock, default_language=language)
    read = window.read_to_me
    assert read.button.isVisible() and read.button.text() == window.pack.ui("read_to_me")
    assert not read.strip.isVisible()
    tap(read.button)
    speech = wait_speech(qtbot, read.reader)
    assert read.button.text() == window.pack.ui("read_stop")
    title = page(window).findChildren(type(read.strip.sentence))[0].text()
    assert speech.text.startswith(" ".join(title.split()))  # the title first
    assert len(speech.words) > 20
    checked = 0
    for word in speech.words[:: max(1, len(speech.words) // 8)]:
        for sample in (word.sample, word.sample + 200):
            clock.at_sample(speech, sample)
            expected = speech.word_at(sample * 1)  # what espeak reported for that sample
            qtbot.waitUntil(lambda e=expected: read.reader.shown_word == (e.start, e.length), timeout=2000)
            assert highlighted_word(read.strip) == speech.text[expected.start:expected.start + expected.length]
            checked += 1
    assert checked >= 8
    assert read.strip.isVisible()
    # a moment in the middle of the second piece, for the screenshot
    middle = next(w for w in speech.words if w.start > len(speech.text) // 3)
    clock.at_sample(speech, middle.sample)
    qtbot.waitUntil(lambda: read.reader.shown_word == (middle.start, middle.length), timeout=2000)
    QApplication.processEvents()
    shots = ROOT / "docs" / "screenshots"
    if shots.is_dir():
        window.grab().save(str(shots / f"read-aloud-{language}.png"))
    # the end of the audio: reading is over, the strip stays with Read again
    clock.at_sample(speech, len(speech.pcm) // 2)
    qtbot.waitUntil(lambda: not read.reader.reading, timeout=2000)
    assert read.button.text() == window.pack.ui("read_to_me")
    assert read.strip.isVisible() and read.strip.again_button.text() == window.pack.ui("read_again")


def start_reading(make_window, qtbot):
    """The first education page, Read to me tapped, its speech back: (window, read, clock, speech)."""
    clock = AudioClock()
    window = to_first_page(make_window, clock)
    read = window.read_to_me
    tap(read.button)
    return window, read, clock, wait_speech(qtbot, read.reader)


def test_leaving_the_screen_stops_the_speech_and_hides_the_strip(make_window, qtbot):
    window, read, clock, speech = start_reading(make_window, qtbot)
    clock.at_sample(speech, speech.words[3].sample)
    qtbot.waitUntil(lambda: read.strip.sentence.text() != "", timeout=2000)
    first = page(window)
    tap(first.next_button)
    assert page(window) is not first
    assert not read.reader.reading and read.reader._speech is None
    assert not read.strip.isVisible() and read.strip.sentence.text() == ""
    assert read.button.text() == window.pack.ui("read_to_me")
    QApplication.processEvents()
    assert read.strip.sentence.text() == ""  # nothing comes back from the old page's speech


def test_the_end_of_the_session_and_the_time_out_leave_nothing_in_the_strip(make_window, qtbot):
    clock = AudioClock()
    window = to_first_page(make_window, clock)
    read = window.read_to_me
    for end in (window.end_session, window.time_out):
        if window.session is None:
            start(window)
            enter_identity(window, Patient())
        tap(read.button)
        speech = wait_speech(qtbot, read.reader)
        clock.at_sample(speech, speech.words[2].sample)
        qtbot.waitUntil(lambda: read.strip.sentence.text() != "", timeout=2000)
        end()
        assert not read.reader.reading and read.reader._speech is None and read.reader._reading is None
        assert read.strip.sentence.text() == "" and not read.strip.isVisible()
        assert not read.button.isVisible()
        clock.us = 0


def test_a_synthesis_that_comes_back_after_stop_is_dropped(make_window, qtbot):
    window = to_first_page(make_window, AudioClock())
    read = window.read_to_me
    tap(read.button)
    tap(read.button)  # Stop, before the speech is back
    qtbot.wait(300)  # the worker's answer arrives meanwhile and is dropped
    assert read.reader._speech is None and not read.strip.isVisible()


def test_speech_never_starts_by_itself_unless_set_to(make_window, qtbot):
    window = to_first_page(make_window, AudioClock())
    qtbot.wait(200)
    assert not window.read_to_me.reader.reading and window.read_to_me.reader._speech is None
    window = to_first_page(make_window, AudioClock(), read_aloud_by_default=True)
    first = page(window)
    speech = wait_speech(qtbot, window.read_to_me.reader)
    assert speech.text == page_reading(first).text
    tap(first.next_button)  # the next page is read too, from its start
    qtbot.waitUntil(lambda: window.read_to_me.reader._speech is not None
                    and window.read_to_me.reader._page is page(window), timeout=15000)


def test_slower_reads_again_more_slowly_and_read_again_restarts(make_window, qtbot):
    window, read, _clock, normal = start_reading(make_window, qtbot)
    assert read.strip.speed_button.text() == window.pack.ui("read_slower")
    tap(read.strip.speed_button)
    qtbot.waitUntil(lambda: read.reader._speech is not None and read.reader._speech is not normal, timeout=15000)
    slower = read.reader._speech
    assert slower.text == normal.text and slower.seconds > normal.seconds * 1.2
    assert read.strip.speed_button.text() == window.pack.ui("read_normal")
    tap(read.strip.again_button)
    qtbot.waitUntil(lambda: read.reader._speech is not None and read.reader._speech is not slower, timeout=15000)
    assert read.reader.reading


def test_when_espeak_cannot_speak_the_button_says_so_and_is_disabled(make_window, qtbot):
    class Broken:
        def speak(self, text, language, *, slower=False):
            raise SpeechUnavailable("no voice")

        def close(self):
            pass

    window = to_first_page(make_window, AudioClock())
    read = window.read_to_me
    read.reader._synthesizer = Broken()
    tap(read.button)
    qtbot.waitUntil(lambda: not read.reader.available, timeout=5000)
    assert read.button.text() == window.pack.ui("read_unavailable") and not read.button.isEnabled()
    assert not read.strip.isVisible()


def test_what_is_read_skips_the_keys_and_the_back_next_row(make_window, qtbot):
    window = make_window()
    window._make_read_to_me().reader.clock = AudioClock()
    start(window)
    tap(page(window).choices["patient"])
    name_page = page(window)
    pieces = page_reading(name_page).pieces
    assert pieces and pieces[0] == " ".join(name_page.findChildren(type(window.read_to_me.strip.sentence))[0].text().split())
    keys = {key.text() for key in name_page.keyboard.findChildren(type(window.read_to_me.button).__mro__[1])}
    assert not keys & set(pieces), keys & set(pieces)
    assert window.pack.ui("next") not in pieces and window.pack.ui("back") not in pieces


@pytest.mark.parametrize("large_text", [False, True], ids=["normal text", "large text"])
def test_the_reading_strip_fits_on_a_1280x800_tablet(make_window, qtbot, large_text):
    """The strip takes height under the header while it reads: the name page's keyboard, a
    question with its explanation, the statements and the signature pad still fit the screen."""
    from kiosk.ui.pages.decision import SignaturePage
    from kiosk.ui.pages.identity import NamePage
    from kiosk.ui.pages.questions import QuestionPage
    from kiosk.ui.theme import screen_scale
    from tests.ui.journey import decide, read_education, to_the_statements
    from tests.ui.test_fits_screen import misfits

    clock = AudioClock()
    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(800), large_text=large_text)
    window.resize(1280, 800)
    window._make_read_to_me().reader.clock = clock
    read = window.read_to_me
    seen = {}

    def check(name):
        tap(read.button)
        speech = wait_speech(qtbot, read.reader)
        middle = speech.words[len(speech.words) // 2]  # a sentence from the middle of the page
        clock.at_sample(speech, middle.sample)
        qtbot.waitUntil(lambda: read.strip.isVisible() and read.reader.shown_word == (middle.start, middle.length),
                        timeout=2000)
        seen[name] = misfits(window, (1280, 800))
        tap(read.button)  # Stop
        clock.us = 0

    start(window)
    tap(page(window).choices["patient"])
    assert isinstance(page(window), NamePage)
    check("name")
    patient = Patient()
    window.end_session()
    start(window)
    enter_identity(window, patient)
    read_education(window)
    q_page = page(window)
    assert isinstance(q_page, QuestionPage)
    q = window.pack.question(q_page.question.id)
    tap(q_page.choices[next(c.id for c in q.choices if c.id != q.correct)])
    check("question with its explanation")
    shots = ROOT / "docs" / "screenshots"
    if large_text and shots.is_dir():  # read again and kept on screen, to be looked at
        tap(read.button)
        speech = wait_speech(qtbot, read.reader)
        middle = speech.words[len(speech.words) // 2]
        clock.at_sample(speech, middle.sample)
        qtbot.waitUntil(lambda: read.reader.shown_word == (middle.start, middle.length), timeout=2000)
        QApplication.processEvents()
        window.grab().save(str(shots / "read-aloud-large-text-1280x800.png"))
        tap(read.button)
        clock.us = 0
    window.end_session()
    to_the_statements(window, window.pack, patient)
    check("statements")
    decide(window, patient, qtbot)
    assert isinstance(page(window), SignaturePage)
    check("signature")
    problems = "\n".join(f"{name}: {'; '.join(p)}" for name, p in seen.items() if p)
    assert not problems, "\n" + problems
    assert len(seen) == 4


def test_highlighted_escapes_the_text():
    assert highlighted("a <b> & c", 2, 3) == "a <span style='background-color:#ffe08a; color:#1a1a1a;'>&lt;b&gt;</span> &amp; c"


# ----- real playback, in child processes (QtMultimedia reads PULSE_SERVER when it starts) -------
CHILD = r"""
import json, sys, time
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kiosk.settings import Settings
from kiosk.store import open_database
from kiosk.ui import theme
from kiosk.ui.window import KioskWindow
from pathlib import Path
from tests.ui.journey import start
from tests.ui.taps import TapClock
data = Path(sys.argv[1])
settings = Settings(hospital_name="St Elsewhere Hospital", time_zone="Europe/London")
theme.install(app, scale=1.0)
window = KioskWindow(settings=settings, data_dir=data, db=open_database(data / "kiosk.db"), tap_clock=TapClock())
window.resize(1920, 1080); window.show()
start(window)  # "Who is signing?": a short page, a few seconds of speech in real time
read = window.read_to_me
out = {"available": read.reader.available, "button": read.button.text(), "enabled": read.button.isEnabled()}
if read.reader.available:
    read.button.click()
    deadline = time.monotonic() + 120
    speech = None
    states = set()
    while time.monotonic() < deadline:
        app.processEvents()
        speech = speech or read.reader._speech
        player = read.reader._player
        if player is not None:
            states.add(player.state())
            out["us"] = player.position_us()
            out["state"] = player.sink.state().name
        if speech is not None and not read.reader.reading:
            break
        if not read.reader.available:
            break
        time.sleep(0.01)
    out.update(seconds=speech.seconds if speech else None, states=sorted(states), reading=read.reader.reading,
               ended=read.reader.ended,
               available_after=read.reader.available, button_after=read.button.text(),
               enabled_after=read.button.isEnabled())
window.close()
print("RESULT " + json.dumps(out), flush=True)
"""


def run_child(tmp_path, pulse_server: str) -> dict:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    env = dict(os.environ, PULSE_SERVER=pulse_server, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", CHILD, str(data)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=180)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stdout + done.stderr
    return json.loads(lines[-1][len("RESULT "):])


@pytest.mark.skipif(pulseaudio_missing() and not os.environ.get("CI"), reason="pulseaudio not installed")
def test_a_page_plays_to_its_end_through_a_null_sink(tmp_path):
    with NullSink(tmp_path / "pulse") as sink:
        out = run_child(tmp_path, sink.server)
    assert out["available"] and out["enabled"], out
    assert out["available_after"] and not out["reading"], out
    assert "active" in out["states"], out  # it played
    end, position_us = out["ended"]
    assert end == "idle", out  # the sink ran out of sound: the end, not an error or a stop
    assert abs(position_us / 1e6 - out["seconds"]) < 0.25, out  # every sample of it was played
    assert out["button_after"] == "Read to me"


def test_with_no_sound_server_the_button_says_sound_is_not_available(tmp_path):
    out = run_child(tmp_path, f"unix:{tmp_path}/no-such-socket")
    assert not out["available"] and not out["enabled"], out
    assert out["button"] == "Sound is not available on this screen"
