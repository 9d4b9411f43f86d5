"""A complete session built on the model alone (no Qt), for core tests and benchmarks."""

from __future__ import annotations

import random
from datetime import datetime, timezone

from kiosk.flow import Session
from kiosk.flow.walk import handwriting as _handwriting
from kiosk.flow.walk import walk_session


def fixed_clock():
    return datetime(2026, 11, 25, 14, 0, 5, tzinfo=timezone.utc)


def handwriting(width=1200.0, height=400.0):
    return _handwriting(width, height)


def complete_session(pack, *, name="Margaret Obrien", outcome="consented", representative=None,
                     wrong_once=(), wrong_twice=(), seed=1) -> Session:
    """Walk the task from start to Done exactly as the window would, on the model alone
    (`kiosk.flow.walk.walk_session`, the walker `kiosk demo` uses too)."""
    return walk_session(pack, name=name, outcome=outcome, representative=representative,
                        wrong_once=wrong_once, wrong_twice=wrong_twice, clock=fixed_clock,
                        rng=random.Random(seed))
