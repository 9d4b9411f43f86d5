"""At a glance: sessions per day by outcome, and which questions are missed first time. Gets
the station's NursePage; reads through `kiosk.review.dashboard`, its words from
translations/nurse (outcomes from the core's codes)."""

from __future__ import annotations

import math

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.review.dashboard import missed_first_time, sessions_per_day
from kiosk.review.queue import filter_choices
from kiosk.review.when import day_name
from kiosk.ui.theme import scaled

COLOURS = {"consented": "#1e6b3a", "questions": "#d9822b", "declined": "#a4262c", "abandoned": "#8b97a3"}
PROMPT_CHARS = 40  # a prompt longer than this is cut at a word, with "…", to leave the bars room


def short_prompt(prompt: str, limit: int = PROMPT_CHARS) -> str:
    """The question's prompt, cut at a word boundary before `limit` characters."""
    if len(prompt) <= limit:
        return prompt
    cut = prompt[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "\u2026"


class DashboardPage(QWidget):
    """Two charts and, for administrators, the CSV export of the queue."""

    def __init__(self, page, parent=None):
        super().__init__(parent)
        self.page = page
        self.ctx = page.review
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 12, 24, 12)
        charts = QHBoxLayout()
        self.per_day = QChartView()
        self.per_day.setRenderHint(QPainter.Antialiasing)
        self.missed = QChartView()
        self.missed.setRenderHint(QPainter.Antialiasing)
        charts.addWidget(self.per_day, 1)  # half each: at 1280x800 the legend needs its half whole
        charts.addWidget(self.missed, 1)
        outer.addLayout(charts, 1)
        from kiosk.ui.nurse.export_bar import ExportBar

        # "Export all" / "Export the filtered list", written on the worker (kiosk.ui.operations)
        self.export_bar = ExportBar(page)
        self.export_button, self.export_message = self.export_bar.all_button, self.export_bar.message
        outer.addWidget(self.export_bar)
        self._prompt_texts: dict[str, str] | None = None

    def refresh(self) -> None:
        ctx = self.ctx
        t = ctx.texts
        today = ctx.now().date()
        rows = sessions_per_day(ctx.db, days=7, today=today)
        days = sorted({day for day, _, _ in rows})
        counts = {(day, outcome): n for day, outcome, n in rows}
        series = QStackedBarSeries()
        outcomes = filter_choices(ctx)["outcome"]  # the core's codes, each with its words
        for outcome in outcomes:
            bars = QBarSet(outcome.text)
            bars.setColor(QColor(COLOURS[outcome.code]))
            for day in days:
                bars.append(counts.get((day, outcome.code), 0))
            series.append(bars)
        busiest = max((sum(counts.get((day, o.code), 0) for o in outcomes) for day in days), default=0)
        title = t("dashboard.per_day", first=day_name(t, days[0]), last=day_name(t, days[-1]))
        self.per_day.setChart(self._chart(title, series, [str(int(d[8:])) for d in days],
                                          maximum=busiest, whole=True))  # "19": "Thu 19" was cut to "Thu ..."

        bars = QBarSet(t("dashboard.missed_series"))
        bars.setColor(QColor("#d9822b"))
        names = []
        prompts = self._prompts()
        for question_id, wrong, answered in reversed(missed_first_time(ctx.db)):  # most missed on top
            bars.append(round(100 * wrong / answered) if answered else 0)
            names.append(short_prompt(prompts.get(question_id, question_id)))
        horizontal = QHorizontalBarSeries()
        horizontal.append(bars)
        self.missed.setChart(self._chart(t("dashboard.missed_title"), horizontal, names,
                                         horizontal=True, maximum=100))
        self.export_bar.setVisible(ctx.account.is_admin)

    def _prompts(self) -> dict[str, str]:
        """Each question's prompt, as the patient read it (in the kiosk's first language)."""
        if self._prompt_texts is None:
            from kiosk.content import load_pack

            pack = load_pack(self.ctx.settings.default_language)
            self._prompt_texts = {q.id: q.prompt for q in pack.questions}
        return self._prompt_texts

    def _chart(self, title, series, categories, *, horizontal: bool = False, maximum: int = 0,
               whole: bool = False) -> QChart:
        """A bar chart: categories along one axis, counts (`whole`: whole-number ticks) or
        percentages along the other; its words at a size that leaves room for them."""
        small = QFont(QApplication.font())
        small.setPixelSize(scaled(22, 15))
        chart = QChart()
        chart.setTitle(title)
        title_font = QFont(small)
        title_font.setBold(True)
        chart.setTitleFont(title_font)
        chart.addSeries(series)
        chart.setMargins(QMargins(4, 4, 4, 4))
        names = QBarCategoryAxis()
        names.append(categories)
        names.setLabelsFont(small)
        chart.addAxis(names, Qt.AlignLeft if horizontal else Qt.AlignBottom)
        series.attachAxis(names)
        values = QValueAxis()
        values.setLabelsFont(small)
        values.setLabelFormat("%d")
        if whole:
            step = max(1, math.ceil(maximum / 5))
            top = max(step, step * math.ceil(maximum / step))
            values.setRange(0, top)
            values.setTickCount(top // step + 1)  # 0, step, 2 step ... top: never 4.3 or 8.5
        else:
            values.setRange(0, maximum)
            values.setTickCount(5)  # 0, 25, 50, 75, 100
        chart.addAxis(values, Qt.AlignBottom if horizontal else Qt.AlignLeft)
        series.attachAxis(values)
        chart.legend().setAlignment(Qt.AlignBottom)
        chart.legend().setFont(small)
        chart.legend().setVisible(not horizontal)  # one series: its title says what the bars are
        return chart

    def export_csv(self) -> None:
        """Export all consents (the bar's own buttons offer the filtered list too)."""
        self.export_bar.export("all")
