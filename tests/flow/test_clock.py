"""The kiosk's one source of time: aware, to the second, in the configured zone."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from kiosk.flow.clock import make_clock, stamp


@pytest.mark.parametrize("name, offset", [("Asia/Tokyo", timedelta(hours=9)), ("UTC", timedelta(0)),
                                          ("America/Sao_Paulo", timedelta(hours=-3))])
def test_a_named_zone_is_used(name, offset):
    now = make_clock(name)()
    assert (now.tzinfo, now.utcoffset()) == (ZoneInfo(name), offset)


@pytest.mark.parametrize("name", [None, ""])
def test_no_zone_means_the_machines_local_zone(name):
    now = make_clock(name)()
    assert now.tzinfo is not None
    assert now.utcoffset() == datetime.now().astimezone().utcoffset()


@pytest.mark.parametrize("name", [None, "Asia/Tokyo"])
def test_the_clock_tells_the_time_now_to_the_second(name):
    now = make_clock(name)()
    assert now.microsecond == 0
    assert abs(now - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_an_unknown_zone_is_refused_when_the_clock_is_made():
    with pytest.raises(ZoneInfoNotFoundError):
        make_clock("Mars/Olympus_Mons")


@pytest.mark.parametrize("moment, text", [
    (datetime(2026, 11, 25, 14, 3, 12, tzinfo=ZoneInfo("Europe/London")), "2026-11-25T14:03:12+00:00"),
    (datetime(2026, 7, 1, 9, 0, 0, tzinfo=ZoneInfo("Europe/London")), "2026-07-01T09:00:00+01:00"),
    (datetime(2026, 11, 25, 23, 59, 59, tzinfo=ZoneInfo("Asia/Tokyo")), "2026-11-25T23:59:59+09:00"),
])
def test_stamp_is_iso_8601_with_its_offset(moment, text):
    assert stamp(lambda: moment) == text


def test_stamp_of_a_made_clock_has_no_fraction_of_a_second():
    text = stamp(make_clock("UTC"))
    assert len(text) == len("2026-11-25T14:03:12+00:00") and text.endswith("+00:00")
