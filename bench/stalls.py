"""An event-loop probe for the benches: a 5 ms precise QTimer on the UI thread. The longest
gap between two of its beats is the longest time the event loop could not run (a stall)."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer


class Heartbeat:
    def __init__(self, interval_ms: int = 5):
        self.gaps_ms: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)

    def start(self) -> None:
        self.gaps_ms.clear()
        self._clock.start()
        self._timer.start()

    def stop(self) -> float:
        """Stop; the longest stall in ms, counting the time since the last beat too."""
        self._timer.stop()
        self.gaps_ms.append(self._clock.nsecsElapsed() / 1e6)
        return self.longest

    @property
    def longest(self) -> float:
        return max(self.gaps_ms, default=0.0)

    def _beat(self) -> None:
        self.gaps_ms.append(self._clock.nsecsElapsed() / 1e6)
        self._clock.restart()
