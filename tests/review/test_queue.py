"""The queue through the review layer: typed rows with words, never codes; calls with dates."""

from __future__ import annotations

from datetime import timedelta

from kiosk.review.actions import void
from kiosk.review.queue import QueueFilter, filter_choices, open_calls, queue_count, queue_rows


def test_rows_carry_codes_with_their_words(ctx, ids):
    void(ctx, ids["Edith Clarke"], "wrong patient")
    rows = {row.patient_name: row for row in queue_rows(ctx, QueueFilter(), limit=10, offset=0)}
    assert len(rows) == queue_count(ctx, QueueFilter()) == 5
    margaret = rows["Margaret Obrien"]
    assert (margaret.outcome.code, margaret.outcome.text) == ("consented", "Consented")
    assert margaret.flags_text == "\u26a0 1 misunderstood"
    assert rows["José Pérez"].flags_text == "Asked for help"
    assert (rows["Edith Clarke"].review_state.code, rows["Edith Clarke"].review_state.text) == ("void", "Void")
    assert rows["Walter Away"].outcome.text == "Abandoned"


def test_a_filter_keeps_what_it_says(ctx):
    rows = queue_rows(ctx, QueueFilter(outcome="questions"), limit=10, offset=0)
    assert [row.patient_name for row in rows] == ["José Pérez"]


def test_an_open_call_from_today_says_the_time_and_from_another_day_the_date(ctx, clock):
    [call] = open_calls(ctx)
    assert call.text == "Help requested: A patient at the kiosk, at 14:55"
    clock.now += timedelta(days=1)
    assert open_calls(ctx)[0].text == "Help requested: A patient at the kiosk, on Wed 25 Nov at 14:55"  # the day in words, not ISO


def test_the_filter_buttons_come_from_the_core_in_its_order(ctx):
    found = filter_choices(ctx)
    assert [c.code for c in found["outcome"]] == ["consented", "questions", "declined", "abandoned"]
    assert [c.text for c in found["flag"]] == ["Misunderstood a risk", "Asked for help"]
    assert [c.text for c in found["review_state"]] == ["New", "Seen", "Identity checked", "Fully signed", "Void"]
