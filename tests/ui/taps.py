"""A tap guard clock for tests: the real monotonic clock plus time a test moves on at will.

The patient pages ignore taps for a moment after they appear (`kiosk.ui.pages.base`). A test
that taps as a calm patient would moves this clock on instead of waiting; a test of a double
tap moves it on by 60 ms between the taps."""

from __future__ import annotations

import time


class TapClock:
    """Monotonic milliseconds; `advance(ms)` adds time without waiting for it."""

    def __init__(self):
        self._extra = 0.0

    def __call__(self) -> float:
        return time.monotonic() * 1000 + self._extra

    def advance(self, ms: float) -> None:
        self._extra += ms
