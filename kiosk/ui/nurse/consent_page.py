"""One consent: the PDF itself beside its flags, its history, and the nurse's actions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from kiosk.ui.nurse.queue_model import OUTCOMES, REVIEW
from kiosk.ui.pages.base import button, label
from kiosk.ui.widgets.keyboard import OnScreenKeyboard
from kiosk.ui.widgets.signature_pad import SignaturePad

KEYS = {"shift": "Shift", "space": "Space", "backspace": "Delete"}
ROLES = ("Interventional radiologist", "Doctor", "Nurse practitioner")


def _panel(*widgets) -> QWidget:
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        if isinstance(widget, QWidget):
            layout.addWidget(widget)
        else:
            layout.addLayout(widget)
    layout.addStretch(1)
    return panel


class ConsentPage(QWidget):
    """Shows one record; every action is stored with its audit entry by `kiosk.store.review`."""

    back = Signal()

    def __init__(self, station, parent=None):
        super().__init__(parent)
        self.station = station
        self.row: dict | None = None
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 12, 24, 12)
        self.document = QPdfDocument(self)
        self.pdf_view = QPdfView()
        self.pdf_view.setDocument(self.document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        outer.addWidget(self.pdf_view, 4)

        side = QVBoxLayout()
        self.title = label("", "subtitle")
        side.addWidget(self.title)
        self.summary = label("")
        side.addWidget(self.summary)
        self.flags = label("", "banner")
        side.addWidget(self.flags)
        self.message = label("", "good")
        side.addWidget(self.message)

        self.actions = QStackedWidget()
        self.actions.addWidget(self._action_buttons())
        self.actions.addWidget(self._identity_panel())
        self.actions.addWidget(self._countersign_panel())
        self.actions.addWidget(self._void_panel())
        self.actions.addWidget(self._print_panel())
        side.addWidget(self.actions, 1)
        self.history = label("", "card")
        history_scroll = QScrollArea()
        history_scroll.setWidget(self.history)
        history_scroll.setWidgetResizable(True)
        history_scroll.setMaximumHeight(220)
        side.addWidget(history_scroll)
        side.addWidget(button("Back to the queue", None, self.back.emit))
        holder = QWidget()
        holder.setLayout(side)
        scroll = QScrollArea()  # the countersignature panel (keyboard and pad) may be taller than the screen
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        outer.addWidget(scroll, 5)

    # ----- panels ---------------------------------------------------------------------------
    def _action_buttons(self) -> QWidget:
        self.identity_button = button("Identity checked", None, lambda: self.show_panel(1))
        self.countersign_button = button("Clinician countersignature", None, lambda: self.show_panel(2))
        self.void_button = button("Void", None, lambda: self.show_panel(3))
        self.print_button = button("Print", "primary", lambda: self.show_panel(4))
        return _panel(self.print_button, self.identity_button, self.countersign_button, self.void_button)

    def _identity_panel(self) -> QWidget:
        self.mrn = QLineEdit()
        self.mrn.setPlaceholderText("Hospital number (MRN)")
        keyboard = OnScreenKeyboard(self.mrn, KEYS)
        keyboard.set_layout("digits")
        self.identity_error = label("", "error")
        row = QHBoxLayout()
        row.addWidget(button("Cancel", None, lambda: self.show_panel(0)))
        self.identity_confirm = button("Confirm identity", "primary", self.confirm_identity)
        row.addWidget(self.identity_confirm)
        return _panel(label("Check the wristband or ID, then type the hospital number."), self.mrn,
                      keyboard, self.identity_error, row)

    def _countersign_panel(self) -> QWidget:
        self.clinician = QLineEdit()
        self.clinician.setPlaceholderText("Clinician's full name")
        keyboard = OnScreenKeyboard(self.clinician, KEYS)
        roles = QHBoxLayout()
        self.role_buttons = {}
        for role in ROLES:
            choice = button(role, None, lambda _=False, r=role: self._choose_role(r))
            choice.setCheckable(True)
            roles.addWidget(choice)
            self.role_buttons[role] = choice
        self.clinician_pad = SignaturePad()
        self.clinician_pad.setMinimumHeight(220)
        self.countersign_error = label("", "error")
        row = QHBoxLayout()
        row.addWidget(button("Cancel", None, lambda: self.show_panel(0)))
        row.addWidget(button("Clear", None, self.clinician_pad.clear))
        self.countersign_confirm = button("Sign", "primary", self.confirm_countersign)
        row.addWidget(self.countersign_confirm)
        return _panel(label("After talking with the patient, the clinician signs here."), self.clinician,
                      keyboard, roles, self.clinician_pad, self.countersign_error, row)

    def _void_panel(self) -> QWidget:
        self.void_reason = QLineEdit()
        self.void_reason.setPlaceholderText("Why is this consent void?")
        keyboard = OnScreenKeyboard(self.void_reason, KEYS)
        self.void_error = label("", "error")
        row = QHBoxLayout()
        row.addWidget(button("Cancel", None, lambda: self.show_panel(0)))
        self.void_confirm = button("Void this consent", "primary", self.confirm_void)
        row.addWidget(self.void_confirm)
        return _panel(label("The record and its PDFs are kept, marked void."), self.void_reason, keyboard,
                      self.void_error, row)

    def _print_panel(self) -> QWidget:
        self.printer_row = QHBoxLayout()
        self.printer_buttons = {}
        self.print_error = label("", "error")
        row = QHBoxLayout()
        row.addWidget(button("Cancel", None, lambda: self.show_panel(0)))
        self.print_retry = button("Look for printers again", None, self.refresh_printers)
        row.addWidget(self.print_retry)
        self.print_confirm = button("Print chart and patient copies", "primary", self.confirm_print)
        row.addWidget(self.print_confirm)
        return _panel(label("Choose a printer."), self.printer_row, self.print_error, row)

    # ----- showing a record -----------------------------------------------------------------
    def show_record(self, document_id: str, *, audit_view: bool = True) -> None:
        """Show a record; opening it from the queue leaves a `view_record` audit entry."""
        from kiosk.store import get_consent
        from kiosk.store.audit import audit_history
        from kiosk.store.review import mark_viewed

        if audit_view:
            mark_viewed(self.station.db, document_id, nurse=self.station.nurse["name"],
                        at=self.station.now().isoformat())
        self.row = get_consent(self.station.db, document_id)
        record = self.row["record"]
        pdf = self.row.get("countersigned_pdf_path") or self.row.get("pdf_path")
        self.document.close()
        if pdf and Path(pdf).exists():
            self.document.load(pdf)
        self.title.setText(f"{record['patient']['full_name']}  ·  {record['patient'].get('date_of_birth') or ''}")
        state = "Void" if self.row.get("void") else REVIEW.get(self.row.get("review_state"), "")
        details = [OUTCOMES.get(self.row["outcome"], self.row["outcome"]), state]
        if self.row.get("mrn"):
            details.append(f"MRN {self.row['mrn']} (checked by {self.row.get('identity_checked_by')})")
        self.summary.setText("  ·  ".join(d for d in details if d))
        flagged = [a for a in record["answers"] if a["status"] == "needs_doctor"]
        lines = [f"\u26a0 Needs the doctor's attention: {a['prompt']}" for a in flagged]
        if record.get("help_requests"):
            calls = len(record["help_requests"])
            lines.append(f"\u260e Asked for help {calls} {'time' if calls == 1 else 'times'}")
        if record["outcome"] == "questions":
            lines.append("Has questions for the doctor")
        self.flags.setText("\n".join(lines))
        self.flags.setVisible(bool(lines))
        history = audit_history(self.station.db, document_id)
        self.history.setText("\n".join(f"{h['at'][:16].replace('T', ' ')}  {h['actor']}: {h['action']}"
                                       for h in history))
        void = bool(self.row.get("void"))
        self.countersign_button.setEnabled(record["outcome"] == "consented" and not void
                                           and not self.row.get("countersigned_pdf_path"))
        self.void_button.setEnabled(not void)
        self.identity_button.setEnabled(not void)
        self.show_panel(0)

    def show_panel(self, index: int) -> None:
        for field in (self.mrn, self.clinician, self.void_reason):
            field.clear()
        for error in (self.identity_error, self.countersign_error, self.void_error, self.print_error):
            error.setText("")
        self.clinician_pad.clear()
        if index == 4:
            self.refresh_printers()
        self.actions.setCurrentIndex(index)
        self.pdf_view.setVisible(index in (0, 4))  # typing and signing need the whole width

    def _done(self, message: str) -> None:
        document_id = self.row["document_id"]
        self.show_record(document_id, audit_view=False)  # the action itself is already audited
        self.message.setText(message)

    # ----- actions ----------------------------------------------------------------------------
    def confirm_identity(self) -> None:
        from kiosk.store import StoreError
        from kiosk.store.review import set_identity_checked

        try:
            set_identity_checked(self.station.db, self.row["document_id"], mrn=self.mrn.text().strip(),
                                 nurse=self.station.nurse["name"], at=self.station.now().isoformat())
        except StoreError as error:
            self.identity_error.setText(str(error))
            return
        self._done("Identity checked and stored.")

    def _choose_role(self, role: str) -> None:
        self.chosen_role = role
        for name, choice in self.role_buttons.items():
            choice.setChecked(name == role)

    def confirm_countersign(self) -> None:
        from kiosk.finalise import prepare_countersignature
        from kiosk.flow.signature import check_ink
        from kiosk.store import StoreError
        from kiosk.store.review import add_countersignature

        name = self.clinician.text().strip()
        role = getattr(self, "chosen_role", None)
        if not name or not role:
            self.countersign_error.setText("Type the clinician's name and choose a role.")
            return
        strokes = self.clinician_pad.strokes()
        if check_ink(strokes, self.clinician_pad.width()):
            self.countersign_error.setText("The signature is too small. Please sign again.")
            return
        signed_at = self.station.now().isoformat()
        countersignature = {"clinician_name": name, "role": role, "signed_at": signed_at,
                            "width": float(self.clinician_pad.width()), "height": float(self.clinician_pad.height()),
                            "strokes": [[[round(x, 2), round(y, 2)] for x, y in s] for s in strokes]}
        settings = self.station.settings
        try:
            # the sealed original plus an incremental update: the original stays a byte prefix
            pdf = prepare_countersignature(self.row, countersignature, settings, self.station.data_dir,
                                           labels=self.station.pdf_labels)
            add_countersignature(self.station.db, settings.consents_path(self.station.data_dir),
                                 self.row["document_id"], clinician_name=name, role=role, signed_at=signed_at,
                                 countersignature=countersignature, pdf_bytes=pdf,
                                 nurse=self.station.nurse["name"])
        except (StoreError, ValueError) as error:
            self.countersign_error.setText(str(error))
            return
        self._done("Countersigned. The consent is now fully signed; the patient's original is kept.")

    def confirm_void(self) -> None:
        from kiosk.store import StoreError
        from kiosk.store.review import void_consent

        try:
            void_consent(self.station.db, self.row["document_id"], reason=self.void_reason.text().strip(),
                         nurse=self.station.nurse["name"], at=self.station.now().isoformat())
        except StoreError as error:
            self.void_error.setText(str(error))
            return
        self._done("Marked void. The record and its PDFs are kept.")

    def refresh_printers(self) -> None:
        from kiosk.printing import PrintError, list_printers

        for choice in self.printer_buttons.values():
            choice.deleteLater()
        self.printer_buttons = {}
        try:
            printers = list_printers()
        except PrintError as error:
            printers = []
            self.print_error.setText(str(error))
        for printer in printers:
            choice = button(f"{printer.name} ({printer.state})", None,
                            lambda _=False, p=printer.name: self._choose_printer(p))
            choice.setCheckable(True)
            self.printer_row.addWidget(choice)
            self.printer_buttons[printer.name] = choice
            if printer.is_default or len(printers) == 1:
                self._choose_printer(printer.name)
        if not printers and not self.print_error.text():
            self.print_error.setText("No printer is set up on this computer. Ask IT to add one, "
                                     "then tap \u201cLook for printers again\u201d.")
        self.print_confirm.setEnabled(bool(printers))

    def _choose_printer(self, name: str) -> None:
        self.chosen_printer = name
        for printer, choice in self.printer_buttons.items():
            choice.setChecked(printer == name)

    def confirm_print(self) -> None:
        self.station.print_pdf(Path(self.row.get("countersigned_pdf_path") or self.row["pdf_path"]),
                               printer=getattr(self, "chosen_printer", None), copies=2,
                               title=f"Consent {self.row['document_id']}", document_id=self.row["document_id"],
                               on_error=self.print_error.setText, on_done=self._done)
