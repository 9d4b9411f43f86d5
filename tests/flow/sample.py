"""A complete session built on the model alone (no Qt), for core tests and benchmarks."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from kiosk.flow import Session
from kiosk.flow.walk import handwriting as _handwriting
from kiosk.flow.walk import walk_session

START = datetime(2026, 11, 25, 14, 0, 5, tzinfo=timezone.utc)


def fixed_clock():
    return START


def ticking_clock(step_seconds: int = 1):
    """A clock that moves on `step_seconds` each time it is read: every stamp is its own."""
    reads = iter(range(10**9))
    return lambda: START + timedelta(seconds=step_seconds * next(reads))


def handwriting(width=1200.0, height=400.0):
    return _handwriting(width, height)


def complete_session(pack, *, name="Margaret Obrien", outcome="consented", representative=None,
                     wrong_once=(), wrong_twice=(), seed=1, clock=fixed_clock, **walk) -> Session:
    """Walk the task from start to Done exactly as the window would, on the model alone
    (`kiosk.flow.walk.walk_session`, the walker `kiosk demo` uses too). Any other keyword of
    `walk_session` (`help_at`, `abandon_at`, `more_opened`, `signature`...) passes through."""
    return walk_session(pack, name=name, outcome=outcome, representative=representative,
                        wrong_once=wrong_once, wrong_twice=wrong_twice, clock=clock,
                        rng=random.Random(seed), **walk)
