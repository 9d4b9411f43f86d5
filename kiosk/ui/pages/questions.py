"""Checking understanding: one question, three big answers, kind feedback."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QScrollArea

from kiosk.flow.results import Attempt, QuestionResult
from kiosk.ui import theme
from kiosk.ui.pages.base import Page, button, label
from kiosk.ui.screen_fit import finger_scrolling
from kiosk.ui.theme import set_role
from kiosk.ui.widgets.picture import PictureView, picture_style


class QuestionPage(Page):
    """Reports each attempt; a wrong first answer leads (by the task's rule) to the page that
    explains it, then back here for a fresh try."""

    answered = Signal(bool)

    def __init__(self, step, ctx, shown_order: tuple[str, ...], parent=None):
        super().__init__(step, ctx, parent)
        self.question = ctx.pack.question(step.question_id)
        self.result = QuestionResult(shown_order)
        self.add_title(self.question.prompt)
        self.body.addWidget(label(ctx.ui("question_help")))
        texts = {c.id: c.text for c in self.question.choices}
        self.choices = {}
        for choice_id in shown_order:
            choice = button(texts[choice_id], "choice", self.guarded(lambda c=choice_id: self._answer(c)))
            choice.setMinimumHeight(theme.scaled(96, floor=80))
            self.body.addWidget(choice)
            self.choices[choice_id] = choice
        self.feedback = label("", "banner")
        self.feedback.setVisible(False)
        # A wrong answer also shows the picture of the page that explains it.
        explained = ctx.pack.page(self.question.explained_by).illustration
        self.feedback_picture = PictureView(explained, picture_style(ctx.pack, explained,
                                                                     high_contrast=ctx.high_contrast),
                                            minimum=(320, 240))
        # Wider than the art: its labels go in the room beside it instead of over the drawing
        # (German, Turkish and Ukrainian labels are long); the height is what 1280x800 leaves.
        self.feedback_picture.setFixedSize(520, 240)
        self.feedback_picture.setAccessibleName(ctx.pack.description(explained) or ctx.pack.page(
            self.question.explained_by).title)  # what it shows, for a screen reader
        self.feedback_picture.setVisible(False)
        # A long explanation scrolls beside its picture rather than pushing Next off the screen.
        self.feedback_scroll = finger_scrolling(QScrollArea())
        self.feedback_scroll.setWidget(self.feedback)
        self.feedback_scroll.setWidgetResizable(True)
        self.feedback.setVisible(False)  # setWidget showed it
        row = QHBoxLayout()
        row.addWidget(self.feedback_picture, 0, Qt.AlignTop)
        row.addWidget(self.feedback_scroll, 1)
        self.body.addLayout(row, 1)
        self.body.addStretch(1)
        self.add_nav()
        self.next_button.setEnabled(False)

    def on_shown(self) -> None:
        attempts = self.result.attempts
        if len(attempts) == 1 and not attempts[0].correct:
            self._reset()  # back from the explaining page: a fresh try

    def _reset(self) -> None:
        for choice in self.choices.values():
            set_role(choice, "choice")
            choice.setEnabled(True)
        self.feedback.setVisible(False)
        self.feedback_picture.setVisible(False)
        self.next_button.setEnabled(False)
        self.next_button.setText(self.ctx.ui("next"))

    def restore(self, result) -> None:
        """The answers so far; the last one shown with its feedback, as it was."""
        if isinstance(result, QuestionResult) and result.attempts:
            self.result = result
            last = result.attempts[-1]
            self._show_answer(last.choice, last.correct)

    def _answer(self, choice_id: str) -> None:
        correct = choice_id == self.question.correct
        self.result = QuestionResult(self.result.shown_order,
                                     self.result.attempts + (Attempt(choice_id, correct, self.ctx.now()),))
        self.result_changed.emit(self.result)
        self._show_answer(choice_id, correct)
        self.answered.emit(correct)

    def _show_answer(self, choice_id: str, correct: bool) -> None:
        for cid, choice in self.choices.items():
            choice.setEnabled(False)
            if cid == choice_id:
                set_role(choice, "right" if correct else "wrong")
        first_try = len(self.result.attempts) == 1
        if correct:
            text = self.ctx.ui("answer_right")
            set_role(self.feedback, "card")
        elif first_try:
            text = self.ctx.ui("answer_wrong_first", explanation=self.question.explanation)
            set_role(self.feedback, "banner")
            self.next_button.setText(self.ctx.ui("show_me_again"))
        else:
            text = self.ctx.ui("answer_wrong_again", explanation=self.question.explanation)
            set_role(self.feedback, "banner")
        self.feedback.setText(text)
        self.feedback.setVisible(True)
        self.feedback_picture.setVisible(not correct)
        self.next_button.setEnabled(True)
