"""Speech through the real speaker program (eSpeak NG in a child process), in all 11 languages.

One Synthesizer for the module: the child starts once. Expected durations: words (spaces
between them) at 175 a minute; Chinese, Han characters at 4 a second (Mandarin syllables).
Timings are printed (`-s` shows them), never asserted.
"""

import array
import math
import os
import re
import signal
import sys
import threading
import time

import pytest

from kiosk.content import load_pack
from kiosk.speech import Speech, SpeechUnavailable, Synthesizer, Word, voice_for
from kiosk.speech.engine import NORMAL_RATE, SLOWER_RATE

LANGUAGES = ["en", "es", "fr", "de", "it", "pt", "pl", "tr", "uk", "ar", "zh"]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TIMINGS: dict[str, tuple[float, float]] = {}  # language -> (synthesis seconds, audio seconds)


@pytest.fixture(scope="module")
def synth():
    synthesizer = Synthesizer()
    yield synthesizer
    synthesizer.close()


@pytest.fixture(scope="module")
def first_speak_seconds(synth):
    started = time.perf_counter()
    synth.speak("Hello.", "en")
    return time.perf_counter() - started


@pytest.fixture(scope="module")
def spoken(synth, first_speak_seconds):
    """language -> (text, Speech): the first page's body and the first question's prompt."""
    result = {}
    for code in LANGUAGES:
        pack = load_pack(code)
        text = pack.pages[0].body + "\n\n" + pack.questions[0].prompt
        started = time.perf_counter()
        speech = synth.speak(text, code)
        TIMINGS[code] = (time.perf_counter() - started, speech.seconds)
        result[code] = (text, speech)
    return result


def words_of(text: str) -> list[tuple[int, int]]:
    """Spans of the text's words: runs between spaces, punctuation trimmed at both ends."""
    spans = []
    for match in re.finditer(r"\S+", text):
        start, end = match.span()
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not (text[end - 1].isalnum() or _is_mark(text[end - 1])):
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def _is_mark(char: str) -> bool:
    import unicodedata
    return unicodedata.category(char).startswith("M")


def rms(pcm: bytes) -> float:
    samples = array.array("h", pcm)
    if sys.byteorder != "little":
        samples.byteswap()
    return math.sqrt(sum(s * s for s in samples) / max(len(samples), 1))


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_speech_is_audible(spoken, code):
    _, speech = spoken[code]
    assert speech.sample_rate == 22050
    assert len(speech.pcm) % 2 == 0
    assert rms(speech.pcm) > 300, "silent or nearly so"


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_duration_is_plausible(spoken, code):
    text, speech = spoken[code]
    if code == "zh":
        expected = len(HAN.findall(text)) / 4
    else:
        expected = len(words_of(text)) / NORMAL_RATE * 60
    assert 0.4 * expected <= speech.seconds <= 2.5 * expected, (speech.seconds, expected)


@pytest.mark.parametrize("code", LANGUAGES)
def test_word_events_are_whole_words_in_order(spoken, code):
    text, speech = spoken[code]
    words = speech.words
    assert words
    for before, after in zip(words, words[1:]):
        assert after.start > before.start and after.sample > before.sample
    assert all(0 <= w.sample < len(speech.pcm) // 2 for w in words)
    if code == "zh":
        for w in words:
            assert w.length >= 1
            assert all(HAN.match(c) for c in text[w.start:w.start + w.length]), w
        return
    spans = set(words_of(text))
    for w in words:
        piece = text[w.start:w.start + w.length]
        assert (w.start, w.start + w.length) in spans or _inner_word(text, w), (piece, w)


def _inner_word(text: str, w: Word) -> bool:
    """A word joined to its neighbour by an apostrophe or hyphen ("l'hôpital" as one word is
    a span of words_of; "30-40%" may be trimmed to "30-40"): no spaces, letters at both ends,
    not cut in the middle of a letter run."""
    piece = text[w.start:w.start + w.length]
    end = w.start + w.length
    return (bool(piece) and not any(c.isspace() for c in piece)
            and piece[0].isalnum() and (piece[-1].isalnum() or _is_mark(piece[-1]))
            and (w.start == 0 or not text[w.start - 1].isalnum())
            and (end == len(text) or not text[end].isalnum()))


@pytest.mark.parametrize("code", LANGUAGES)
def test_most_words_have_an_event(spoken, code):
    text, speech = spoken[code]
    if code == "zh":
        han = {m.start() for m in HAN.finditer(text)}
        covered = {i for w in speech.words for i in range(w.start, w.start + w.length)}
        share = len(han & covered) / len(han)
    else:
        spans = words_of(text)
        starts = [w.start for w in speech.words]
        share = sum(any(s <= x < e for x in starts) for s, e in spans) / len(spans)
    assert share >= 0.8, share


def test_slower_speech_is_longer(synth, spoken):
    text, normal = spoken["en"]
    slower = synth.speak(text, "en", slower=True)
    assert slower.seconds > normal.seconds * 1.15
    assert [(w.start, w.length) for w in slower.words] == [(w.start, w.length) for w in normal.words]
    assert SLOWER_RATE / NORMAL_RATE == pytest.approx(0.75, abs=0.03)


def test_a_second_speak_reuses_the_child(synth, spoken):
    pid = synth.pid
    assert pid is not None
    synth.speak("Once more.", "en")
    assert synth.pid == pid


def test_a_killed_child_is_restarted(synth, spoken):
    pid = synth.pid
    os.kill(pid, signal.SIGKILL)
    speech = synth.speak("Still here.", "en")
    assert speech.words and synth.pid not in (None, pid)


def test_the_kiosk_process_never_loads_espeak(synth, spoken):
    assert "espeakng_loader" not in sys.modules
    with open("/proc/self/maps") as maps:
        assert "libespeak" not in maps.read()


def test_no_child_program_means_speech_unavailable():
    with pytest.raises(SpeechUnavailable, match="cannot start"):
        Synthesizer(python="/nonexistent").speak("Hello.", "en")


def test_a_child_that_dies_twice_means_speech_unavailable():
    with pytest.raises(SpeechUnavailable, match="died twice"):
        Synthesizer(python="/bin/false").speak("Hello.", "en")


def test_a_library_that_cannot_load_means_speech_unavailable(tmp_path, monkeypatch):
    (tmp_path / "espeakng_loader.py").write_text(
        "def get_library_path():\n    return '/nonexistent/libespeak-ng.so'\n"
        "def get_data_path():\n    return '/nonexistent'\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    synthesizer = Synthesizer()
    try:
        with pytest.raises(SpeechUnavailable, match="could not be loaded"):
            synthesizer.speak("Hello.", "en")
    finally:
        synthesizer.close()


def test_an_unknown_voice_is_unavailable_and_the_child_goes_on(synth, spoken):
    with pytest.raises(SpeechUnavailable, match="no voice"):
        synth.speak("Hello.", "xx-nonexistent")
    assert synth.speak("Hello.", "en").words


def test_two_threads_get_their_own_speech(synth, spoken):
    results = {}

    def speak(code, text):
        results[code] = synth.speak(text, code)

    threads = [threading.Thread(target=speak, args=(c, t)) for c, t in
               [("en", "One two three four."), ("de", "Eins zwei drei.")]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results["en"].words) == 4 and len(results["de"].words) == 3


def test_empty_text_gives_empty_speech(synth, spoken):
    speech = synth.speak("", "en")
    assert speech.words == () and speech.text == ""


def test_voices():
    assert voice_for("zh") == "cmn"
    assert [voice_for(c) for c in LANGUAGES if c != "zh"] == [c for c in LANGUAGES if c != "zh"]


def test_word_at_is_the_last_word_started():
    words = (Word(0, 3, 100), Word(4, 5, 900))
    speech = Speech(text="one three", sample_rate=22050, pcm=b"\0\0" * 22050, words=words)
    assert speech.seconds == 1.0
    assert speech.word_at(0) is None and speech.word_at(99) is None
    assert speech.word_at(100) == words[0] and speech.word_at(899) == words[0]
    assert speech.word_at(900) == words[1] and speech.word_at(10**9) == words[1]


def test_report_timings(spoken, first_speak_seconds, capsys):
    with capsys.disabled():
        print(f"\nfirst speak (child start + library load): {first_speak_seconds * 1000:.0f} ms")
        for code, (took, audio) in TIMINGS.items():
            print(f"{code}: page synthesised in {took * 1000:.0f} ms, {audio:.1f} s of speech")


SYSTEM_LIBRARY = "/usr/lib/x86_64-linux-gnu/libespeak-ng.so.1"


@pytest.mark.skipif(not os.path.exists(SYSTEM_LIBRARY) and os.environ.get("CI") != "true",
                    reason="Debian libespeak-ng1 espeak-ng-data not installed (.ci/run installs them)")
def test_the_system_espeak_ng_can_be_the_speaker(monkeypatch):
    monkeypatch.setenv("KIOSK_ESPEAK_NG_LIBRARY", SYSTEM_LIBRARY)
    monkeypatch.delenv("KIOSK_ESPEAK_NG_DATA", raising=False)
    with Synthesizer() as synthesizer:
        speech = synthesizer.speak("Guten Morgen, wie geht es Ihnen?", "de")
        assert rms(speech.pcm) > 300 and len(speech.words) == 6
        with open(f"/proc/{synthesizer.pid}/maps") as maps:
            libraries = maps.read()
        assert SYSTEM_LIBRARY.rsplit("/", 1)[1] in libraries and "espeakng_loader" not in libraries
