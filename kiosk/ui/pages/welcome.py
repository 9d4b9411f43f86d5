"""Welcome: the language, and one large Start."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.ui.pages.base import Page, button, label
from kiosk.ui.pages.language import language_grid


class WelcomePage(Page):
    """Shown between patients; holds nothing of anyone."""

    start = Signal()
    language_chosen = Signal(str)

    def __init__(self, ctx, languages: list[tuple[str, str]], hospital_name: str, parent=None):
        super().__init__(None, ctx, parent)
        self.body.addStretch(1)
        self.title = label(ctx.ui("welcome_title"), "title", plain=False)
        self.title.setProperty("align", "center")
        self.body.addWidget(self.title)
        self.intro = label(ctx.ui("welcome_body"), plain=False)
        self.intro.setProperty("align", "center")
        self.body.addWidget(self.intro)
        self.body.addSpacing(24)
        self.language_label = label(ctx.ui("welcome_language"), plain=False)
        self.language_label.setProperty("align", "center")
        self.body.addWidget(self.language_label)
        row = QHBoxLayout()
        row.addStretch(1)
        grid, self.language_buttons = language_grid(self, languages, ctx.pack.language, self.language_chosen.emit)
        row.addWidget(grid)
        row.addStretch(1)
        self.body.addLayout(row)
        self.body.addSpacing(24)
        holder = QWidget()
        centre = QHBoxLayout(holder)
        self.start_button = button(ctx.ui("welcome_start"), "primary", self.start.emit)
        self.start_button.setMinimumSize(520, 130)
        self.start_button.setObjectName("start")  # 40 px text (theme.style_sheet)
        centre.addStretch(1)
        centre.addWidget(self.start_button)
        centre.addStretch(1)
        self.body.addWidget(holder)
        self.body.addStretch(2)
