# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright the vertebroplasty consent kiosk authors.
#
# This one file is a separate program, distributed under the GNU General Public License,
# version 3 or (at your option) any later version. It links eSpeak NG (GPL-3.0-or-later)
# through ctypes. The kiosk (Apache-2.0) never loads eSpeak NG itself: it runs this program
# as a child process and exchanges only data with it over pipes (see README, "Speech, and
# eSpeak NG's licence"). It imports nothing from the kiosk.
"""The kiosk's speaker: reads requests on stdin, writes speech on stdout.

Protocol, one request at a time:

- request: one JSON line on stdin, ``{"text": str, "voice": str, "rate": int}``
  (rate in words a minute);
- response: one JSON header line on stdout, either
  ``{"sample_rate": int, "n_samples": int, "words": [[char_start, char_length, sample], ...]}``
  followed by exactly ``n_samples * 2`` bytes of 16-bit signed little-endian mono PCM, or
  ``{"error": str, "fatal": bool}`` and no audio (fatal: eSpeak NG could not be loaded, every
  request will fail).

``char_start`` is a 0-based offset in Python characters (code points) of the text received,
as eSpeak NG reports it for each word; ``sample`` is the index of the word's first sample.
The program exits when stdin closes. It loads the eSpeak NG of the `espeakng-loader` wheel, or
the library named by the environment variable KIOSK_ESPEAK_NG_LIBRARY (with its data folder in
KIOSK_ESPEAK_NG_DATA, or the library's own default).
"""

import ctypes
import json
import os
import sys

AUDIO_OUTPUT_SYNCHRONOUS = 2
POS_CHARACTER = 1
ESPEAK_CHARS_UTF8 = 1
ESPEAK_RATE = 1
EVENT_LIST_TERMINATED = 0
EVENT_WORD = 1
EE_OK = 0


class _Event(ctypes.Structure):
    """espeak_EVENT from speak_lib.h."""

    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint),
                ("text_position", ctypes.c_int), ("length", ctypes.c_int),
                ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_void_p)]


_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.POINTER(_Event))


class Speaker:
    """eSpeak NG loaded in this process, synthesising one text at a time into memory."""

    def __init__(self):
        # A hospital that prefers the system's eSpeak NG (Debian libespeak-ng1 espeak-ng-data)
        # names its library; its data is then found where that library expects it.
        system_library = os.environ.get("KIOSK_ESPEAK_NG_LIBRARY")
        if system_library:
            library, data = system_library, os.environ.get("KIOSK_ESPEAK_NG_DATA")
        else:
            import espeakng_loader
            library, data = espeakng_loader.get_library_path(), espeakng_loader.get_data_path()
        self._lib = ctypes.CDLL(library)
        self._lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p,
                                                ctypes.c_int]
        self._lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self._lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        self._lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint,
                                           ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                           ctypes.c_void_p, ctypes.c_void_p]
        self.sample_rate = self._lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                                       data.encode() if data else None, 0)
        if self.sample_rate <= 0:
            raise RuntimeError(f"espeak_Initialize failed ({self.sample_rate})")
        self._voice = None
        self._chunks: list[bytes] = []
        self._words: list[list[int]] = []
        self._received = 0
        self._callback = _Callback(self._on_audio)  # kept referenced while eSpeak may call it
        self._lib.espeak_SetSynthCallback(self._callback)

    def _on_audio(self, wav, n_samples, events):
        i = 0
        while events[i].type != EVENT_LIST_TERMINATED:
            event = events[i]
            if event.type == EVENT_WORD:
                # Measured with espeakCHARS_UTF8: text_position counts characters, from 1.
                self._words.append([event.text_position - 1, event.length, event.sample])
            i += 1
        if n_samples > 0 and wav:
            self._chunks.append(ctypes.string_at(wav, n_samples * 2))
            self._received += n_samples
        return 0

    def synthesise(self, text: str, voice: str, rate: int) -> tuple[bytes, list[list[int]]]:
        if voice != self._voice:
            if self._lib.espeak_SetVoiceByName(voice.encode()) != EE_OK:
                raise ValueError(f"eSpeak NG has no voice {voice!r}")
            self._voice = voice
        self._lib.espeak_SetParameter(ESPEAK_RATE, int(rate), 0)
        self._chunks, self._words, self._received = [], [], 0
        encoded = text.encode("utf-8")
        status = self._lib.espeak_Synth(encoded, len(encoded) + 1, 0, POS_CHARACTER, 0,
                                        ESPEAK_CHARS_UTF8, None, None)
        if status != EE_OK:
            raise RuntimeError(f"espeak_Synth failed ({status})")
        pcm = b"".join(self._chunks)
        if sys.byteorder != "little":
            import array
            samples = array.array("h", pcm)
            samples.byteswap()
            pcm = samples.tobytes()
        return pcm, self._words


def serve(requests, replies) -> None:
    """Answer each JSON request line from `requests` on the binary stream `replies`."""
    try:
        speaker, failure = Speaker(), None
    except Exception as error:  # the library or its data is missing or broken
        speaker, failure = None, f"eSpeak NG could not be loaded: {error}"

    def send(header: dict, pcm: bytes = b"") -> None:
        replies.write(json.dumps(header).encode() + b"\n" + pcm)
        replies.flush()

    for line in requests:
        if not line.strip():
            continue
        if speaker is None:
            send({"error": failure, "fatal": True})
            continue
        try:
            request = json.loads(line)
            pcm, words = speaker.synthesise(request["text"], request["voice"], request["rate"])
        except Exception as error:
            send({"error": f"{type(error).__name__}: {error}", "fatal": False})
            continue
        send({"sample_rate": speaker.sample_rate, "n_samples": len(pcm) // 2, "words": words},
             pcm)


def main() -> None:
    # The protocol gets a private copy of stdout; the real fd 1 goes to stderr, so nothing the
    # C library might print can corrupt the audio stream.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = open(sys.stdin.fileno(), "r", encoding="utf-8", closefd=False)
    try:
        serve(requests, replies)
    except BrokenPipeError:  # the kiosk went away mid-reply
        pass


if __name__ == "__main__":
    main()
