"""Nurse accounts, for administrators: add a nurse (name and PIN), remove one, make one an
administrator, unlock a locked account. Every change is a `kiosk.review.accounts` function,
written (with its audit entry) as the signed-in account."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from kiosk.review import ReviewError
from kiosk.review import accounts
from kiosk.ui.nurse.consent_page import keyboard_labels
from kiosk.ui.nurse.pin_pad import DigitPad, nurse_key_label_px
from kiosk.ui.nurse.words import button, label
from kiosk.ui.screen_fit import finger_scrolling
from kiosk.ui.theme import scaled
from kiosk.ui.widgets.keyboard import OnScreenKeyboard


class AccountsPage(QWidget):
    """Gets the station's NursePage; every change goes through `kiosk.review.accounts`."""

    def __init__(self, page, parent=None):
        super().__init__(parent)
        self.page = page
        t = page.review.texts
        # The name's keyboard and the PIN pad side by side, Add nurse beside the name, the list
        # of nurses below (it scrolls): one column of all four ran past a 1080-line screen, and
        # beside the list the keyboard was too narrow for its keys. The whole page scrolls too,
        # so it never asks for more than the screen has.
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(16, 8, 16, 8)
        outer.addWidget(label(t("accounts.intro"), "subtitle"))
        top = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText(t("accounts.name_placeholder"))
        top.addWidget(self.name, 1)
        self.add_button = button(t("accounts.add"), "primary", self.add)
        top.addWidget(self.add_button)
        outer.addLayout(top)
        keys = QHBoxLayout()
        keys.addWidget(OnScreenKeyboard(self.name, keyboard_labels(t), label_px=nurse_key_label_px()), 1)
        pin = QVBoxLayout()  # what went wrong shows under the pad: a line of its own left no room
        self.pad = DigitPad(delete_text=t("keys.backspace"))
        pin.addWidget(self.pad)
        self.message = label("", "error")
        self.message.setMaximumWidth(self.pad.sizeHint().width())
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing())
        policy = self.message.sizePolicy()
        # no height-for-width: with it the scroll area sized the page by preferred heights,
        # taller than 1280x800 leaves, and its scrollbar squeezed the keyboard's keys
        policy.setHeightForWidth(False)
        self.message.setSizePolicy(policy)
        pin.addWidget(self.message)
        keys.addLayout(pin)
        outer.addLayout(keys)
        accounts = QHBoxLayout()  # the heading beside the list: a line of its own left no room at 1280x800
        accounts.addWidget(label(t("accounts.heading"), "subtitle"), 0, Qt.AlignTop)
        names = QWidget()
        self.list_box = QVBoxLayout(names)
        self.list_box.setContentsMargins(0, 0, 0, 0)
        self.list_box.setAlignment(Qt.AlignTop)
        listed = _scrolling(names)
        listed.setMinimumHeight(scaled(120))  # a row or two; its scrollbar's handle would ask for more
        accounts.addWidget(listed, 1)
        outer.addLayout(accounts, 1)
        whole = QVBoxLayout(self)
        whole.setContentsMargins(0, 0, 0, 0)
        whole.addWidget(_scrolling(page))
        self.remove_buttons = {}

    def refresh(self) -> None:
        from kiosk.ui.nurse.queue_page import _clear_layout

        ctx = self.page.review
        t = ctx.texts
        _clear_layout(self.list_box)
        self.remove_buttons, self.admin_buttons, self.unlock_buttons = {}, {}, {}
        for account in accounts.list_accounts(ctx):
            row = QHBoxLayout()
            if account.locked:
                text = t("accounts.locked", name=account.name, time=account.locked_until.strftime("%H:%M"))
            else:
                text = t("accounts.administrator", name=account.name) if account.is_admin else account.name
            name = label(text)
            row.addWidget(name, 1)
            shown = [name]
            if account.locked:
                unlock = button(t("accounts.unlock"), None, lambda _=False, a=account.id: self._do(accounts.unlock_account, a))
                self.unlock_buttons[account.name] = unlock
                shown.append(unlock)
            if not account.is_admin:
                grant = button(t("accounts.make_admin"), None,
                               lambda _=False, a=account.id: self._do(accounts.grant_administrator, a))
                self.admin_buttons[account.name] = grant
                shown.append(grant)
            remove = button(t("accounts.remove"), None, lambda _=False, a=account.id: self._do(accounts.remove_account, a))
            self.remove_buttons[account.name] = remove
            shown.append(remove)
            for widget in shown[1:]:
                row.addWidget(widget)
            self.list_box.addLayout(row)
            for widget in shown:
                widget.show()  # a layout shows new children only on the next event-loop pass

    def add(self) -> None:
        try:
            _id, message = accounts.create_account(self.page.review, self.name.text().strip(), self.pad.value)
        except ReviewError as error:
            self.message.setText(str(error))
            return
        self.name.clear()
        self.pad.clear()
        self.message.setText(message)
        self.refresh()

    def remove(self, account_id: int) -> None:
        self._do(accounts.remove_account, account_id)

    def _do(self, action, account_id: int) -> None:
        """One account action of the review layer; its message (or refusal) shown."""
        try:
            message = action(self.page.review, account_id)
        except ReviewError as error:
            message = str(error)
        self.refresh()
        self.message.setText(message)


def _scrolling(content: QWidget) -> QScrollArea:
    """`content` in a frameless area that scrolls with a finger when it is taller than its room."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    area.setWidget(content)
    return finger_scrolling(area)
