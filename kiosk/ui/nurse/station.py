"""The nurse station window: sign-in, queue, one consent, dashboard, accounts.

Opened from the patient kiosk by a 3-second press on the hospital name (Welcome screen only),
or directly with `kiosk nurse` on a desk computer sharing the data folder. It locks itself
after two minutes without a touch; leaving it destroys every view of patient data.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.settings import Settings
from kiosk.ui.idle import IdleWatch
from kiosk.ui.pages.base import button, label

NURSE_IDLE_SECONDS = 120
SAMPLE_BANNER = "SAMPLE data for training: made by kiosk demo, none of these is a real patient"


class NurseStation(QWidget):
    """Emits `closed` when the nurse signs out or the station locks itself."""

    closed = Signal()

    def __init__(self, *, settings: Settings, data_dir: Path, db, pdf_labels: dict | None = None,
                 clock=None, idle_seconds: int = NURSE_IDLE_SECONDS, parent=None):
        super().__init__(parent)
        from kiosk.ui.nurse.consent_page import ConsentPage
        from kiosk.ui.nurse.pin_pad import FirstUsePage, SignInPage
        from kiosk.ui.nurse.queue_page import QueuePage

        self.settings, self.data_dir, self.db = settings, data_dir, db
        self.pdf_labels = pdf_labels
        self._clock = clock
        self.nurse: dict | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.header = QWidget()
        self.header.setObjectName("nurseheader")
        self.header.setStyleSheet("#nurseheader { background: #dfe7ee; }")
        bar = QHBoxLayout(self.header)
        bar.setContentsMargins(24, 8, 24, 8)
        self.who = label("Nurse station", "progress", wrap=False)
        bar.addWidget(self.who)
        bar.addStretch(1)
        self.queue_button = button("Queue", None, self.show_queue)
        self.dashboard_button = button("At a glance", None, self.show_dashboard)
        self.accounts_button = button("Accounts", None, self.show_accounts)
        self.blank_button = button("Print blank form", None, self.print_blank_form)
        self.sign_out_button = button("Sign out", "primary", self.sign_out)
        for widget in (self.queue_button, self.dashboard_button, self.accounts_button, self.blank_button,
                       self.sign_out_button):
            bar.addWidget(widget)
        outer.addWidget(self.header)
        self.notice = label("", "banner")
        self.notice.hide()
        outer.addWidget(self.notice)
        from kiosk.store import StoreError
        from kiosk.store.samples import holds_samples

        try:
            self.sample_data = holds_samples(db)  # a folder made by `kiosk demo`, for training
        except StoreError:
            self.sample_data = False  # the queue says what is wrong with the database
        self.sample_banner = label(SAMPLE_BANNER, "banner")
        self.sample_banner.hide()
        outer.addWidget(self.sample_banner)
        if self.sample_data:
            self.setWindowTitle(f"Nurse station · {SAMPLE_BANNER}")
        from kiosk.ui.screen_fit import CurrentPageStack

        self.stack = CurrentPageStack()  # as big as the page shown: Accounts' keyboard must not size Sign in
        outer.addWidget(self.stack, 1)

        self.first_use = FirstUsePage(self)
        self.first_use.created.connect(self._signed_in)
        self.first_use.cancelled.connect(self.sign_out)
        self.sign_in_page = SignInPage(self)
        self.sign_in_page.signed_in.connect(self._signed_in)
        self.sign_in_page.cancelled.connect(self.sign_out)
        self.queue = None
        self.consent = ConsentPage(self)
        self.consent.back.connect(self.show_queue)
        self.dashboard = None
        self.accounts = None
        self._QueuePage = QueuePage
        for page in (self.first_use, self.sign_in_page, self.consent):
            self.stack.addWidget(page)

        self.idle = IdleWatch(idle_seconds, self)
        self.idle.idle.connect(self.sign_out)
        QApplication.instance().installEventFilter(self.idle)
        self.start()

    def now(self) -> datetime:
        """Now, in the kiosk's configured time zone (the computer's own when none is set)."""
        return self._clock() if self._clock else datetime.now().astimezone().replace(microsecond=0)

    def start(self) -> None:
        from kiosk.store.nurses import has_admin

        self.header.setVisible(False)
        self.sample_banner.setVisible(False)
        if has_admin(self.db):
            self.sign_in_page.refresh()
            self.stack.setCurrentWidget(self.sign_in_page)
        else:
            self.stack.setCurrentWidget(self.first_use)
        self.idle.start()

    def _signed_in(self, nurse: dict) -> None:
        self.nurse = nurse
        self.who.setText(f"Nurse station \u00b7 {nurse['name']}")
        self.accounts_button.setVisible(bool(nurse.get("is_admin")))
        self.show_queue()  # first: the header over the sign-in page (and its keys) was taller than the screen
        self.header.setVisible(True)
        self.sample_banner.setVisible(self.sample_data)

    def show_queue(self) -> None:
        if self.queue is None:
            self.queue = self._QueuePage(self)
            self.queue.open_consent.connect(self.open_consent)
            self.stack.addWidget(self.queue)
        self.queue.refresh()
        self.stack.setCurrentWidget(self.queue)

    def open_consent(self, document_id: str) -> None:
        self.consent.show_record(document_id)
        self.stack.setCurrentWidget(self.consent)

    def show_dashboard(self) -> None:
        from kiosk.ui.nurse.dashboard import DashboardPage

        if self.dashboard is None:
            self.dashboard = DashboardPage(self)
            self.stack.addWidget(self.dashboard)
        self.dashboard.refresh()
        self.stack.setCurrentWidget(self.dashboard)

    def show_accounts(self) -> None:
        from kiosk.ui.nurse.accounts import AccountsPage

        if self.accounts is None:
            self.accounts = AccountsPage(self)
            self.stack.addWidget(self.accounts)
        self.accounts.refresh()
        self.stack.setCurrentWidget(self.accounts)

    def say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # ----- printing -----------------------------------------------------------------------------
    def print_pdf(self, path: Path, *, printer: str | None, copies: int, title: str, document_id: str | None,
                  on_error, on_done) -> None:
        """Send the PDF itself to the print system (it stays vector); audit either way."""
        from kiosk.printing import PrintError, print_pdf
        from kiosk.store.audit import audit

        if not printer:
            on_error("Choose a printer first.")
            return
        try:
            job = print_pdf(path, printer=printer, copies=copies, title=title)
        except PrintError as error:
            audit(self.db, actor=self.nurse["name"], action="print_failed", document_id=document_id,
                  detail={"printer": printer, "error": str(error)})
            on_error(f"{error} Nothing is lost: choose another printer or try again.")
            return
        audit(self.db, actor=self.nurse["name"], action="print", document_id=document_id,
              detail={"printer": printer, "copies": copies, "job": job.id, "file": str(path)})
        on_done(f"Sent to {printer} ({copies} copies).")

    def print_blank_form(self) -> None:
        """A blank paper form for patients who prefer paper, or when the kiosk is down."""
        from kiosk.content import load_pack
        from kiosk.documents import render_blank_form
        from kiosk.flow.record import blank_form_data
        from kiosk.printing import default_printer, list_printers
        from kiosk.store import write_file_durably

        pack = load_pack(self.settings.default_language)
        pdf = render_blank_form(blank_form_data(pack), hospital_name=self.settings.hospital_name,
                                page_size=self.settings.page_size, labels=pack.pdf_labels)
        folder = self.data_dir / "forms"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"blank-{pack.language}-{self.now().strftime('%Y%m%d-%H%M%S')}.pdf"
        write_file_durably(path, pdf)
        try:
            printer = default_printer() or next((p.name for p in list_printers()), None)
        except Exception:  # noqa: BLE001 - reported by print_pdf below
            printer = None
        self.print_pdf(path, printer=printer, copies=1, title="Blank consent form", document_id=None,
                       on_error=self.say, on_done=self.say)

    # ----- leaving --------------------------------------------------------------------------------
    def sign_out(self) -> None:
        """Leave: an audit entry if someone was signed in, then nothing of the views survives."""
        from kiosk.store.audit import audit

        if self.nurse is not None:
            try:
                audit(self.db, actor=self.nurse["name"], action="sign_out")
            except Exception as error:  # noqa: BLE001
                print(f"kiosk: sign-out not audited: {error}", file=sys.stderr)
        self.nurse = None
        self.idle.stop()
        QApplication.instance().removeEventFilter(self.idle)
        self.closed.emit()
