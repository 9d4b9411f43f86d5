"""Getting into the nurse station: choose your name, type your PIN on a big number pad.

On first use there is no account yet: the pad asks for the administrator's name and PIN
(twice). Five wrong PINs lock an account for five minutes (the store decides; the pad shows).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.review import ReviewError
from kiosk.review import session
from kiosk.ui.nurse.words import button, label
from kiosk.ui.widgets.keyboard import OnScreenKeyboard

PIN_MAX = 8


def nurse_key_label_px() -> int:
    """The station's keyboards share their row with a PIN pad: their labels at the theme's
    small size (the patient's keyboard keeps its larger one)."""
    from kiosk.ui.theme import SMALL_PX, scaled

    return scaled(SMALL_PX)


def _keys(texts) -> dict[str, str]:
    return {name: texts(f"keys.{name}") for name in ("shift", "space", "backspace", "clear", "undo_clear")}


class DigitPad(QWidget):
    """Ten big digits, Delete and a masked display. A physical keyboard types on it too:
    digits, Backspace, and Enter (``submitted``)."""

    changed = Signal(str)
    submitted = Signal()

    def __init__(self, parent=None, *, delete_text: str = "Delete"):
        super().__init__(parent)
        self.value = ""
        self.setFocusPolicy(Qt.StrongFocus)  # a tap on the pad gives it the keyboard
        layout = QVBoxLayout(self)
        self.display = label("", "title")
        self.display.setAlignment(Qt.AlignCenter)
        layout.addWidget(self.display)
        grid = QGridLayout()
        self.keys = {}
        for i, digit in enumerate("1234567890"):
            key = button(digit, "key", lambda _=False, d=digit: self.press(d))
            key.setFocusPolicy(Qt.NoFocus)
            self.keys[digit] = key
            grid.addWidget(key, i // 3 if digit != "0" else 3, i % 3 if digit != "0" else 1)
        self.delete_key = button(delete_text, "key", self.delete)
        self.delete_key.setFocusPolicy(Qt.NoFocus)
        # never narrower than its word: a squeezed pad cut "Delete" at 1280x800
        self.delete_key.setMinimumWidth(self.delete_key.sizeHint().width())
        grid.addWidget(self.delete_key, 3, 2)
        layout.addLayout(grid)

    def press(self, digit: str) -> None:
        if len(self.value) < PIN_MAX:
            self.value += digit
            self._show()

    def delete(self) -> None:
        self.value = self.value[:-1]
        self._show()

    def clear(self) -> None:
        self.value = ""
        self._show()

    def type_key(self, event) -> bool:
        """A key of a physical keyboard: True when the pad used it."""
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.submitted.emit()
        elif event.key() == Qt.Key_Backspace:
            self.delete()
        elif event.text() and event.text() in "0123456789":
            self.press(event.text())
        else:
            return False
        return True

    def keyPressEvent(self, event):
        if not self.type_key(event):
            super().keyPressEvent(event)

    def _show(self) -> None:
        self.display.setText("\u25cf " * len(self.value))
        self.changed.emit(self.value)


class SignInPage(QWidget):
    """Tap your name, then your PIN (on the pad or a keyboard). Emits `signed_in(ReviewContext)`
    (the nurse's own, from ``kiosk.review.session``) or `cancelled`."""

    signed_in = Signal(object)
    cancelled = Signal()
    language_chosen = Signal(str)  # the nurse's language, for the station and everything after sign-in

    def __init__(self, station, parent=None):
        super().__init__(parent)
        self.station = station  # a kiosk.review.session.StationContext
        self.texts = t = station.texts
        self.chosen = None  # the kiosk.review.Account tapped
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 24, 48, 24)
        self.title = label(t("sign_in.title"), "title")
        outer.addWidget(self.title)
        row = QHBoxLayout()
        self.names = QVBoxLayout()
        left = QWidget()
        left.setLayout(self.names)
        row.addWidget(left, 1)
        right = QVBoxLayout()
        self.prompt = label(t("sign_in.tap_name"))
        right.addWidget(self.prompt)
        self.pad = DigitPad(delete_text=t("keys.backspace"))
        self.pad.submitted.connect(self._submit)
        right.addWidget(self.pad)
        self.message = label("", "error")
        right.addWidget(self.message)
        self.ok_button = button(t("sign_in.sign_in"), "primary", self._submit)
        right.addWidget(self.ok_button)
        row.addLayout(right, 1)
        outer.addLayout(row, 1)
        self.sign_in_row = row
        from kiosk.content import available_languages
        from kiosk.ui.pages.language import language_grid

        names = dict(available_languages())
        self.languages = [(code, names[code]) for code in names]
        self.language_holder, self.language_buttons = language_grid(
            None, self.languages, station.texts.language, self.language_chosen.emit)
        self.language_holder.hide()
        outer.addWidget(self.language_holder, 1)
        bottom = QHBoxLayout()
        self.cancel_button = button(t("sign_in.back"), None, self.cancelled.emit)
        bottom.addWidget(self.cancel_button)
        bottom.addStretch(1)
        own = names.get(station.texts.language, station.texts.language)
        self.language_button = button(f"{t('sign_in.language')}: {own}", None, self.toggle_languages)
        self.language_button.setVisible(len(self.languages) > 1)
        bottom.addWidget(self.language_button)
        outer.addLayout(bottom)
        self.name_buttons: dict[int, QWidget] = {}

    def toggle_languages(self) -> None:
        """The languages in place of the names and the PIN pad, or back again."""
        showing = not self.language_holder.isVisible()
        if not showing:
            self.language_holder.hide()
        # What goes is hidden before what comes is shown: laid out with both for a moment, the
        # page was taller than the screen, and a desk station's top-level window grew to it
        # (1229 px on a 1080-px screen) and never shrank back.
        for index in range(self.sign_in_row.count()):
            item = self.sign_in_row.itemAt(index)
            widget = item.widget()
            if widget is not None:
                widget.setVisible(not showing)
            elif item.layout() is not None:
                for inner in range(item.layout().count()):
                    child = item.layout().itemAt(inner).widget()
                    if child is not None:
                        child.setVisible(not showing)
        if showing:
            self.language_holder.show()

    def refresh(self) -> None:
        while self.names.count():
            item = self.names.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.name_buttons = {}
        for account in session.accounts_to_sign_in(self.station):
            choice = button(account.name, "choice", lambda _=False, a=account: self.choose(a))
            choice.setCheckable(True)
            self.names.addWidget(choice)
            choice.show()
            self.name_buttons[account.id] = choice
        self.names.addStretch(1)
        self.chosen = None
        self.pad.clear()
        self.message.setText("")
        self.prompt.setText(self.texts("sign_in.tap_name"))

    def choose(self, account) -> None:
        self.chosen = account
        for nid, choice in self.name_buttons.items():
            choice.setChecked(nid == account.id)
        self.prompt.setText(self.texts("sign_in.type_pin", name=account.name))
        self.pad.clear()
        self.pad.setFocus(Qt.OtherFocusReason)  # a physical keyboard types the PIN at once
        self.message.setText("")

    def keyPressEvent(self, event):
        if not self.pad.type_key(event):  # keys reach the pad wherever the focus is on this page
            super().keyPressEvent(event)

    def _submit(self) -> None:
        try:
            result = session.sign_in_as(self.station, self.chosen.id if self.chosen else None, self.pad.value)
        except ReviewError as error:  # e.g. the account was removed meanwhile
            self.refresh()
            self.message.setText(str(error))
            return
        self.pad.clear()
        if result.context is not None:
            self.signed_in.emit(result.context)
        else:
            self.message.setText(result.message)


class FirstUsePage(QWidget):
    """No account yet: create the administrator (name on the keyboard, PIN twice)."""

    created = Signal(object)  # the administrator's ReviewContext
    cancelled = Signal()

    def __init__(self, station, parent=None):
        super().__init__(parent)
        self.station = station  # a kiosk.review.session.StationContext
        self.texts = t = station.texts
        self._first_pin: str | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 24, 48, 24)
        outer.addWidget(label(t("first_use.title"), "title"))
        outer.addWidget(label(t("first_use.intro")))
        row = QHBoxLayout()
        left = QVBoxLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName(t("first_use.name"))
        left.addWidget(self.name)
        self.keyboard = OnScreenKeyboard(self.name, _keys(t), label_px=nurse_key_label_px())
        left.addWidget(self.keyboard)
        row.addLayout(left, 3)  # 3:1 - at 3:2 the keyboard's Clear, Space and Delete were cut
        right = QVBoxLayout()
        self.prompt = label(t("first_use.choose_pin"))
        right.addWidget(self.prompt)
        self.pad = DigitPad(delete_text=t("keys.backspace"))
        self.pad.submitted.connect(self._submit)
        right.addWidget(self.pad)
        self.message = label("", "error")
        right.addWidget(self.message)
        self.ok_button = button(t("first_use.next"), "primary", self._submit)
        right.addWidget(self.ok_button)
        row.addLayout(right, 1)
        outer.addLayout(row, 1)
        self.cancel_button = button(t("sign_in.back"), None, self.cancelled.emit)
        outer.addWidget(self.cancel_button)

    def _submit(self) -> None:
        t = self.texts
        if not self.name.text().strip():
            self.message.setText(t("first_use.name_first"))
            return
        if self._first_pin is None:
            if not (4 <= len(self.pad.value) <= PIN_MAX):
                self.message.setText(t("first_use.pin_length"))
                return
            self._first_pin = self.pad.value
            self.pad.clear()
            self.prompt.setText(t("first_use.pin_again"))
            self.message.setText("")
            return
        if self.pad.value != self._first_pin:
            self._first_pin = None
            self.pad.clear()
            self.prompt.setText(t("first_use.choose_pin"))
            self.message.setText(t("first_use.pins_differ"))
            return
        try:
            context = session.create_first_administrator(self.station, self.name.text().strip(), self.pad.value)
        except ReviewError as error:
            self.message.setText(str(error))
            self._first_pin = None
            self.pad.clear()
            return
        self.created.emit(context)
