"""Getting into the nurse station: choose your name, type your PIN on a big number pad.

On first use there is no account yet: the pad asks for the administrator's name and PIN
(twice). Five wrong PINs lock an account for five minutes (the store decides; the pad shows).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.ui.pages.base import button, label
from kiosk.ui.widgets.keyboard import OnScreenKeyboard

KEYS = {"shift": "Shift", "space": "Space", "backspace": "Delete"}


class DigitPad(QWidget):
    """Ten big digits, Delete and a masked display."""

    changed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.value = ""
        layout = QVBoxLayout(self)
        self.display = label("", "title")
        self.display.setAlignment(Qt.AlignCenter)
        layout.addWidget(self.display)
        grid = QGridLayout()
        self.keys = {}
        for i, digit in enumerate("1234567890"):
            key = button(digit, "key", lambda _=False, d=digit: self.press(d))
            self.keys[digit] = key
            grid.addWidget(key, i // 3 if digit != "0" else 3, i % 3 if digit != "0" else 1)
        self.delete_key = button("Delete", "key", self.delete)
        grid.addWidget(self.delete_key, 3, 2)
        layout.addLayout(grid)

    def press(self, digit: str) -> None:
        if len(self.value) < 8:
            self.value += digit
            self._show()

    def delete(self) -> None:
        self.value = self.value[:-1]
        self._show()

    def clear(self) -> None:
        self.value = ""
        self._show()

    def _show(self) -> None:
        self.display.setText("\u25cf " * len(self.value))
        self.changed.emit(self.value)


class SignInPage(QWidget):
    """Tap your name, then your PIN. Emits `signed_in(nurse dict)` or `cancelled`."""

    signed_in = Signal(dict)
    cancelled = Signal()

    def __init__(self, station, parent=None):
        super().__init__(parent)
        self.station = station
        self.chosen: dict | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 24, 48, 24)
        self.title = label("Nurse sign-in", "title")
        outer.addWidget(self.title)
        row = QHBoxLayout()
        self.names = QVBoxLayout()
        left = QWidget()
        left.setLayout(self.names)
        row.addWidget(left, 1)
        right = QVBoxLayout()
        self.prompt = label("Tap your name.")
        right.addWidget(self.prompt)
        self.pad = DigitPad()
        right.addWidget(self.pad)
        self.message = label("", "error")
        right.addWidget(self.message)
        self.ok_button = button("Sign in", "primary", self._submit)
        right.addWidget(self.ok_button)
        row.addLayout(right, 1)
        outer.addLayout(row, 1)
        self.cancel_button = button("Back to the patient screen", None, self.cancelled.emit)
        outer.addWidget(self.cancel_button)
        self.name_buttons: dict[int, QWidget] = {}

    def refresh(self) -> None:
        from kiosk.store.nurses import list_nurses

        while self.names.count():
            item = self.names.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.name_buttons = {}
        for nurse in list_nurses(self.station.db):
            choice = button(nurse["name"], "choice", lambda _=False, n=nurse: self.choose(n))
            choice.setCheckable(True)
            self.names.addWidget(choice)
            choice.show()
            self.name_buttons[nurse["id"]] = choice
        self.names.addStretch(1)
        self.chosen = None
        self.pad.clear()
        self.message.setText("")
        self.prompt.setText("Tap your name.")

    def choose(self, nurse: dict) -> None:
        self.chosen = nurse
        for nid, choice in self.name_buttons.items():
            choice.setChecked(nid == nurse["id"])
        self.prompt.setText(f"{nurse['name']}: type your PIN.")
        self.pad.clear()
        self.message.setText("")

    def _submit(self) -> None:
        from kiosk.store import StoreError
        from kiosk.store.nurses import sign_in

        if self.chosen is None:
            self.message.setText("Tap your name first.")
            return
        try:
            result = sign_in(self.station.db, self.chosen["id"], self.pad.value, now=self.station.now())
        except StoreError as error:  # e.g. the account was removed meanwhile
            self.refresh()
            self.message.setText(str(error))
            return
        self.pad.clear()
        if result.ok:
            self.signed_in.emit(result.nurse)
        elif result.locked_until is not None:
            self.message.setText(f"Too many wrong PINs. This account is locked until "
                                 f"{result.locked_until.strftime('%H:%M')}. Another nurse can sign in.")
        else:
            self.message.setText(f"That PIN is not right. {result.attempts_left} tries left before "
                                 f"the account locks for five minutes.")


class FirstUsePage(QWidget):
    """No account yet: create the administrator (name on the keyboard, PIN twice)."""

    created = Signal(dict)
    cancelled = Signal()

    def __init__(self, station, parent=None):
        super().__init__(parent)
        self.station = station
        self._first_pin: str | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 24, 48, 24)
        outer.addWidget(label("Set up the nurse station", "title"))
        outer.addWidget(label("There is no nurse account yet. Create the administrator: type your "
                              "name, then choose a PIN of 4 to 8 digits."))
        row = QHBoxLayout()
        left = QVBoxLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("administrator name")
        left.addWidget(self.name)
        self.keyboard = OnScreenKeyboard(self.name, KEYS)
        left.addWidget(self.keyboard)
        row.addLayout(left, 3)
        right = QVBoxLayout()
        self.prompt = label("Choose a PIN.")
        right.addWidget(self.prompt)
        self.pad = DigitPad()
        right.addWidget(self.pad)
        self.message = label("", "error")
        right.addWidget(self.message)
        self.ok_button = button("Next", "primary", self._submit)
        right.addWidget(self.ok_button)
        row.addLayout(right, 2)
        outer.addLayout(row, 1)
        self.cancel_button = button("Back to the patient screen", None, self.cancelled.emit)
        outer.addWidget(self.cancel_button)

    def _submit(self) -> None:
        from kiosk.store import StoreError
        from kiosk.store.nurses import create_nurse, list_nurses

        if not self.name.text().strip():
            self.message.setText("Type your name first.")
            return
        if self._first_pin is None:
            if not (4 <= len(self.pad.value) <= 8):
                self.message.setText("A PIN has 4 to 8 digits.")
                return
            self._first_pin = self.pad.value
            self.pad.clear()
            self.prompt.setText("Type the same PIN again.")
            self.message.setText("")
            return
        if self.pad.value != self._first_pin:
            self._first_pin = None
            self.pad.clear()
            self.prompt.setText("Choose a PIN.")
            self.message.setText("The two PINs were not the same. Please start again.")
            return
        try:
            nurse_id = create_nurse(self.station.db, name=self.name.text().strip(), pin=self.pad.value,
                                    is_admin=True, by=None)
        except StoreError as error:
            self.message.setText(str(error))
            self._first_pin = None
            self.pad.clear()
            return
        nurse = next(n for n in list_nurses(self.station.db) if n["id"] == nurse_id)
        self.created.emit(nurse)
