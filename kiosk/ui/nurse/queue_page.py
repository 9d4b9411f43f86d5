"""The queue: open calls for a nurse (a short list at the top), filters, search, the table.

Live: every `LIVE_POLL_MS` while the queue is on screen it reads the database's
`data_version` (microseconds, no table read) and re-reads the queue and the calls only when
another connection - the kiosk's saves and calls, another station - has committed since.

Like the other nurse pages it gets the station's frozen `NursePage` and reads only through
`kiosk.review.queue`; every word is from translations/nurse (the nurse's `ReviewContext.texts`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kiosk.review import queue as review_queue
from kiosk.review.actions import acknowledge_call
from kiosk.ui import theme
from kiosk.ui.nurse.queue_model import QueueModel
from kiosk.ui.nurse.words import button, label
from kiosk.ui.screen_fit import finger_scrolling
from kiosk.ui.theme import scaled

SORT_KEYS = {0: "finished_at", 1: "patient_name", 3: "outcome", 5: "review_state"}
LIVE_POLL_MS = 1500  # a new call or consent shows within two seconds
NEW_CALL_CUE_MS = 8000  # how long the calls' count stays highlighted after a new call
FOLD_FILTERS_BELOW_SCALE = 0.9  # theme.SCALE of a 1280x800 screen is 0.74, of 1920x1080 1.0
TOUCH_MIN_PX = 72  # the floor for a finger (theme.BUTTON_MIN_PX at a 1080-line screen is 80)


def touch_height() -> int:
    """Filters and Acknowledge: 84 px on a 1080-line screen, never below a finger's 72."""
    return scaled(84, TOUCH_MIN_PX)


def compact(widget):
    """`touch_height()` tall, not the theme's 110 px (three rows of filters and the calls
    must leave the queue room at 1280x800). Its own style sheet: the theme's min-height
    would win over setFixedHeight at the next polish."""
    inner = touch_height() - 2 * 3 - 2 * 4  # less the 3 px border and 4 px padding
    widget.setStyleSheet(f"QPushButton {{ min-height: {inner}px; max-height: {inner}px;"
                         f" padding: 4px {scaled(20, 12)}px; }}")
    return widget


def choice_row(options: list[tuple[object, str]], on_choose) -> tuple[QHBoxLayout, dict]:
    """A row of checkable buttons, exactly one checked; `on_choose(value)` on tap."""
    row = QHBoxLayout()
    group = QButtonGroup(row)
    buttons = {}
    from kiosk.ui.nurse.station import header_button  # words that shrink a little rather than widen the station

    for value, text in options:
        choice = header_button(text, None, lambda _=False, v=value: on_choose(v))
        choice.setCheckable(True)
        compact(choice)
        group.addButton(choice)
        row.addWidget(choice, choice.needed_width())
        buttons[value] = choice
    buttons[options[0][0]].setChecked(True)
    return row, buttons


class CallsList(QWidget):
    """Open calls for a nurse: their count on top, then one compact row each, in a list of
    bounded height that scrolls with a finger, so any number of calls leaves the queue on
    screen. Emits `acknowledge(call)` with the `kiosk.review.queue.CallRow` tapped."""

    acknowledge = Signal(object)

    def __init__(self, texts, parent=None):
        super().__init__(parent)
        self.texts = texts
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.header = label("", "subtitle", wrap=False)
        self.header.setObjectName("callsheader")
        layout.addWidget(self.header)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.NoFrame)
        finger_scrolling(self.area)
        self.rows_widget = QWidget()
        self.rows = QVBoxLayout(self.rows_widget)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(6)
        self.area.setWidget(self.rows_widget)
        layout.addWidget(self.area)
        self.buttons: dict[int, object] = {}
        self.cue = QTimer(self)
        self.cue.setSingleShot(True)
        self.cue.setInterval(NEW_CALL_CUE_MS)
        self.cue.timeout.connect(lambda: self._highlight(False))
        self._highlight(False)

    def show_calls(self, calls: list, *, cue: bool) -> None:
        """Show `calls` (`kiosk.review.queue.open_calls`: who and when in words); `cue`:
        highlight the count for a while (a call came in that was not shown before)."""
        _clear_layout(self.rows)
        self.buttons = {}
        for call in calls:
            row = QFrame()
            row.setObjectName("callrow")
            line = QHBoxLayout(row)
            line.setContentsMargins(12, 2, 2, 2)
            text = label(self.texts("queue.call_row", text=call.text))
            # Qt reads setMinimumWidth(0) as "no minimum set" and kept the whole line's width:
            # the row wraps instead of widening the station past the screen.
            text.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
            line.addWidget(text, 1)
            ack = button(self.texts("queue.acknowledge"), "primary", lambda _=False, c=call: self.acknowledge.emit(c))
            compact(ack)
            line.addWidget(ack)
            self.rows.addWidget(row)
            row.show()  # now, not on the next event-loop pass (a screenshot or a test looks at once)
            self.buttons[call.id] = ack
        self.header.setText(self.texts.count("queue.calls", len(calls)))
        self.setVisible(bool(calls))
        # two rows at most; more scroll (the half row showing says so, and the scrollbar)
        one = touch_height() + 4 + self.rows.spacing()
        self.area.setFixedHeight(max(0, len(calls) * one - self.rows.spacing()) if len(calls) <= 2
                                 else int(1.5 * one))
        if cue:
            self._highlight(True)
            self.cue.start()

    def _highlight(self, on: bool) -> None:
        """A steady warm background on the count for a few seconds: seen, never flashing."""
        self.header.setProperty("fresh", on)
        self.header.setStyleSheet(
            "#callsheader { background: #ffe08a; border-radius: 10px; padding: 2px 12px; }" if on
            else "#callsheader { padding: 2px 12px; }")
        self.rows_widget.setStyleSheet("#callrow { background: #fff4d6; border: 2px solid #8a4b00;"
                                       " border-radius: 12px; }")


class QueuePage(QWidget):
    """Gets the station's NursePage; emits `open_consent(document_id)` when a row is tapped."""

    open_consent = Signal(str)

    def __init__(self, page, parent=None, *, poll_ms: int = LIVE_POLL_MS):
        super().__init__(parent)
        self.page = page
        self.ctx = ctx = page.review
        t = self.texts = ctx.texts
        self.filter = review_queue.QueueFilter()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 8, 32, 8)
        outer.setSpacing(8)
        self.calls = CallsList(t)
        self.calls.acknowledge.connect(self.acknowledge)
        outer.addWidget(self.calls)
        self.help_buttons = self.calls.buttons
        self._calls_seen: set[int] | None = None  # ids of the calls shown; None before the first

        self.filters = QWidget()
        rows = QVBoxLayout(self.filters)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(6)
        choices = review_queue.filter_choices(ctx)  # the core's codes, each with its words

        def options(first: str, table: str) -> list[tuple[object, str]]:
            return [(None, t(first))] + [(c.code, c.text) for c in choices[table]]

        row, self.outcome_buttons = choice_row(options("queue.all", "outcome"),
                                               lambda v: self.update_filter(outcome=v))
        rows.addLayout(row)
        row, self.flag_buttons = choice_row(options("queue.any_flag", "flag"), lambda v: self.update_filter(flag=v))
        row.addSpacing(24)
        days_row, self.day_buttons = choice_row([(None, t("queue.any_day")), (1, t("queue.today")),
                                                 (7, t("queue.last_7_days"))], self.set_days)
        row.addLayout(days_row)
        rows.addLayout(row)
        row, self.review_buttons = choice_row(options("queue.any_review", "review_state"),
                                              lambda v: self.update_filter(review_state=v))
        rows.addLayout(row)
        outer.addWidget(self.filters)
        # On a short screen (a 1280x800 tablet) the three rows of filters would leave the table
        # a row and a half under the calls: they fold away behind a Filters button there.
        self.filters_button = compact(button(t("queue.show_filters"), None, self.toggle_filters))
        self.filters_button.setCheckable(True)
        self.filters_button.setVisible(FOLD_FILTERS_BELOW_SCALE > theme.SCALE)
        self.filters.setVisible(theme.SCALE >= FOLD_FILTERS_BELOW_SCALE)

        search_row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(t("queue.search_placeholder"))
        self.search.returnPressed.connect(self.apply_search)
        self.search.installEventFilter(self)
        search_row.addWidget(self.search, 1)
        self.search_button = button(t("queue.search"), "primary", self.apply_search)
        self.clear_button = button(t("queue.clear"), None, self.clear_search)
        search_row.addWidget(self.search_button)
        search_row.addWidget(self.clear_button)
        search_row.addWidget(self.filters_button)
        self.count_label = label("")
        search_row.addWidget(self.count_label)
        outer.addLayout(search_row)
        self.keys = None  # the on-screen keyboard, made on the first tap in a touch-only kiosk

        self.model = QueueModel(ctx, self.filter)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(scaled(64, TOUCH_MIN_PX - 8))
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)  # dates, outcome, flags whole
        header.setSectionResizeMode(1, QHeaderView.Stretch)  # the name takes what is left
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self.sort_by)
        self.table.clicked.connect(lambda index: self.open_consent.emit(self.model.document_id(index.row())))
        # a header and a row and a half: its scrollbar's handle alone would ask for more
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height()
                                    + int(1.5 * self.table.verticalHeader().defaultSectionSize()))
        finger_scrolling(self.table)
        self.problem = label("", "banner")  # the central database cannot be reached: say so, keep the rows
        self.problem.hide()
        outer.addWidget(self.problem)
        outer.addWidget(self.table, 1)
        self._version = None
        self.live = QTimer(self)
        self.live.setInterval(poll_ms)
        self.live.timeout.connect(self.check_for_changes)
        self._show_count()

    def toggle_filters(self) -> None:
        """Show or fold the filters (short screens); the chosen ones keep working folded."""
        shown = not self.filters.isVisibleTo(self)
        self.filters.setVisible(shown)
        self.filters_button.setChecked(shown)
        self._name_filters_button()

    def _name_filters_button(self) -> None:
        """Folded, the button says when a filter is on: the nurse knows why the list is short."""
        if self.filters.isVisibleTo(self):
            key = "queue.hide_filters"
        else:
            f = self.filter
            on = any(v is not None for v in (f.outcome, f.flag, f.review_state, f.date_from))
            key = "queue.filters_on" if on else "queue.show_filters"
        self.filters_button.setText(self.texts(key))

    # ----- live ---------------------------------------------------------------------------------
    def showEvent(self, event):
        super().showEvent(event)
        self.live.start()

    def hideEvent(self, event):
        super().hideEvent(event)
        self.live.stop()

    def check_for_changes(self) -> None:
        """One `data_version` read; the queue and the calls are read again only if another
        connection committed since the last read."""
        version = review_queue.queue_version(self.ctx)
        if version is None:
            return  # the queue shows the problem on the next full refresh; keep polling
        if version != self._version:
            self.refresh(keep_place=True)

    def _note_version(self) -> None:
        self._version = review_queue.queue_version(self.ctx)  # before reading: a commit after it shows next time

    # ----- the queue ----------------------------------------------------------------------------
    def refresh(self, *, keep_place: bool = False) -> None:
        """Read the queue and the calls again; `keep_place` keeps the scroll position and
        the selected row (a live refresh: the nurse did nothing)."""
        self._note_version()
        if keep_place:
            bar = self.table.verticalScrollBar()
            position = bar.value()
            chosen = self.table.selectionModel().selectedRows()
            chosen_id = self.model.document_id(chosen[0].row()) if chosen else None
            self.model.reload()
            if chosen_id is not None and (row := self.model.row_of(chosen_id)) is not None:
                self.table.selectRow(row)
            bar.setValue(position)
        else:
            self.model.set_filter(self.filter)
        self._show_count()
        self.refresh_help()

    def update_filter(self, **changes) -> None:
        self.filter = replace(self.filter, **changes)
        self._name_filters_button()
        self.refresh()

    def set_days(self, days) -> None:
        """`days` days up to and including today (1: today only); None: any day."""
        if days is None:
            self.update_filter(date_from=None, date_to=None)
        else:
            today = self.ctx.now().date()
            self.update_filter(date_from=(today - timedelta(days=days - 1)).isoformat(), date_to=today.isoformat())

    def apply_search(self) -> None:
        self.hide_keys()
        self.update_filter(search=self.search.text().strip() or None)

    def clear_search(self) -> None:
        self.search.clear()
        self.hide_keys()
        self.update_filter(search=None)

    def sort_by(self, column: int) -> None:
        if self.ctx.central is not None:  # the central queue is always newest first
            return
        key = SORT_KEYS.get(column)
        if key:
            descending = not self.filter.descending if self.filter.sort == key else key == "finished_at"
            self.update_filter(sort=key, descending=descending)

    def _show_count(self) -> None:
        self.count_label.setText(self.texts.count("queue.count", self.model.total))
        self.problem.setText(self.model.problem)
        self.problem.setVisible(bool(self.model.problem))

    # ----- the on-screen keyboard for search ----------------------------------------------------
    def touch_only(self) -> bool:
        """Inside the patient kiosk (the station is a page of its window) there is no
        physical keyboard; a desk station (a window of its own) has one."""
        return self.page.touch_only()

    def eventFilter(self, obj, event):
        if obj is self.search and event.type() == QEvent.MouseButtonRelease and self.touch_only():
            self.show_keys()
        return super().eventFilter(obj, event)

    def show_keys(self) -> None:
        """The patient side's keyboard under the search field, in the filters' place (they
        stay as chosen), so the page stays inside its screen."""
        if self.keys is None:
            from kiosk.ui.nurse.consent_page import keyboard_labels
            from kiosk.ui.widgets.keyboard import OnScreenKeyboard

            self.keys = OnScreenKeyboard(self.search, keyboard_labels(self.texts))
            layout = self.layout()
            layout.insertWidget(layout.indexOf(self.table), self.keys)
        self.filters.hide()  # the keys take the filters' and the table's place until Search
        self.table.hide()
        self.keys.show()

    def hide_keys(self) -> None:
        if self.keys is not None:
            self.keys.hide()
        self.filters.show()
        self.table.show()

    # ----- calls for a nurse, and the quarantine ------------------------------------------------
    def refresh_help(self) -> None:
        calls = review_queue.open_calls(self.ctx)
        ids = {call.id for call in calls}
        new = self._calls_seen is not None and bool(ids - self._calls_seen)
        self._calls_seen = ids
        self.calls.show_calls(calls, cue=new)
        self.help_buttons = self.calls.buttons
        self._show_quarantine()

    def _show_quarantine(self) -> None:
        """Files recovery set aside (kiosk.store.quarantine): IT must look at them. A short
        banner: the count, the first three, and how many more."""
        t = self.texts
        found = review_queue.quarantined(self.ctx)
        if not found and not hasattr(self, "quarantine_label"):
            return
        lines = [t.count("queue.quarantine", len(found))]
        lines += [t("queue.quarantine_line", name=item.path.name, reason=item.reason) for item in found[:3]]
        if len(found) > 3:
            lines.append(t("queue.quarantine_more", count=len(found) - 3))
        if not hasattr(self, "quarantine_label"):
            self.quarantine_label = label("", "banner")
            self.quarantine_area = QScrollArea()
            self.quarantine_area.setWidgetResizable(True)
            self.quarantine_area.setFrameShape(QFrame.NoFrame)
            self.quarantine_area.setWidget(self.quarantine_label)
            self.quarantine_area.setMaximumHeight(scaled(150))
            finger_scrolling(self.quarantine_area)
            self.layout().insertWidget(1, self.quarantine_area)
        self.quarantine_label.setText("\n".join(lines))
        self.quarantine_area.setVisible(bool(found))

    def acknowledge(self, call) -> None:
        acknowledge_call(self.ctx, call.id)  # as the signed-in nurse's account
        self.refresh_help()


def _clear_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().hide()  # gone from the screen now, deleted on the next turn
            item.widget().deleteLater()
        elif item.layout():
            _clear_layout(item.layout())
