"""The check after "I have questions for my doctor first" or "I do not want this treatment"."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout

from kiosk.flow.results import DecisionResult
from kiosk.flow.task import DECISION
from kiosk.ui.pages.base import Page, button, label


class DecisionCheckPage(Page):
    """Asks "You chose: <choice>. Is that right?"; Yes goes on (the window saves), No goes back.

    Reports only "forward" (Yes) or "back" (No); the task decides where each leads. The two
    buttons sit at the foot of the page, below where the decision's choices were, and ignore
    taps for a moment after the page appears (`Page.guarded`): a double tap on a choice never
    confirms it.
    """

    def __init__(self, step, ctx, results, parent=None):
        super().__init__(step, ctx, parent)
        self._results = results
        self.add_title(ctx.ui("decision_check.you_chose"))
        self.choice = label("", "card", plain=False)  # the words of the button tapped, in bold
        self.choice.setTextFormat(Qt.RichText)
        self.body.addWidget(self.choice)
        self.question = self.add_title(ctx.ui("decision_check.is_that_right"))
        self.what_happens = label("")
        self.body.addWidget(self.what_happens)
        self.body.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(32)
        self.no_button = button(ctx.ui("decision_check.no"), None, self.guarded(self.go_back))
        self.yes_button = button(ctx.ui("decision_check.yes"), "primary", self.guarded(self.go_forward))
        for answer in (self.no_button, self.yes_button):
            answer.setMinimumHeight(120)  # as tall as the decision's own choices
            row.addWidget(answer, 1)
        self.body.addLayout(row)

    @property
    def outcome(self) -> str | None:
        decision = self._results.get(DECISION)
        return decision.outcome if isinstance(decision, DecisionResult) else None

    def on_shown(self) -> None:
        outcome = self.outcome
        if outcome is not None:
            self.choice.setText(f"<b>{escape(self.ctx.ui(f'decision_{outcome}'))}</b>")
            self.what_happens.setText(self.ctx.ui(f"decision_check.after_{outcome}"))
