"""At a glance, read as a nurse would: seven days whole under their bars, a legend
with every outcome whole, counts on whole-number ticks, and the questions by what they
asked the patient, not by an internal id."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from kiosk.ui.theme import screen_scale
from tests.ui import test_nurse_station as nurse_station
from tests.ui.conftest import tap
from tests.ui.test_nurse_station import PACK, create_admin

filled_template, filled = nurse_station.filled_template, nurse_station.filled


@pytest.fixture(params=[(1280, 800), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def dashboard(request, qtbot, filled):
    from kiosk.ui import theme
    from kiosk.ui.nurse.station import NurseStation

    data, db, ids = filled
    width, height = request.param
    theme.install(QApplication.instance(), scale=screen_scale(height))
    station = NurseStation(settings=nurse_station.SETTINGS, data_dir=data, db=db, clock=nurse_station.Clock())
    qtbot.addWidget(station)
    station.resize(width, height)
    station.show()
    qtbot.waitExposed(station)
    create_admin(station)
    tap(station.dashboard_button)
    QApplication.processEvents()
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        station.grab().save(str(Path(folder) / f"nurse-fit-dashboard-data-{width}x{height}.png"))
    assert (station.width(), station.height()) == (width, height)
    return station.dashboard


def _axes(chart):
    from PySide6.QtCharts import QBarCategoryAxis, QValueAxis

    return ([a for a in chart.axes() if isinstance(a, QBarCategoryAxis)][0],
            [a for a in chart.axes() if isinstance(a, QValueAxis)][0])


def test_the_seven_days_are_named_whole_under_their_bars(dashboard):
    chart = dashboard.per_day.chart()
    days, _values = _axes(chart)
    assert days.categories() == ["19", "20", "21", "22", "23", "24", "25"]
    assert chart.title() == "Sessions per day, Thu 19 Nov to Wed 25 Nov"
    room = chart.plotArea().width() / len(days.categories())
    metrics = QFontMetrics(days.labelsFont())
    assert all(metrics.horizontalAdvance(d) < room / 2 for d in days.categories()), "a day would show as '11...'"


def test_the_legend_has_room_for_every_outcome(dashboard):
    legend = dashboard.per_day.chart().legend()
    metrics = QFontMetrics(legend.font())
    labels = [marker.label() for marker in legend.markers()]
    assert labels == ["Consented", "Questions for the doctor", "Declined", "Abandoned"]
    needed = sum(metrics.horizontalAdvance(text) + metrics.height() for text in labels)  # text and its marker
    assert needed <= legend.geometry().width(), f"the legend needs {needed} px, has {legend.geometry().width()}"


def test_counts_are_on_whole_number_ticks(dashboard):
    _days, values = _axes(dashboard.per_day.chart())
    assert values.min() == 0 and values.max() >= 4 and values.max() == int(values.max())
    step = (values.max() - values.min()) / (values.tickCount() - 1)
    assert step == int(step) and values.labelFormat() == "%d", (values.max(), values.tickCount())


def test_questions_are_named_by_their_prompt(dashboard):
    questions, _values = _axes(dashboard.missed.chart())
    names = questions.categories()
    assert names and not any(name.startswith("q_") or "_" in name for name in names)
    prompts = [q.prompt for q in PACK.questions]
    for name in names:
        assert any(p == name or p.startswith(name.removesuffix("\u2026")) for p in prompts), name
