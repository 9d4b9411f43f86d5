"""The kiosk's own on-screen keyboard for names: big keys, several scripts, no physical keys."""

from __future__ import annotations

import tomllib
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.theme import set_role
from kiosk.ui.widgets.fit_button import FitButton

LAYOUTS_FILE = Path(__file__).resolve().parents[3] / "assets" / "keyboards.toml"


def load_layouts(path: Path = LAYOUTS_FILE) -> dict[str, dict]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def layouts_for(layouts: dict[str, dict], language: str | None, first: str | None) -> dict[str, dict]:
    """The layouts offered in `language`, in order: its first layout (`first`, or the file's
    first), the letters of that language, then every other general layout. Another language's
    letters are not offered (they are in "accented" too)."""
    general = {name: layout for name, layout in layouts.items() if "language" not in layout}
    own = {name: layout for name, layout in layouts.items() if layout.get("language") == language}
    opening = first if first in general else next(iter(general))
    return {opening: general[opening], **own, **{n: lay for n, lay in general.items() if n != opening}}


# Holding Delete: the first repeat after this long, then one character every REPEAT_MS.
REPEAT_DELAY_MS = 500
REPEAT_MS = 90


class NameField(QLineEdit):
    """A QLineEdit whose cursor is always drawn, thick and steady: Qt draws its thin blinking
    one only while the window is active, which a kiosk without a window manager never is."""

    def paintEvent(self, event):
        super().paintEvent(event)
        from PySide6.QtGui import QColor, QPainter

        from kiosk.ui.theme import palette

        bar = self.cursorRect()
        with QPainter(self) as p:
            p.fillRect(bar.center().x() - 2, bar.top(), 4, bar.height(), QColor(palette().primary))


KEY_GAP_PX = 6  # between keys and between rows: apart, so a key never touches its neighbour


class OnScreenKeyboard(QWidget):
    """Types into one QLineEdit at its cursor, never over a selection; capitalises the first
    letter of each word like a phone does, and a Shift tapped there out of habit keeps the
    capital (a second tap gives a small letter). Delete repeats while held; Clear empties the
    field and turns into "Put it back" until the next key. With `max_length`, a key that
    would make the text longer types nothing and emits `limit_reached` instead.

    `repeat_delay_ms` and `repeat_ms` set how Delete repeats (tests make them short).
    `label_px` (the nurse station's, beside a PIN pad): the word keys' labels at that size, and
    no key narrower than its label ("Clear", "Put it back", "عربي", "Delete" whole), so the
    keyboard needs less width; without it the keys keep the theme's look (the patient's)."""

    typed = Signal()
    limit_reached = Signal()

    def __init__(self, target: QLineEdit, labels: dict[str, str], parent=None, *, max_length: int | None = None,
                 repeat_delay_ms: int = REPEAT_DELAY_MS, repeat_ms: int = REPEAT_MS, label_px: int | None = None,
                 language: str | None = None, first: str | None = None):
        super().__init__(parent)
        if label_px is not None:  # a sheet of its own wins over the theme's for its keys only
            self.setStyleSheet(f'QPushButton[role="key"][word="true"] {{ font-size: {label_px}px; }}')
        self.target = target
        self.max_length = max_length
        self.layouts = layouts_for(load_layouts(), language, first)
        # The nurse station's keyboard has fixed English words and may leave these two out.
        self._labels = {"clear": "Clear", "undo_clear": "Put it back", **labels}
        self._cleared: str | None = None  # what Clear took away, until the next key
        self._shift = True
        self._manual_shift = False
        self._letter_keys: list[QPushButton] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)  # the page's margins are enough
        outer.setSpacing(KEY_GAP_PX)
        self._grid = QGridLayout()
        self._grid.setSpacing(KEY_GAP_PX)
        outer.addLayout(self._grid)

        bottom = QHBoxLayout()
        self.clear_key = self._key(self._labels["clear"], self._clear, fit=True)
        self.shift_key = self._key(labels["shift"], self._toggle_shift, fit=True)
        self.shift_key.setCheckable(True)
        self.space_key = self._key(labels["space"], lambda: self._insert(" "), fit=True)
        self.backspace_key = self._key(labels["backspace"], self._backspace, fit=True)
        self.backspace_key.setAutoRepeat(True)  # hold to delete more than one
        self.backspace_key.setAutoRepeatDelay(repeat_delay_ms)
        self.backspace_key.setAutoRepeatInterval(repeat_ms)
        # Each key's share of the row is what its words need (Space, the biggest target, twice
        # that): in a language with long words every label shrinks alike instead of one being cut.
        bottom.addWidget(self.clear_key, self.clear_key.needed_width())
        bottom.addWidget(self.shift_key, self.shift_key.needed_width())
        bottom.addWidget(self.space_key, 2 * self.space_key.needed_width())
        bottom.addWidget(self.backspace_key, self.backspace_key.needed_width())
        outer.addLayout(bottom)

        # The layout buttons share the last row with Clear, Shift, Space and Delete: a row of its
        # own made a four-row layout (accented, Greek, Cyrillic, Arabic) taller than a 1280x800
        # screen has room for, once the nurse banner shows.
        switch = QHBoxLayout()
        switch.setSpacing(KEY_GAP_PX)
        bottom.setSpacing(KEY_GAP_PX)
        self.layout_buttons: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        for name, layout in self.layouts.items():
            button = self._key(layout["label"], lambda _=False, n=name: self.set_layout(n), fit=True)
            button.setCheckable(True)
            # "Keyboard: ΑΒΓ" in the patient's words ("layout" in labels), the layout's own name last.
            button.setAccessibleName(self._labels.get("layout", "{layout}").format(layout=layout["label"]))
            group.addButton(button)
            switch.addWidget(button, button.needed_width())  # "עברית" whole: it shrinks rather than being cut
            self.layout_buttons[name] = button
        if label_px is None:
            bottom.insertLayout(0, switch, sum(b.needed_width() for b in self.layout_buttons.values()))
            bottom.insertSpacing(1, 3 * KEY_GAP_PX)  # the layouts apart from the editing keys
        else:  # the nurse station's keyboard, beside a PIN pad: narrow, with room below for a row
            outer.insertLayout(outer.count() - 1, switch)
        self.set_layout(next(iter(self.layouts)))
        if label_px is not None:
            self._fit_labels(label_px)

    def _fit_labels(self, label_px: int) -> None:
        """The editing and layout keys' words at `label_px` (the letters keep the theme's size);
        each key asks for the room its words need and shrinks them a little if it gets less
        (`FitButton`)."""
        keys = [self.clear_key, self.shift_key, self.space_key, self.backspace_key, *self.layout_buttons.values()]
        for key in keys:
            key.setProperty("word", True)
            key.style().unpolish(key)
            key.style().polish(key)
            key._base_px = None  # its size is the keyboard's sheet's now
            key.updateGeometry()

    def _key(self, text: str, action, *, fit: bool = False) -> QPushButton:
        button = FitButton(text) if fit else QPushButton(text)
        set_role(button, "key")
        button.setFocusPolicy(Qt.NoFocus)  # the name field keeps the cursor
        button.clicked.connect(action)
        return button

    def set_layout(self, name: str) -> None:
        """Show the keys of layout `name` (a table of assets/keyboards.toml)."""
        for key in self._letter_keys:
            key.setParent(None)
            key.deleteLater()
        self._letter_keys = []
        for r, row in enumerate(self.layouts[name]["rows"]):
            for c, char in enumerate(row):
                key = self._key(char, lambda _=False, ch=char: self._insert(self._cased(ch)))
                key.setProperty("char", char)
                self._grid.addWidget(key, r, c)
                key.show()  # a layout shows new children only on the next event loop pass
                self._letter_keys.append(key)
        self.layout_buttons[name].setChecked(True)
        self.current_layout = name
        self._refresh_case()

    def key_for(self, char: str) -> QPushButton | None:
        """The key that types `char` in the current layout (for tests and accessibility)."""
        for key in self._letter_keys:
            if key.property("char") == char.lower() or key.property("char") == char:
                return key
        return None

    def _cased(self, char: str) -> str:
        if not self._shift:
            return char
        return self.layouts[self.current_layout].get("upper", {}).get(char) or char.upper()

    def _insert(self, text: str) -> None:
        self._forget_clear()
        self.target.deselect()  # a selection made by focus alone must never be typed over
        if self.max_length is not None and len(self.target.text()) + len(text) > self.max_length:
            self.limit_reached.emit()
            return
        self.target.insert(text)
        self._manual_shift = False
        self._auto_shift()
        self.typed.emit()

    def _backspace(self) -> None:
        self._forget_clear()
        self.target.deselect()
        self.target.backspace()
        self._auto_shift()
        self.typed.emit()

    def _clear(self) -> None:
        if self._cleared is not None:  # "Put it back"
            self.target.setText(self._cleared)
            self._forget_clear()
        elif self.target.text():
            self._cleared = self.target.text()
            self.target.clear()
            self.clear_key.setText(self._labels["undo_clear"])
        self._manual_shift = False
        self._auto_shift()
        self.typed.emit()

    def _forget_clear(self) -> None:
        if self._cleared is not None:
            self._cleared = None
            self.clear_key.setText(self._labels["clear"])

    def _toggle_shift(self) -> None:
        if self._shift and not self._manual_shift:
            self._manual_shift = True  # the capital was coming anyway: Shift out of habit keeps it
        else:
            self._shift = not self._shift
            self._manual_shift = True
        self._refresh_case()

    def _auto_shift(self) -> None:
        if self._manual_shift:
            return
        before = self.target.text()[: self.target.cursorPosition()]
        self._shift = before == "" or before[-1] in " -"
        self._refresh_case()

    def _refresh_case(self) -> None:
        self.shift_key.setChecked(self._shift)
        for key in self._letter_keys:
            key.setText(self._cased(key.property("char")))
