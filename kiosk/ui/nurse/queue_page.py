"""The queue: filters, search, the table, and calls for a nurse at the top until acknowledged."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.nurse.queue_model import OUTCOMES, QueueModel
from kiosk.ui.pages.base import button, label

SORT_KEYS = {0: "finished_at", 1: "patient_name", 3: "outcome", 5: "review_state"}


def choice_row(options: list[tuple[object, str]], on_choose) -> tuple[QHBoxLayout, dict]:
    """A row of checkable buttons, exactly one checked; `on_choose(value)` on tap."""
    row = QHBoxLayout()
    group = QButtonGroup(row)
    buttons = {}
    for value, text in options:
        choice = button(text, None, lambda _=False, v=value: on_choose(v))
        choice.setCheckable(True)
        choice.setMinimumHeight(72)
        group.addButton(choice)
        row.addWidget(choice)
        buttons[value] = choice
    buttons[options[0][0]].setChecked(True)
    return row, buttons


class QueuePage(QWidget):
    """Emits `open_consent(document_id)` when a row is tapped."""

    open_consent = Signal(str)

    def __init__(self, station, parent=None):
        super().__init__(parent)
        from kiosk.store.queue import QueueFilter

        self.station = station
        self.filter = QueueFilter()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 12, 32, 12)
        self.help_box = QVBoxLayout()
        outer.addLayout(self.help_box)

        row, self.outcome_buttons = choice_row([(None, "All")] + list(OUTCOMES.items()),
                                               lambda v: self.update_filter(outcome=v))
        outer.addLayout(row)
        row, self.flag_buttons = choice_row([(None, "Any flag"), ("needs_doctor", "Misunderstood a risk"),
                                             ("help", "Asked for help")], lambda v: self.update_filter(flag=v))
        row.addSpacing(24)
        days_row, self.day_buttons = choice_row([(None, "Any day"), (0, "Today"), (7, "Last 7 days")],
                                                self.set_days)
        row.addLayout(days_row)
        outer.addLayout(row)
        row, self.review_buttons = choice_row([(None, "Any review"), ("new", "New"), ("seen", "Seen"),
                                               ("identity_checked", "Identity checked"),
                                               ("fully_signed", "Fully signed"), ("void", "Void")],
                                              lambda v: self.update_filter(review_state=v))
        outer.addLayout(row)
        search_row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name or document ID")
        self.search.returnPressed.connect(self.apply_search)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(button("Search", "primary", self.apply_search))
        search_row.addWidget(button("Clear", None, self.clear_search))
        outer.addLayout(search_row)
        self.count_label = label("")
        outer.addWidget(self.count_label)

        self.model = QueueModel(station.db, self.filter)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(64)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionsClickable(True)
        self.table.horizontalHeader().sectionClicked.connect(self.sort_by)
        self.table.clicked.connect(lambda index: self.open_consent.emit(self.model.document_id(index.row())))
        outer.addWidget(self.table, 1)
        self._show_count()

    def refresh(self) -> None:
        self.model.set_filter(self.filter)
        self._show_count()
        self.refresh_help()

    def update_filter(self, **changes) -> None:
        from dataclasses import replace

        self.filter = replace(self.filter, **changes)
        self.refresh()

    def set_days(self, days) -> None:
        if days is None:
            self.update_filter(date_from=None, date_to=None)
        else:
            today = self.station.now().date()
            self.update_filter(date_from=(today - timedelta(days=days)).isoformat(), date_to=today.isoformat())

    def apply_search(self) -> None:
        self.update_filter(search=self.search.text().strip() or None)

    def clear_search(self) -> None:
        self.search.clear()
        self.update_filter(search=None)

    def sort_by(self, column: int) -> None:
        key = SORT_KEYS.get(column)
        if key:
            descending = not self.filter.descending if self.filter.sort == key else key == "finished_at"
            self.update_filter(sort=key, descending=descending)

    def _show_count(self) -> None:
        self.count_label.setText(f"{self.model.total} consents")

    def refresh_help(self) -> None:
        from kiosk.store.queue import open_help_requests

        _clear_layout(self.help_box)
        self.help_buttons = {}
        for request in open_help_requests(self.station.db):
            row = QHBoxLayout()
            who = request.get("patient_name") or "A patient at the kiosk"
            text = label(f"\u260e  Help requested: {who}, at {request['at'][11:16]}", "banner")
            row.addWidget(text, 1)
            ack = button("Acknowledge", "primary", lambda _=False, r=request: self.acknowledge(r))
            row.addWidget(ack)
            self.help_box.addLayout(row)
            text.show()  # shown now, not on the next event-loop pass
            ack.show()
            self.help_buttons[request["id"]] = ack

        self._show_quarantine()

    def _show_quarantine(self) -> None:
        """Files recovery set aside (kiosk.store.quarantine): IT must look at them."""
        from kiosk.store.quarantine import list_quarantine

        found = list_quarantine(self.station.settings.consents_path(self.station.data_dir))
        if not found:
            return
        lines = [f"⚠  {len(found)} file{'s' if len(found) != 1 else ''} in quarantine, kept aside by the "
                 "kiosk after an interrupted save. Ask IT to look (kiosk doctor):"]
        lines += [f"   {item.path.name}: {item.reason}" for item in found[:3]]
        if len(found) > 3:
            lines.append(f"   and {len(found) - 3} more.")
        self.quarantine_label = label("\n".join(lines), "banner")
        self.help_box.addWidget(self.quarantine_label)
        self.quarantine_label.show()

    def acknowledge(self, request: dict) -> None:
        from kiosk.store.review import acknowledge_help

        acknowledge_help(self.station.db, request["id"], nurse=self.station.nurse["name"],
                         at=self.station.now().isoformat())
        self.refresh_help()


def _clear_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().deleteLater()
        elif item.layout():
            _clear_layout(item.layout())
