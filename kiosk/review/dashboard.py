"""What the nurse station's "At a glance" page charts: sessions per day by outcome, and which
questions patients miss the first time. Read-only, no Qt; over ``kiosk.store.queue``.

Threading: call from the thread that opened the connection; each is one aggregate query
(milliseconds at 100,000 consents).
"""

from __future__ import annotations

from kiosk.store.queue import missed_first_time, sessions_per_day

__all__ = ["missed_first_time", "sessions_per_day"]
