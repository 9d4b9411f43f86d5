"""Offline speech for "Read to me": text in, 16-bit PCM and word timings out. No Qt.

eSpeak NG is GPL-3.0-or-later and this kiosk is Apache-2.0, so the library is never loaded
into this process: `Synthesizer` runs the separate program `kiosk.speech.espeak_process` as a
child and exchanges only data with it over pipes (README, "Speech, and eSpeak NG's licence").

Threading: `Synthesizer.speak` may be called from any thread; one lock serialises requests to
the one child, so a second caller waits for the first. Call it off the UI thread: a page of
text takes tens of milliseconds, the very first call also starts the child (a few hundred).
"""

from __future__ import annotations

import bisect
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

NORMAL_RATE = 175  # words a minute, eSpeak NG's own default
SLOWER_RATE = 130  # about three quarters of it, for "slower"

_VOICES = {"zh": "cmn"}  # the kiosk's language code -> eSpeak NG voice, where they differ
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"[{_HAN}]+")
# A word: letters and digits (Arabic and Latin combining marks included) joined by inner
# apostrophes or hyphens ("l'hôpital", "30-40"); Han characters are measured apart.
_LETTER = rf"(?:[^\W_{_HAN}]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670])"
_WORD = re.compile(rf"{_LETTER}+(?:['’\-‐]{_LETTER}+)*")


def voice_for(language: str) -> str:
    """The eSpeak NG voice for a kiosk language code: "zh" -> "cmn", the others as they are."""
    return _VOICES.get(language, language)


@dataclass(frozen=True)
class Word:
    """One spoken word: where it is in the text, and where its audio starts."""

    start: int  # character offset in the text given to speak()
    length: int  # characters
    sample: int  # index of the first audio sample of this word


@dataclass(frozen=True)
class Speech:
    """A text spoken: mono 16-bit signed little-endian PCM and the words in the order heard."""

    text: str
    sample_rate: int
    pcm: bytes
    words: tuple[Word, ...]

    @property
    def seconds(self) -> float:
        return len(self.pcm) // 2 / self.sample_rate

    def word_at(self, sample: int) -> Word | None:
        """The word being spoken at `sample`: the last word starting at or before it (None
        before the first word)."""
        i = bisect.bisect_right([w.sample for w in self.words], sample)
        return self.words[i - 1] if i else None


class SpeechUnavailable(Exception):
    """eSpeak NG cannot speak here: the speaker program cannot start, the library cannot be
    loaded, it has no voice for the language, or it died twice in a row."""


class _ChildDied(Exception):
    pass


class Synthesizer:
    """Speaks text through one child process (started on the first `speak`, restarted if it
    dies). Thread-safe; `close()` ends the child."""

    def __init__(self, *, python: str = sys.executable, timeout: float = 60.0):
        self._python = python
        self._timeout = timeout  # seconds one text may take before the child is presumed hung
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._stderr = None

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs (for diagnostics and tests)."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def speak(self, text: str, language: str, *, slower: bool = False) -> Speech:
        """Synthesise `text` in `language` (a kiosk code: en es fr de it pt pl tr uk ar zh).

        Word offsets are snapped to whole words of `text` (punctuation outside); in Chinese a
        word is the Han characters from one of eSpeak's word starts to the next. Raises
        SpeechUnavailable when speech cannot be had; a child that died is restarted once.
        """
        request = {"text": text, "voice": voice_for(language),
                   "rate": SLOWER_RATE if slower else NORMAL_RATE}
        with self._lock:
            for attempt in (1, 2):
                try:
                    header, pcm = self._exchange(request)
                    break
                except _ChildDied as died:
                    self._stop()
                    if attempt == 2:
                        raise SpeechUnavailable(f"the speaker program died twice: {died}") from None
        if "error" in header:
            raise SpeechUnavailable(header["error"])
        return Speech(text=text, sample_rate=int(header["sample_rate"]), pcm=pcm,
                      words=_whole_words(text, header["words"]))

    def close(self) -> None:
        """End the child (it exits when its stdin closes; killed if it does not within 2 s)."""
        with self._lock:
            self._stop()

    def __enter__(self) -> Synthesizer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> subprocess.Popen:
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        self._stderr = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                [self._python, "-m", "kiosk.speech.espeak_process"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=self._stderr, env=env)
        except OSError as error:
            self._stderr.close()
            self._stderr = None
            raise SpeechUnavailable(f"the speaker program cannot start: {error}") from error
        return self._process

    def _exchange(self, request: dict) -> tuple[dict, bytes]:
        process = self._process if self._process and self._process.poll() is None else None
        if process is None:
            self._stop()
            process = self._start()
        watchdog = threading.Timer(self._timeout, process.kill)
        watchdog.start()
        try:
            process.stdin.write(json.dumps(request).encode() + b"\n")
            process.stdin.flush()
            line = process.stdout.readline()
            if not line:
                raise _ChildDied(self._last_words())
            header = json.loads(line)
            n_bytes = 2 * int(header.get("n_samples", 0))
            pcm = process.stdout.read(n_bytes) if n_bytes else b""
            if len(pcm) != n_bytes:
                raise _ChildDied(f"audio cut short ({len(pcm)} of {n_bytes} bytes)")
        except (BrokenPipeError, ConnectionResetError, ValueError) as error:
            raise _ChildDied(f"{error}; {self._last_words()}") from None
        finally:
            watchdog.cancel()
        return header, pcm

    def _last_words(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read()[-500:].decode(errors="replace").strip()

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            try:
                process.stdin.close()
            except OSError:
                pass
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None


def _whole_words(text: str, raw: list[list[int]]) -> tuple[Word, ...]:
    """eSpeak's word events as whole words of `text`, strictly increasing in offset and sample.

    An event is snapped to the word that holds its offset (or the next word, if it falls on a
    space or a mark); several events for one word (a number read as several) keep the first.
    """
    tokens = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    token_ends = [end for _, end in tokens]
    han_runs = [(m.start(), m.end()) for m in _HAN_RUN.finditer(text)]
    words: list[list[int]] = []  # [start, end, sample, is_han]
    for start, _length, sample in raw:
        if not 0 <= start < len(text):
            continue
        span = _han_span(han_runs, start)
        is_han = span is not None
        if span is None:
            i = bisect.bisect_right(token_ends, start)
            if i == len(tokens):
                continue
            span = tokens[i]
        if words and (span[0] <= words[-1][0] or sample <= words[-1][2]):
            continue
        words.append([span[0], span[1], sample, is_han])
    for here, after in zip(words, words[1:]):
        if here[3]:  # a Han word ends where eSpeak's next word starts
            here[1] = min(here[1], after[0])
    return tuple(Word(start=s, length=e - s, sample=sample) for s, e, sample, _ in words)


def _han_span(han_runs: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """From `offset` to the end of its run of Han characters, if it is in one."""
    i = bisect.bisect_right([start for start, _ in han_runs], offset) - 1
    if i >= 0 and han_runs[i][0] <= offset < han_runs[i][1]:
        return offset, han_runs[i][1]
    return None

