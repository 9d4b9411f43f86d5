"""The kiosk's one source of time: aware datetimes in the configured time zone."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # datetime is imported by the first reading, after the Welcome screen is painted
    from datetime import datetime

Clock = Callable[[], "datetime"]


def make_clock(time_zone: str | None) -> Clock:
    """A clock in `time_zone` (an IANA name); None or "" means the machine's local zone."""
    zone = None
    if time_zone:
        from zoneinfo import ZoneInfo  # not on the start-up path when no zone is named

        zone = ZoneInfo(time_zone)

    def now() -> datetime:
        from datetime import datetime

        moment = datetime.now(zone) if zone else datetime.now().astimezone()
        return moment.replace(microsecond=0)

    return now


def stamp(clock: Clock) -> str:
    """ISO 8601 with offset, to the second: how every time is written in the record."""
    return clock().isoformat()
