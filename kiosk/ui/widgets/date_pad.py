"""The kiosk's own date entry: day, month and year boxes filled from a big number pad.

A number pad beats spinning wheels for older hands: 8 taps for any date, no scrolling, and the
date is read back in words ("7 March 1948") so a slip is easy to see.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.theme import set_role
from kiosk.ui.widgets.wrap_button import WrapButton

FIELDS = (("day", 2), ("month", 2), ("year", 4))


class DatePad(QWidget):
    """Emits `changed` whenever a digit is typed or removed. `error` is where the page says
    what is wrong with the date: under the boxes, above the keys."""

    changed = Signal()

    def __init__(self, labels: dict[str, str], locale: QLocale, parent=None):
        super().__init__(parent)
        self.labels = labels
        self.locale = locale
        self.values = {name: "" for name, _ in FIELDS}
        self.active = "day"
        outer = QVBoxLayout(self)
        boxes = QHBoxLayout()
        self.boxes: dict[str, QPushButton] = {}
        for name, width in FIELDS:
            column = QVBoxLayout()
            caption = QLabel(labels[name])
            caption.setAlignment(Qt.AlignCenter)
            box = WrapButton()
            box.label().setAlignment(Qt.AlignCenter)
            box.label().setStyleSheet("font-size: 40px;")
            set_role(box, "choice")
            box.setCheckable(True)
            box.setMinimumWidth(120 + 40 * width)
            box.clicked.connect(lambda _=False, n=name: self.activate(n))
            column.addWidget(caption)
            column.addWidget(box)
            boxes.addLayout(column)
            self.boxes[name] = box
        outer.addLayout(boxes)
        self.spelled = QLabel()
        self.spelled.setProperty("role", "subtitle")
        self.spelled.setAlignment(Qt.AlignCenter)
        outer.addWidget(self.spelled)
        self.error = QLabel()  # what is wrong with the date, right under the boxes it is about
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.PlainText)
        self.error.setAlignment(Qt.AlignCenter)
        outer.addWidget(self.error)

        pad = QGridLayout()
        pad.setSpacing(6)
        self.digit_keys: dict[str, QPushButton] = {}
        for i, digit in enumerate("123456789"):
            pad.addWidget(self._key(digit), i // 3, i % 3)
        pad.addWidget(self._key("0"), 3, 1)
        self.backspace_key = QPushButton(labels["backspace"])
        set_role(self.backspace_key, "key")
        self.backspace_key.clicked.connect(self.backspace)
        pad.addWidget(self.backspace_key, 3, 2)
        outer.addLayout(pad)
        self._refresh()

    def _key(self, digit: str) -> QPushButton:
        key = QPushButton(digit)
        set_role(key, "key")
        key.clicked.connect(lambda: self.type_digit(digit))
        self.digit_keys[digit] = key
        return key

    def activate(self, name: str) -> None:
        self.active = name
        self._refresh()

    def type_digit(self, digit: str) -> None:
        width = dict(FIELDS)[self.active]
        if len(self.values[self.active]) >= width:
            self.values[self.active] = ""
        self.values[self.active] += digit
        if len(self.values[self.active]) == width and self.active != "year":
            self.active = "month" if self.active == "day" else "year"
        self._refresh()
        self.changed.emit()

    def backspace(self) -> None:
        if not self.values[self.active] and self.active != "day":
            self.active = "month" if self.active == "year" else "day"
        self.values[self.active] = self.values[self.active][:-1]
        self._refresh()
        self.changed.emit()

    def set_iso(self, iso: str) -> None:
        """Fill the boxes from "YYYY-MM-DD" (when the patient comes Back to this page)."""
        year, month, day = iso.split("-")
        self.values = {"day": day, "month": month, "year": year}
        self._refresh()

    def set_values(self, values: dict[str, str]) -> None:
        """Fill the boxes with what was typed so far ({"day": "3", "month": "", ...})."""
        self.values = {name: str(values.get(name, ""))[:4] for name in self.values}
        self._refresh()

    def _refresh(self) -> None:
        for name, box in self.boxes.items():
            box.setText(self.values[name] or " ")
            # "Day: 07" to a screen reader; an empty box says so ("empty" in labels).
            value = self.values[name] or self.labels.get("empty", "")
            box.setAccessibleName(f"{self.labels[name]}: {value}" if value else self.labels[name])
            box.setChecked(name == self.active)
        parts = self.values
        date = QDate(int(parts["year"] or 0), int(parts["month"] or 0), int(parts["day"] or 0)) \
            if all(parts.values()) and len(parts["year"]) == 4 else QDate()
        pattern = self.labels.get("spelled_format") or "d MMMM yyyy"  # the month's name from Qt's locale
        self.spelled.setText(self.locale.toString(date, pattern) if date.isValid() else "")
