"""Education pages: a picture, a few short sentences, and "Tell me more" for those who want it."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk.flow.results import PageResult, TaskResult
from kiosk.flow.steps import ReviewStep
from kiosk.flow.task import can_try_again, question_step_id
from kiosk.ui.pages.base import SETTLE_MS, Page, TapSettle, button, label
from kiosk.ui.screen_fit import finger_scrolling
from kiosk.ui.widgets.picture import PictureView, picture_style


class InfoPage(Page):
    """One idea per screen. As a ReviewStep it leads back to the question it explains."""

    def __init__(self, step, ctx, results: TaskResult | None = None, parent=None):
        super().__init__(step, ctx, parent)
        page = ctx.pack.page(step.page_id)
        self.review = isinstance(step, ReviewStep)
        self._results = results if results is not None else TaskResult()
        self._seen_at: str | None = None
        self._more_opened = False
        # "Tell me more" toggles: a double tap's second half would close what the first opened.
        self._more_settle = TapSettle(SETTLE_MS, ctx.tap_clock)
        self.intro = None
        if self.review:
            self.intro = label("", "banner")
            self.body.addWidget(self.intro)
        self.add_title(page.title)

        row = QHBoxLayout()
        row.setSpacing(32)
        frame = QFrame()
        frame.setProperty("role", "picture")
        frame_layout = QVBoxLayout(frame)
        from kiosk.ui.widgets.animations import make_animation

        self.animation = make_animation(page.animation, ctx)
        if self.animation is not None:
            self.picture = self.animation
        else:
            self.picture = PictureView(page.illustration,
                                       picture_style(ctx.pack, page.illustration, high_contrast=ctx.high_contrast))
        # What the picture shows, read out by a screen reader (the animation's drawing, if any).
        shown = page.animation if self.animation is not None else page.illustration
        getattr(self.picture, "picture", self.picture).setAccessibleName(
            ctx.pack.description(shown) or ctx.pack.description(page.illustration) or page.title)
        frame_layout.addWidget(self.picture)
        row.addWidget(frame, 6)

        text = QWidget()
        text_layout = QVBoxLayout(text)
        text_layout.setContentsMargins(0, 0, 12, 0)
        self.text = label(page.body)
        text_layout.addWidget(self.text)
        self.more = label(page.more or "", "card")
        self.more.setVisible(False)
        text_layout.addWidget(self.more)
        self.disclaimer = None
        if getattr(step, "disclaimer", False):  # a ReviewStep never repeats it
            text_layout.addSpacing(12)
            self.disclaimer = label(ctx.pack.disclaimer.strip(), "card")
            text_layout.addWidget(self.disclaimer)
        text_layout.addStretch(1)
        scroll = finger_scrolling(QScrollArea())  # "Tell me more" in a long language scrolls
        scroll.setWidget(text)
        scroll.setWidgetResizable(True)
        self.scroll = scroll
        row.addWidget(scroll, 5)
        self.body.addLayout(row, 1)

        # Shown again after a wrong answer: one way back, to the question ("Back" went there too).
        self.add_nav(ctx.ui("back_to_question") if self.review else None, back=not self.review)
        self.more_button = None
        if page.more:
            self.more_button = button(ctx.ui("tell_me_more"), None, self.guarded(self._toggle_more))
            self.more_button.setMinimumWidth(300)
            bar = self.body.itemAt(self.body.count() - 1).layout()
            bar.insertWidget(bar.count() - 1, self.more_button)  # just before the main action

    def _toggle_more(self) -> None:
        if self._more_settle.settling:
            return  # the second tap of a double tap (or a tremor's): the first one counted
        self._more_settle.start()
        showing = not self.more.isVisible()
        self.more.setVisible(showing)
        self.more_button.setText(self.ctx.ui("show_less" if showing else "tell_me_more"))
        if showing and not self._more_opened:
            self._more_opened = True
            self._report()

    def on_shown(self) -> None:
        if self.review:  # a new try is promised only while there will be one
            again = can_try_again(self._results, question_step_id(self.step.question_id))
            self.intro.setText(self.ctx.ui("review_intro" if again else "review_intro_no_retry"))

    def on_painted(self) -> None:
        if self._seen_at is None:  # seen once drawn on screen, not when merely made current
            self._seen_at = self.ctx.now()
            self._report()

    def _report(self) -> None:
        self.result_changed.emit(PageResult(self._seen_at, self._more_opened))
