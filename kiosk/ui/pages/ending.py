"""The last screens: thanks and what happens next, or a calm "please call a nurse"."""

from __future__ import annotations

from PySide6.QtCore import Signal

from kiosk.ui.pages.base import Page, button, label


class SavingPage(Page):
    """"Saving your form…": calm, nothing to tap, shown until the consent is safely stored."""

    def __init__(self, ctx, parent=None):
        super().__init__(None, ctx, parent)
        self.add_title(ctx.ui("saving_title"))
        self.body.addWidget(label(ctx.ui("saving_body")))
        self.body.addStretch(1)


class DonePage(Page):
    """Thanks, and what happens next for this outcome. No personal details are shown.

    Finish sits where Sign and "Yes, that is right" were: like every page's Next it ignores
    taps for a moment after the page appears (`Page.guarded`), so a double tap there never
    skips the news that it has been saved.
    """

    def __init__(self, step, ctx, outcome: str, parent=None):
        super().__init__(step, ctx, parent)
        self.add_title(ctx.ui("done_title"))
        self.body.addWidget(label(ctx.ui(f"done_{outcome}")))
        self.body.addWidget(label(ctx.ui("done_next"), "card"))
        self.body.addStretch(1)
        self.add_nav(ctx.ui("done_finish"), back=False)  # guarded, as every page's Next


class SaveFailedPage(Page):
    """Saving failed: everything stays in memory; a nurse can retry. Shows no personal data."""

    retry = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(None, ctx, parent)
        self.add_title(ctx.ui("save_failed_title"))
        self.body.addWidget(label(ctx.ui("save_failed_body")))
        self.detail = label("", "card")
        self.body.addWidget(self.detail)
        self.body.addStretch(1)
        self.retry_button = button(ctx.ui("save_failed_retry"), "primary", self.retry.emit)
        self.body.addWidget(self.retry_button)


class OutOfServicePage(Page):
    """The kiosk cannot work (its database cannot be opened): point to paper, tell IT why."""

    def __init__(self, ctx, detail: str, parent=None):
        super().__init__(None, ctx, parent)
        self.add_title(ctx.ui("out_of_service_title"))
        self.body.addWidget(label(ctx.ui("out_of_service_body")))
        self.detail = label(detail, "card")
        self.body.addWidget(self.detail)
        self.body.addStretch(1)
