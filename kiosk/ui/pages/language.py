"""The languages, each named in itself (Español, Français, العربية, 中文 ...), as big buttons.

The same grid is on Welcome and on the page the header's Language button opens during a
session. No flags: a flag is a country, not a language.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QWidget

from kiosk.ui.pages.base import Page, button, label

COLUMNS = 4  # 11 languages in three rows; each button wide enough for "Українська" at 1280 px


def language_grid(page: Page, languages: list[tuple[str, str]], current: str, choose) -> tuple[QWidget, dict]:
    """A grid of checkable buttons, `current` checked; `choose(code)` on a tap that counts."""
    holder = QWidget()
    grid = QGridLayout(holder)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(12)
    group = QButtonGroup(holder)
    buttons = {}
    columns = min(COLUMNS, max(1, len(languages)))
    for place, (code, name) in enumerate(languages):
        choice = button(name, "language", lambda _=False, c=code: choose(c))
        choice.setCheckable(True)
        choice.setChecked(code == current)
        choice.setMinimumSize(220, 72)
        choice.setAccessibleName(name)
        group.addButton(choice)
        grid.addWidget(choice, place // columns, place % columns)
        buttons[code] = choice
    return holder, buttons


class LanguagePage(Page):
    """Another language, in the middle of a session: every answer so far is kept."""

    language_chosen = Signal(str)

    def __init__(self, ctx, languages: list[tuple[str, str]], parent=None):
        super().__init__(None, ctx, parent)
        self.add_title(ctx.ui("language_title"))
        self.body.addWidget(label(ctx.ui("language_keep")))
        self.body.addSpacing(12)
        grid, self.language_buttons = language_grid(
            self, languages, ctx.pack.language, self.guarded_choice)
        self.body.addWidget(grid)
        self.add_back()

    def guarded_choice(self, code: str) -> None:
        if self.ready:
            self.language_chosen.emit(code)
        else:  # the second tap of the Language button's double tap: nothing chosen
            current = self.language_buttons.get(self.ctx.pack.language)
            if current is not None:
                current.setChecked(True)  # the group is exclusive: the tapped one unchecks
