"""The nurse station window: sign-in, queue, one consent, dashboard, accounts.

Opened from the patient kiosk by a 3-second press on the hospital name (Welcome screen only),
or directly with `kiosk nurse` on a desk computer sharing the data folder. It locks itself
after two minutes without a touch (counted from the last touch, every time it is started);
leaving it destroys every view of patient data.

Like the patient side: the station builds one frozen `NursePage` when a nurse signs in (the
nurse's `kiosk.review.ReviewContext` and the station's `Operations`) and the pages get only
that; they call `kiosk.review` and report. At sign-out the context and every page made with
it are dropped, so the next nurse starts with no search, filter, selection or message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.review import ReviewContext, ReviewError
from kiosk.review import printing, session
from kiosk.review.context import discard_views, with_central
from kiosk.settings import Settings
from kiosk.ui.idle import IdleWatch
from kiosk.ui.operations import Operations
from kiosk.ui.nurse.words import button, label

NURSE_IDLE_SECONDS = 120


@dataclass(frozen=True)
class NursePage:
    """What a nurse page gets: the signed-in nurse's review context, the one background
    helper, the queue's filter as it is now (for "Export the filtered list"), the database
    file (a worker opens its own read-only connection to it) and whether the station is
    touch only (inside the patient kiosk: no physical keyboard, so search brings the keys)."""

    review: ReviewContext
    operations: Operations
    queue_filter: Callable[[], object] = lambda: None
    database_file: Path | None = None
    touch_only: Callable[[], bool] = lambda: False


def header_button(text: str, role: str | None, on_click):
    """A header button (kiosk.ui.nurse.words.button): its words shrink a little rather than
    widen the station past a 1280 px screen."""
    return button(text, role, on_click)


class NurseStation(QWidget):
    """Emits `closed` when the nurse signs out or the station locks itself."""

    closed = Signal()

    def __init__(self, *, settings: Settings, data_dir: Path, db, pdf_labels: dict | None = None,
                 clock=None, idle_seconds: int = NURSE_IDLE_SECONDS, central=None, parent=None):
        super().__init__(parent)
        from kiosk.ui.nurse.queue_page import QueuePage

        # `kiosk nurse --central`: a kiosk.review.central.CentralLink; the queue, the consents and
        # the actions are then the central database's (sign-in and accounts stay on this computer).
        self.central = central

        # settings, data_dir and db: for the station's own start-up and for tests; no page uses them.
        self.settings, self.data_dir, self.db = settings, data_dir, db
        self.pdf_labels = pdf_labels
        self._clock = clock
        self.station_context = session.station_context(db, settings=settings, data_dir=data_dir, now=self.now,
                                                       pdf_labels=pdf_labels)
        self.texts = texts = self.station_context.texts
        self._apply_direction()
        self.operations = Operations()
        operations = self.operations
        self.destroyed.connect(lambda *_: operations.stop_soon())  # the worker ends with the station
        self.context: ReviewContext | None = None  # the signed-in nurse's, from sign-in to sign-out
        self.page: NursePage | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.header = QWidget()
        self.header.setObjectName("nurseheader")
        self.header.setStyleSheet("#nurseheader { background: #dfe7ee; }")
        bar = QHBoxLayout(self.header)
        bar.setContentsMargins(24, 8, 24, 8)
        self.who = label(texts("station.title"), "progress")
        self.who.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # wraps rather than widening
        bar.addWidget(self.who, 1)
        self.queue_button = header_button(texts("station.queue"), None, self.show_queue)
        self.dashboard_button = header_button(texts("station.dashboard"), None, self.show_dashboard)
        self.accounts_button = header_button(texts("station.accounts"), None, self.show_accounts)
        self.blank_button = header_button(texts("station.blank_form"), None, self.print_blank_form)
        self.sign_out_button = header_button(texts("station.sign_out"), "primary", self.sign_out)
        self._header_bar = bar
        for widget in (self.queue_button, self.dashboard_button, self.accounts_button, self.blank_button,
                       self.sign_out_button):
            bar.addWidget(widget, widget.needed_width())
        outer.addWidget(self.header)
        self.notice = label("", "banner")
        self.notice.hide()
        outer.addWidget(self.notice)
        self.sample_data = session.holds_sample_data(self.station_context)  # a `kiosk demo` folder, for training
        self.sample_banner = label(texts("station.sample_banner"), "banner")
        self.sample_banner.hide()
        outer.addWidget(self.sample_banner)
        if self.sample_data:
            self.setWindowTitle(f"{texts('station.title')} · {texts('station.sample_banner')}")
        from kiosk.ui.screen_fit import CurrentPageStack

        self.stack = CurrentPageStack()  # as big as the page shown: Accounts' keyboard must not size Sign in
        outer.addWidget(self.stack, 1)

        self.first_use = self.sign_in_page = None
        self._make_sign_in_pages()
        self.queue = None
        self.consent = None
        self.dashboard = None
        self.accounts = None
        self._QueuePage = QueuePage

        self.idle = IdleWatch(idle_seconds, self)
        self.idle.idle.connect(self.sign_out)
        self.start()

    def _make_sign_in_pages(self) -> None:
        from kiosk.ui.nurse.pin_pad import FirstUsePage, SignInPage

        for old in (self.first_use, self.sign_in_page):
            if old is not None:
                self.stack.removeWidget(old)
                old.hide()
                old.deleteLater()
        self.first_use = FirstUsePage(self.station_context)
        self.first_use.created.connect(self._signed_in)
        self.first_use.cancelled.connect(self.sign_out)
        self.sign_in_page = SignInPage(self.station_context)
        self.sign_in_page.signed_in.connect(self._signed_in)
        self.sign_in_page.cancelled.connect(self.sign_out)
        self.sign_in_page.language_chosen.connect(self.set_language)
        for page in (self.first_use, self.sign_in_page):
            self.stack.addWidget(page)

    def _fit_header(self) -> None:
        """Each part of the header gets room in proportion to what its words need: on a 1280 px
        screen, in a language with long words, the title wraps and the buttons' words shrink
        a little, and nothing is wider than the screen."""
        metrics = self.who.fontMetrics()
        self._header_bar.setStretchFactor(self.who, max(1, metrics.horizontalAdvance(self.who.text()) + 24))
        for widget in (self.queue_button, self.dashboard_button, self.accounts_button, self.blank_button,
                       self.sign_out_button):
            self._header_bar.setStretchFactor(widget, widget.needed_width())

    def _apply_direction(self) -> None:
        """The station mirrored for a nurse who reads right to left (Arabic): its header, the
        queue's columns, the consent page's panels, the keypads; left to right otherwise,
        whatever the patient side uses."""
        from PySide6.QtCore import Qt

        from kiosk.content.interface_text import load_interface_text

        try:
            direction = load_interface_text(self.texts.language).direction
        except Exception:  # noqa: BLE001 - a broken ui.toml: the station stays readable, left to right
            direction = "ltr"
        self.setLayoutDirection(Qt.RightToLeft if direction == "rtl" else Qt.LeftToRight)

    def set_language(self, code: str) -> None:
        """The station in the nurse's language, from the sign-in on; after sign-out it returns to
        the hospital's working language (`staff_language`) for the next nurse."""
        if self.context is not None or code == self.texts.language:
            if self.context is None and self.sign_in_page.language_holder.isVisible():
                self.sign_in_page.toggle_languages()
            return
        from dataclasses import replace

        from kiosk.review.texts import load_texts

        self.station_context = replace(self.station_context, texts=load_texts(code))
        self.texts = texts = self.station_context.texts
        self._apply_direction()
        self.who.setText(texts("station.title"))
        self.sample_banner.setText(texts("station.sample_banner"))
        for widget, key in ((self.queue_button, "station.queue"), (self.dashboard_button, "station.dashboard"),
                            (self.accounts_button, "station.accounts"), (self.blank_button, "station.blank_form"),
                            (self.sign_out_button, "station.sign_out")):
            widget.setText(texts(key))
        self._fit_header()
        self._make_sign_in_pages()
        self.start()

    def now(self) -> datetime:
        """Now, in the kiosk's configured time zone (the computer's own when none is set)."""
        return self._clock() if self._clock else datetime.now().astimezone().replace(microsecond=0)

    @property
    def nurse(self) -> dict | None:
        """The signed-in account as a dict (id, name, is_admin), None when nobody is signed in."""
        if self.context is None:
            return None
        account = self.context.account
        return {"id": account.id, "name": account.name, "is_admin": account.is_admin}

    def start(self) -> None:
        """Show the sign-in (or the first-use set-up) and watch for touches: the idle lock counts
        from the last touch every time, also after a sign-out on a desk station."""
        self.header.setVisible(False)
        self.sample_banner.setVisible(False)
        self.say("")
        if session.needs_first_administrator(self.station_context):
            self.stack.setCurrentWidget(self.first_use)
        else:
            self.sign_in_page.refresh()
            self.stack.setCurrentWidget(self.sign_in_page)
        app = QApplication.instance()
        app.removeEventFilter(self.idle)  # never twice
        app.installEventFilter(self.idle)
        self.idle.start()

    def _signed_in(self, context: ReviewContext) -> None:
        from kiosk.ui.nurse.consent_page import ConsentPage

        context = with_central(context, self.central)
        self.context = context
        self.page = NursePage(review=context, operations=self.operations,
                              queue_filter=lambda: self.queue.filter if self.queue is not None else None,
                              database_file=self.station_context.database_file,
                              touch_only=lambda: not self.isWindow())  # a page of the kiosk's window
        self.consent = ConsentPage(self.page)
        self.consent.back.connect(self.show_queue)
        self.consent.printed.connect(lambda _message: self.say(""))  # a good print: the printer is fine now
        self.stack.addWidget(self.consent)
        self.who.setText(self.texts("station.title_central" if self.central else "station.title_signed_in",
                                    name=context.account.name))
        self._fit_header()
        self.accounts_button.setVisible(context.account.is_admin)
        self.dashboard_button.setVisible(self.central is None)  # its figures and export are this computer's
        self.show_queue()  # first: the header over the sign-in page (and its keys) was taller than the screen
        self.header.setVisible(True)
        self.sample_banner.setVisible(self.sample_data)

    def show_queue(self) -> None:
        if self.queue is None:
            self.queue = self._QueuePage(self.page)
            self.queue.open_consent.connect(self.open_consent)
            self.stack.addWidget(self.queue)
        self.queue.refresh()
        self.stack.setCurrentWidget(self.queue)

    def open_consent(self, document_id: str) -> None:
        try:
            self.consent.show_record(document_id)
        except ReviewError as error:  # removed meanwhile, or the store refused
            self.say(str(error))
            return
        self.stack.setCurrentWidget(self.consent)

    def show_dashboard(self) -> None:
        from kiosk.ui.nurse.dashboard import DashboardPage

        if self.dashboard is None:
            self.dashboard = DashboardPage(self.page)
            self.stack.addWidget(self.dashboard)
        self.dashboard.refresh()
        self.stack.setCurrentWidget(self.dashboard)

    def show_accounts(self) -> None:
        from kiosk.ui.nurse.accounts import AccountsPage

        if self.accounts is None:
            self.accounts = AccountsPage(self.page)
            self.stack.addWidget(self.accounts)
        self.accounts.refresh()
        self.stack.setCurrentWidget(self.accounts)

    def say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # ----- printing -----------------------------------------------------------------------------
    def print_blank_form(self) -> None:
        """A blank paper form for patients who prefer paper, or when the kiosk is down: the
        printer found, the form rendered and sent on the worker (from a temporary file, nothing
        left in the data folder); refusals and the audit entry on the UI thread."""
        ctx, operations = self.context, self.operations
        if ctx is None:
            return
        busy = (self.blank_button, self.texts("busy.printing"))

        def found(printers) -> None:
            printer = printers.default or next((p.name for p in printers.printers), None)
            try:
                request = printing.plan_blank_form(ctx, printer)
            except ReviewError as error:
                self._say_for(ctx, printers.problem or str(error))
                return
            operations.run("blank_form", lambda: printing.send(request), busy=busy,
                           success=lambda result: self._say_for(ctx, printing.record_print(ctx, result).message))

        operations.run("blank_form", lambda: printing.printers(ctx), success=found, busy=busy)

    def _say_for(self, ctx: ReviewContext, text: str) -> None:
        """A message for the nurse of `ctx`, shown only while that nurse is still signed in."""
        if self.context is ctx:
            self.say(text)

    # ----- leaving --------------------------------------------------------------------------------
    def sign_out(self) -> None:
        """Leave: an audit entry if someone was signed in, then nothing of the views survives."""
        import sys

        if self.context is not None:
            try:
                session.sign_out(self.context)
            except Exception as error:  # noqa: BLE001
                print(f"kiosk: sign-out not audited: {error}", file=sys.stderr)
        discard_views(self.context)  # a central consent's PDF copies leave the data folder
        self._drop_views()
        self.idle.stop()
        QApplication.instance().removeEventFilter(self.idle)
        self.closed.emit()

    def _drop_views(self) -> None:
        """The nurse's context and every page made with it go: no search, filter, selection or
        message of theirs is left for the next nurse."""
        self.context = None
        self.page = None
        # The sign-in is what shows next; without it the stack would fall back to its first page
        # (first use: a keyboard and a pad) and size the window to that for a moment.
        self.header.setVisible(False)
        self.stack.setCurrentWidget(self.sign_in_page)
        for name in ("queue", "consent", "dashboard", "accounts"):
            page = getattr(self, name)
            setattr(self, name, None)
            if page is not None:
                self.stack.removeWidget(page)
                page.hide()
                page.setParent(None)
                page.deleteLater()
        self.say("")
        self.who.setText(self.texts("station.title"))
        if self.texts.language != self.settings.staff_language:  # the next nurse starts in the ward's language
            self.set_language(self.settings.staff_language)
