"""Nurse accounts, for administrators: add a nurse (name and PIN), remove one."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.ui.nurse.pin_pad import KEYS, DigitPad
from kiosk.ui.pages.base import button, label
from kiosk.ui.widgets.keyboard import OnScreenKeyboard


class AccountsPage(QWidget):
    """Every change goes through `kiosk.store.nurses`, which writes its audit entry."""

    def __init__(self, station, parent=None):
        super().__init__(parent)
        self.station = station
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 12, 24, 12)
        left = QVBoxLayout()
        left.addWidget(label("Nurse accounts", "subtitle"))
        self.list_box = QVBoxLayout()
        left.addLayout(self.list_box)
        left.addStretch(1)
        outer.addLayout(left, 1)
        right = QVBoxLayout()
        right.addWidget(label("Add a nurse: type the name, then a PIN of 4 to 8 digits.", "subtitle"))
        self.name = QLineEdit()
        self.name.setPlaceholderText("Full name")
        right.addWidget(self.name)
        right.addWidget(OnScreenKeyboard(self.name, KEYS))
        self.pad = DigitPad()
        right.addWidget(self.pad)
        self.message = label("", "error")
        right.addWidget(self.message)
        self.add_button = button("Add nurse", "primary", self.add)
        right.addWidget(self.add_button)
        outer.addLayout(right, 2)
        self.remove_buttons = {}

    def refresh(self) -> None:
        from kiosk.store.nurses import list_nurses
        from kiosk.ui.nurse.queue_page import _clear_layout

        _clear_layout(self.list_box)
        self.remove_buttons = {}
        for nurse in list_nurses(self.station.db):
            row = QHBoxLayout()
            name = label(nurse["name"] + ("  (administrator)" if nurse["is_admin"] else ""))
            remove = button("Remove", None, lambda _=False, n=nurse: self.remove(n))
            row.addWidget(name, 1)
            row.addWidget(remove)
            self.list_box.addLayout(row)
            name.show()  # a layout shows new children only on the next event-loop pass
            remove.show()
            self.remove_buttons[nurse["name"]] = remove

    def add(self) -> None:
        from kiosk.store import StoreError
        from kiosk.store.nurses import create_nurse

        try:
            create_nurse(self.station.db, name=self.name.text().strip(), pin=self.pad.value,
                         by=self.station.nurse["name"])
        except StoreError as error:
            self.message.setText(str(error))
            return
        self.name.clear()
        self.pad.clear()
        self.message.setText("")
        self.refresh()

    def remove(self, nurse: dict) -> None:
        from kiosk.store import StoreError
        from kiosk.store.nurses import remove_nurse

        try:
            remove_nurse(self.station.db, nurse["id"], by=self.station.nurse["name"])
        except StoreError as error:
            self.message.setText(str(error))
            return
        self.refresh()
