"""At a glance: sessions per day by outcome, and which questions are missed first time."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.nurse.queue_model import OUTCOMES
from kiosk.ui.pages.base import button, label

COLOURS = {"consented": "#1e6b3a", "questions": "#d9822b", "declined": "#a4262c", "abandoned": "#8b97a3"}


class DashboardPage(QWidget):
    """Two charts and, for administrators, the CSV export of the queue."""

    def __init__(self, station, parent=None):
        super().__init__(parent)
        self.station = station
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 12, 24, 12)
        charts = QHBoxLayout()
        self.per_day = QChartView()
        self.per_day.setRenderHint(QPainter.Antialiasing)
        self.missed = QChartView()
        self.missed.setRenderHint(QPainter.Antialiasing)
        charts.addWidget(self.per_day, 1)
        charts.addWidget(self.missed, 1)
        outer.addLayout(charts, 1)
        row = QHBoxLayout()
        self.export_button = button("Export the queue as CSV", None, self.export_csv)
        row.addWidget(self.export_button)
        self.export_message = label("")
        row.addWidget(self.export_message, 1)
        outer.addLayout(row)

    def refresh(self) -> None:
        from kiosk.store.queue import missed_first_time, sessions_per_day

        today = self.station.now().date()
        rows = sessions_per_day(self.station.db, days=7, today=today)
        days = sorted({day for day, _, _ in rows})
        counts = {(day, outcome): n for day, outcome, n in rows}
        series = QStackedBarSeries()
        for outcome, name in OUTCOMES.items():
            bars = QBarSet(name)
            bars.setColor(QColor(COLOURS[outcome]))
            for day in days:
                bars.append(counts.get((day, outcome), 0))
            series.append(bars)
        chart = self._chart("Sessions per day", series, [d[5:] for d in days])
        self.per_day.setChart(chart)

        missed = missed_first_time(self.station.db)
        bars = QBarSet("Missed first time (%)")
        bars.setColor(QColor("#d9822b"))
        names = []
        for question_id, wrong, answered in missed:
            bars.append(round(100 * wrong / answered) if answered else 0)
            names.append(question_id.removeprefix("q_").replace("_", " "))
        horizontal = QHorizontalBarSeries()
        horizontal.append(bars)
        self.missed.setChart(self._chart("Which questions are missed first time", horizontal, names,
                                         horizontal=True, maximum=100))
        self.export_button.setVisible(bool(self.station.nurse and self.station.nurse.get("is_admin")))

    def _chart(self, title, series, categories, *, horizontal: bool = False, maximum=None) -> QChart:
        """A bar chart: categories along one axis, counts (or percentages) along the other."""
        chart = QChart()
        chart.setTitle(title)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append(categories)
        chart.addAxis(names, Qt.AlignLeft if horizontal else Qt.AlignBottom)
        series.attachAxis(names)
        values = QValueAxis()
        if maximum is not None:
            values.setRange(0, maximum)
        chart.addAxis(values, Qt.AlignBottom if horizontal else Qt.AlignLeft)
        series.attachAxis(values)
        chart.legend().setAlignment(Qt.AlignBottom)
        return chart

    def export_csv(self) -> None:
        from kiosk.store.queue import export_queue_csv

        folder = self.station.data_dir / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"queue-{self.station.now().strftime('%Y%m%d-%H%M%S')}.csv"
        flt = self.station.queue.filter if self.station.queue else None
        if flt is None:
            from kiosk.store.queue import QueueFilter

            flt = QueueFilter()
        export_queue_csv(self.station.db, flt, path, nurse=self.station.nurse["name"])
        self.export_message.setText(f"Saved to {path}")
