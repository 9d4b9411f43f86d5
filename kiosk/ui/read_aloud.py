""""Read to me": the page on screen read aloud in the patient's language, the word being read
highlighted in a reading strip.

Speech comes from `kiosk.speech` (eSpeak NG in a separate program): synthesis runs on a
`BackgroundWorker`, never on the UI thread. The 16-bit mono PCM is played by QtMultimedia's
QAudioSink pulling from a QBuffer. A QTimer polls the sink's `processedUSecs()` and `state()`
(PySide6 6.11: `QAudioSink.stateChanged` cannot reach a Python slot) and moves the highlight
to `Speech.word_at(sample)`.

With no sound device (no audio output, or a sink that stops with an error at once), or when
eSpeak cannot speak, the button says so and is disabled: the kiosk never pretends to read.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractButton, QApplication, QFrame, QHBoxLayout, QLabel, QPushButton,
                               QSizePolicy, QWidget)

POLL_MS = 40  # the highlight moves at most this late (a word lasts ~300 ms)
# Containers whose texts are not read: keys to press, a pad to draw on.
_SKIPPED = ("OnScreenKeyboard", "DatePad", "SignaturePad")
# Page buttons that move on or tidy up: not content to read.
_NAV_ATTRIBUTES = ("back_button", "next_button", "more_button", "clear_button")


@dataclass(frozen=True)
class Reading:
    """What is read on one page: its pieces (title, paragraphs, choices) joined by newlines."""

    pieces: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.pieces)

    def piece_at(self, offset: int) -> tuple[int, str]:
        """The piece holding character `offset` of `text`, and where that piece starts."""
        start = 0
        for piece in self.pieces:
            if offset < start + len(piece) + 1:
                return start, piece
            start += len(piece) + 1
        return (start - len(self.pieces[-1]) - 1, self.pieces[-1]) if self.pieces else (0, "")


def page_reading(page: QWidget) -> Reading:
    """The visible texts of `page` in reading order: top to bottom, then along the line in the
    layout's direction (right to left in Arabic). Keyboard keys, the date pad, the signature
    pad and the Back/Next row are left out; a button's text is read once."""
    skip = {id(getattr(page, name)) for name in _NAV_ATTRIBUTES if getattr(page, name, None) is not None}
    rtl = page.layoutDirection() == Qt.RightToLeft
    found = []
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, (QLabel, QAbstractButton)) or not widget.isVisibleTo(page):
            continue
        if id(widget) in skip or _inside_skipped(widget, page, skip):
            continue
        if isinstance(widget, QLabel) and isinstance(widget.parentWidget(), QAbstractButton):
            continue  # a WrapButton's own label: the button's text() is it
        text = " ".join(widget.text().split())
        if not text:
            continue
        position = widget.mapTo(page, widget.rect().topLeft())
        found.append(((position.y(), -position.x() if rtl else position.x()), text))
    found.sort(key=lambda item: item[0])
    return Reading(tuple(sentence for _, text in found for sentence in sentences(text)))


_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|(?<=[。！？])\s*")  # "3.5 cm" stays whole


def sentences(text: str) -> list[str]:
    """`text` cut after each full stop, question or exclamation mark (Latin, Arabic, Chinese):
    the strip shows one sentence at a time."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def _inside_skipped(widget: QWidget, page: QWidget, skip: set[int]) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        if id(parent) in skip or type(parent).__name__ in _SKIPPED:
            return True
        parent = parent.parentWidget()
    return type(widget).__name__ in _SKIPPED


def highlighted(piece: str, start: int, length: int) -> str:
    """`piece` as rich text, escaped, with the characters [start, start+length) in a span."""
    before, word, after = piece[:start], piece[start:start + length], piece[start + length:]
    return (f"{html.escape(before)}<span style='background-color:#ffe08a; color:#1a1a1a;'>"
            f"{html.escape(word)}</span>{html.escape(after)}")


class ReadingStrip(QFrame):
    """The sentence being read, its word highlighted, with Slower (or Normal) and Read again.

    It sits in the header, in the room of the hospital's name, the step counter, the nurse
    banner and Language while it reads (`room` makes that room before it shows and gives it
    back after it hides): a row of its own under the header left a question with its
    explanation too little height at 1280x800. A long sentence is shown a part at a time, at
    most two lines, so the header keeps its height."""

    LINES = 2

    def __init__(self, parent=None, *, room: Callable[[bool], None] | None = None):
        super().__init__(parent)
        self.room = room
        self.setObjectName("readingstrip")  # its colours are the theme's (theme.style_sheet), in both palettes
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 0, 6, 0)  # its buttons are as tall as the header allows
        row.setSpacing(8)
        self.sentence = QLabel()
        self.sentence.setTextFormat(Qt.RichText)
        self.sentence.setWordWrap(True)
        self.sentence.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # never widens the header
        font = self.sentence.font()
        font.setPixelSize(max(20, QApplication.font().pixelSize()))  # the page's body size
        self.sentence.setFont(font)
        self.speed_button = QPushButton()
        self.again_button = QPushButton()
        self._parts = None  # (sentence, width, its parts): the last sentence's, as measured
        row.addWidget(self.sentence, 1)
        row.addWidget(self.speed_button)
        row.addWidget(self.again_button)
        self.hide()

    def open(self) -> None:
        if not self.isVisible():
            if self.room is not None:
                self.room(True)  # first: shown beside them, the header would be wider than the screen
            self.show()

    def show_word(self, piece: str, start: int, length: int) -> None:
        part, offset = self._part(piece, start)
        self.sentence.setText(highlighted(part, start - offset, length))

    def _part(self, piece: str, start: int) -> tuple[str, int]:
        """The part of `piece` around character `start` that wraps onto at most LINES lines of
        the sentence's width, and where that part starts."""
        width = self.sentence.width() if self.sentence.width() > 50 else 400
        if self._parts is None or self._parts[:2] != (piece, width):  # measured once a sentence
            self._parts = (piece, width, self._split(piece, width))
        parts = self._parts[2]
        for begin, end in parts:
            if start < end or (begin, end) == parts[-1]:
                return piece[begin:end], begin
        return piece, 0

    def _split(self, piece: str, width: int) -> list[tuple[int, int]]:
        """`piece` cut at spaces into parts that wrap onto at most LINES lines of `width`, as
        Qt wraps them."""
        metrics = self.sentence.fontMetrics()
        most = (self.LINES + 0.5) * metrics.lineSpacing()  # LINES lines, not LINES + 1 (a line's own leading aside)

        def fits(text: str) -> bool:
            return metrics.boundingRect(QRect(0, 0, width, round(100 * most)), Qt.TextWordWrap, text).height() <= most

        parts, begin = [], 0
        while begin < len(piece):
            end = len(piece)
            while end > begin + 1 and not fits(piece[begin:end]):
                space = piece.rfind(" ", begin, end - 1)
                end = space if space > begin else max(begin + 1, end - max(1, (end - begin) // 4))
            parts.append((begin, end))
            begin = end + 1 if end < len(piece) and piece[end] == " " else end
        return parts

    def wipe(self) -> None:
        """Nothing of the page (a name, an answer) stays in the strip."""
        self.sentence.setText("")
        if self.isVisible():
            self.hide()
            if self.room is not None:
                self.room(False)


class _SinkPlayer:
    """Plays one Speech through QAudioSink; imported and made only when sound is wanted."""

    def __init__(self, speech):
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice
        from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

        audio_format = QAudioFormat()
        audio_format.setSampleRate(speech.sample_rate)
        audio_format.setChannelCount(1)
        audio_format.setSampleFormat(QAudioFormat.Int16)
        self.buffer = QBuffer()
        self.buffer.setData(QByteArray(speech.pcm))
        self.buffer.open(QIODevice.ReadOnly)
        self.sink = QAudioSink(QMediaDevices.defaultAudioOutput(), audio_format)
        self.sink.start(self.buffer)

    def position_us(self) -> int:
        return self.sink.processedUSecs()

    def state(self) -> str:
        """"active", "idle" (played to its end), "failed" (stopped with an error) or "stopped"."""
        state, error = self.sink.state().name, self.sink.error().name
        if state == "StoppedState":
            return "stopped" if error == "NoError" else "failed"
        return "idle" if state == "IdleState" else "active"

    def stop(self) -> None:
        self.sink.stop()
        self.buffer.close()


def sound_available() -> bool:
    """Whether Qt sees any audio output (PulseAudio reachable, a device or a null sink)."""
    from PySide6.QtMultimedia import QMediaDevices

    return bool(QMediaDevices.audioOutputs())


class ReadAloud(QObject):
    """Reads a page aloud and moves the strip's highlight with the audio.

    `synthesizer` speaks (a `kiosk.speech.Synthesizer`, made on first use); `clock`, if given,
    is what the audio position is read from (microseconds since the reading started) instead of
    the sound device, and no sound is played: tests move it on by hand. `available` says
    whether the kiosk can read here at all; `changed` is emitted when it or `reading` changes."""

    changed = Signal()

    def __init__(self, strip: ReadingStrip, *, synthesizer=None, clock: Callable[[], int] | None = None,
                 parent=None):
        super().__init__(parent)
        self.strip = strip
        self._synthesizer = synthesizer
        self.clock = clock
        self._worker = None
        self._player = None
        self._speech = None
        self._reading: Reading | None = None
        self._request = 0  # a synthesis that comes back after stop() or a newer read is dropped
        self.slower = False
        self.available = True
        self.reading = False
        self.shown_word = None  # (start, length) in the page's text, of the word highlighted
        self.ended = None  # ("idle" played to its end, or "stopped"; the position in µs) of the last reading
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._page = None
        self._language = "en"

    def check_sound(self) -> bool:
        """No audio output at all: unavailable (nothing is synthesised)."""
        if self.clock is None and self.available and not sound_available():
            self._set_unavailable()
        return self.available

    def read(self, page: QWidget, language: str) -> None:
        """Start reading `page` from its beginning (stops any reading first)."""
        self.stop()
        if not self.check_sound():  # (made again by each read: a device plugged in later counts)
            return
        reading = page_reading(page)
        if not reading.pieces:
            return
        self._page, self._language, self._reading = page, language, reading
        self._request += 1
        request, slower, text = self._request, self.slower, reading.text
        synthesizer = self._get_synthesizer()
        self.reading = True
        self.changed.emit()
        self._get_worker().run(lambda: synthesizer.speak(text, language, slower=slower),
                               success=lambda speech: self._synthesised(request, speech),
                               failure=lambda error: self._failed(request, error))

    def stop(self) -> None:
        """Silence, and the strip hidden and wiped."""
        self._request += 1
        self._timer.stop()
        if self._player is not None:
            self._player.stop()
            self._player = None
        self._speech = None
        self.shown_word = None
        self.strip.wipe()
        was, self.reading = self.reading, False
        if was:
            self.changed.emit()

    def forget(self) -> None:
        """The session ended: stop, and keep nothing of the page."""
        self.stop()
        self._page = None
        self._reading = None

    def close(self) -> None:
        self.forget()
        if self._worker is not None:
            if self._synthesizer is not None:
                self._worker.run(self._synthesizer.close)  # after any synthesis still running
            self._worker.stop_soon()
        elif self._synthesizer is not None:
            self._synthesizer.close()

    def position_us(self) -> int:
        if self.clock is not None:
            return int(self.clock())
        return self._player.position_us() if self._player is not None else 0

    # ----- internals -------------------------------------------------------------------------
    def _get_synthesizer(self):
        if self._synthesizer is None:
            from kiosk.speech import Synthesizer

            self._synthesizer = Synthesizer()
        return self._synthesizer

    def _get_worker(self):
        if self._worker is None:
            from kiosk.ui.operations import BackgroundWorker

            self._worker = BackgroundWorker("read-aloud")
        return self._worker

    def _synthesised(self, request: int, speech) -> None:
        if request != self._request:
            return  # stopped, or another page, meanwhile
        self._speech = speech
        if self.clock is None:
            self._player = _SinkPlayer(speech)
        self.strip.open()
        self._poll()
        self._timer.start()

    def _failed(self, request: int, error: Exception) -> None:
        from kiosk.speech import SpeechUnavailable

        if request != self._request:
            return
        import sys

        print(f"kiosk: read to me: {error}", file=sys.stderr)
        self.stop()
        if isinstance(error, SpeechUnavailable):
            self._set_unavailable()

    def _set_unavailable(self) -> None:
        self.stop()
        self.available = False
        self.changed.emit()

    def _poll(self) -> None:
        speech = self._speech
        if speech is None:
            return
        state = self._player.state() if self._player is not None else "active"
        if state == "failed":
            self._set_unavailable()  # the device refused at once (or went away): say so
            return
        sample = self.position_us() * speech.sample_rate // 1_000_000
        word = speech.word_at(sample)
        if word is not None and (word.start, word.length) != self.shown_word:
            self.shown_word = (word.start, word.length)
            start, piece = self._reading.piece_at(word.start)
            self.strip.show_word(piece, word.start - start, word.length)
        elif word is None and self.shown_word is None:
            self.strip.show_word(self._reading.pieces[0], 0, 0)
        ended = state in ("idle", "stopped") or (self.clock is not None and sample >= len(speech.pcm) // 2)
        if ended:
            self.ended = (state, self.position_us())  # how the last reading ended, and where
            self._timer.stop()
            if self._player is not None:
                self._player.stop()
                self._player = None
            self.reading = False  # the strip stays, with Read again, until the page changes
            self.changed.emit()


class ReadToMe(QObject):
    """What the window holds: the header's "Read to me" / "Stop" button, the reading strip and
    the reader, in the patient's language. The window tells it when a page is shown, when
    the session ends, and which texts to use."""

    def __init__(self, *, by_default: bool = False, synthesizer=None, clock=None, room=None, row_height=None,
                 parent=None):
        super().__init__(parent)
        self.row_height = row_height  # the header's buttons' height, for the unavailable note
        self.by_default = by_default
        from kiosk.ui.widgets.wrap_button import WrapButton

        self.button = WrapButton()  # "Sound is not available on this screen" wraps onto two lines
        self.button.setObjectName("readtome")
        self.button.label().setAlignment(Qt.AlignCenter)
        self.button.setSizePolicy(QSizePolicy.Preferred, self.button.sizePolicy().verticalPolicy())
        em = self._em = max(QApplication.font().pixelSize(), 16)  # the theme's body text
        self.button.setMinimumWidth(8 * em)
        self.button.setMaximumWidth(14 * em)
        self.button.clicked.connect(self.toggle)
        self.button.hide()
        self.strip = ReadingStrip(room=room)
        self.strip.speed_button.clicked.connect(self.toggle_speed)
        self.strip.again_button.clicked.connect(self.again)
        self.reader = ReadAloud(self.strip, synthesizer=synthesizer, clock=clock, parent=self)
        self.reader.changed.connect(self._refresh)
        self._texts = None
        self._page = None
        self._language = "en"

    def retranslate(self, texts) -> None:
        """Words from `texts` (a content pack or InterfaceText): the read_ keys of ui.toml."""
        self._texts = texts
        self._language = texts.language
        self._refresh()

    def page_shown(self, page: QWidget | None) -> None:
        """A new screen: any reading stops and the strip goes; it reads at once only when the
        kiosk is set to read by default."""
        self.reader.stop()
        self._page = page
        if page is not None and self.by_default and self.button.isVisible() and self.reader.available:
            QTimer.singleShot(0, lambda p=page: self._page is p and self.reader.read(p, self._language))

    def toggle(self) -> None:
        if self.reader.reading:
            self.reader.stop()
        elif self._page is not None:
            self.reader.read(self._page, self._language)

    def toggle_speed(self) -> None:
        self.reader.slower = not self.reader.slower
        self._refresh()
        if self._page is not None and (self.reader.reading or self.strip.isVisible()):
            self.reader.read(self._page, self._language)  # heard at once at the new speed

    def again(self) -> None:
        if self._page is not None:
            self.reader.read(self._page, self._language)

    def session_started(self) -> None:
        """A patient has tapped Start: the button is shown, and says at once if there is no sound."""
        self.button.show()
        self.reader.check_sound()
        self._refresh()

    def close(self) -> None:
        """The window closes: silence, and the speaker program ends."""
        self._page = None
        self.reader.close()

    def end_session(self) -> None:
        """Silence; nothing of the patient's screens stays in the strip or the reader."""
        self._page = None
        self.reader.forget()
        self.button.hide()

    def _note_width(self) -> int:
        """The narrowest width, from 8 em to 14 em, at which the unavailable note fits the
        header's button height (the other buttons' height: the header does not grow)."""
        label, em = self.button.label(), self._em
        margins = self.button.layout().contentsMargins()
        row = self.row_height() if self.row_height is not None else round(3.2 * em)
        inner = row - margins.top() - margins.bottom()
        for width in range(8 * em, 14 * em + 1, max(1, em // 2)):
            if label.heightForWidth(width - margins.left() - margins.right()) <= inner:
                return width
        return 14 * em

    def _refresh(self) -> None:
        texts = self._texts
        if texts is None:
            return
        label = self.button.label()
        font = label.font()
        if not self.reader.available:
            # A note, not a control: smaller, on two or three lines, so the header keeps its
            # height and its other buttons at 1280x800.
            from kiosk.ui import theme

            font.setPixelSize(theme.TEXT.small)  # the theme's smallest text, no smaller
            label.setFont(font)
            self.button.setText(texts.ui("read_unavailable"))
            self.button.setEnabled(False)
            self.button.setMinimumWidth(self._note_width())
        else:
            font.setPixelSize(self._em)
            label.setFont(font)
            self.button.setText(texts.ui("read_stop" if self.reader.reading else "read_to_me"))
            self.button.setEnabled(True)
            self.button.setMinimumWidth(8 * self._em)
        self.button.setAccessibleName(self.button.text())
        # The choice offered is the other speed.
        self.strip.speed_button.setText(texts.ui("read_normal" if self.reader.slower else "read_slower"))
        self.strip.again_button.setText(texts.ui("read_again"))
