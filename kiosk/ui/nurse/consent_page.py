"""One consent: the PDF itself beside its flags, its history, and the nurse's actions.

A thin page over ``kiosk.review``: it gets the signed-in nurse's frozen context (``NursePage``
from the station) and calls the review functions; slow work (printing, the countersigned PDF,
the printer list) goes through the station's ``Operations``, and its audit entry is written
on the UI thread when the result comes back (see kiosk/ui/operations.py).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QScrollArea, QVBoxLayout, QWidget
from shiboken6 import isValid

from kiosk.review import ReviewError, consent_detail, history
from kiosk.review import actions, printing
from kiosk.review.codes import ROLES
from kiosk.review.context import discard_views
from kiosk.review.mrn import mrn_keys
from kiosk.ui.nurse.words import button, label
from kiosk.ui.screen_fit import CurrentPageStack
from kiosk.ui.widgets.keyboard import OnScreenKeyboard
from kiosk.ui.widgets.signature_pad import SignaturePad

COPIES = 2  # the chart's copy and the patient's
PANELS = ("actions", "identity", "countersign", "void", "print")
ZOOM_STEP = 1.25


def keyboard_labels(texts) -> dict[str, str]:
    """The on-screen keyboard's editing keys in the nurse station's words."""
    return {name: texts(f"keys.{name}") for name in ("shift", "space", "backspace", "clear", "undo_clear")}


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


class MrnKeypad(QWidget):
    """Big keys for exactly the characters ``mrn_pattern`` allows (``kiosk.review.mrn``), and
    Delete: nothing on it is refused later."""

    COLUMNS = 10

    def __init__(self, target: QLineEdit, pattern: str, delete_text: str, parent=None):
        super().__init__(parent)
        self.target = target
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.keys = {}
        for i, char in enumerate(mrn_keys(pattern)):
            key = button(char, "key", lambda _=False, c=char: self.target.insert(c))
            key.setFocusPolicy(Qt.NoFocus)
            grid.addWidget(key, i // self.COLUMNS, i % self.COLUMNS)
            self.keys[char] = key
        self.delete_key = button(delete_text, "key", self.target.backspace)
        self.delete_key.setFocusPolicy(Qt.NoFocus)
        self.delete_key.setAutoRepeat(True)
        rows = (len(self.keys) + self.COLUMNS - 1) // self.COLUMNS
        grid.addWidget(self.delete_key, rows, self.COLUMNS - 3, 1, 3)
        allowed = "".join(self.keys)
        if allowed:  # a physical keyboard types only the same characters
            target.setValidator(QRegularExpressionValidator(
                QRegularExpression(f"[{re.escape(allowed + allowed.lower())}]*"), target))


class ConsentPage(QWidget):
    """Shows one consent of the signed-in nurse's context; every action is a review function."""

    back = Signal()
    printed = Signal(str)  # a good print's message (the station clears its printer banner)

    def __init__(self, page, parent=None):
        super().__init__(parent)
        self.page = page  # the station's frozen NursePage: review context and operations
        self.texts = texts = page.review.texts
        self.detail = None  # kiosk.review.ConsentDetail shown now
        self.chosen_role: str | None = None
        self.chosen_printer: str | None = None
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 12, 24, 12)
        self.document = QPdfDocument(self)
        self.pdf_view = QPdfView()
        self.pdf_view.setDocument(self.document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.viewer = QWidget()
        viewer = QVBoxLayout(self.viewer)
        viewer.setContentsMargins(0, 0, 0, 0)
        viewer.addWidget(self.pdf_view, 1)
        zoom = QHBoxLayout()
        self.zoom_out_button = button(texts("consent_page.zoom_out"), None, lambda: self.zoom(1 / ZOOM_STEP))
        self.zoom_in_button = button(texts("consent_page.zoom_in"), None, lambda: self.zoom(ZOOM_STEP))
        self.fit_width_button = button(texts("consent_page.fit_width"), None, self.fit_width)
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_width_button):
            zoom.addWidget(widget)
        viewer.addLayout(zoom)
        outer.addWidget(self.viewer, 4)

        side = QVBoxLayout()
        self.title = label("", "subtitle")
        side.addWidget(self.title)
        self.summary = label("")
        side.addWidget(self.summary)
        self.flags = label("", "banner")
        side.addWidget(self.flags)
        self.deliveries = label("")  # where it has been sent: central database, health record
        self.deliveries.setTextFormat(Qt.RichText)
        self.deliveries.hide()
        side.addWidget(self.deliveries)
        self.message = label("", "good")
        self.message.hide()
        side.addWidget(self.message)

        self.actions = CurrentPageStack()  # as wide as the panel shown: the keypads must not squeeze the PDF
        self.panels = {"actions": self._action_buttons(), "identity": self._identity_panel(),
                       "countersign": self._countersign_panel(), "void": self._void_panel(),
                       "print": self._print_panel()}
        for panel in self.panels.values():
            self.actions.addWidget(panel)
        side.addWidget(self.actions, 1)
        self.history = label("", "card")
        history_scroll = QScrollArea()
        history_scroll.setWidget(self.history)
        history_scroll.setWidgetResizable(True)
        history_scroll.setMaximumHeight(220)
        side.addWidget(history_scroll)
        side.addWidget(button(texts("consent_page.back"), None, self.close_record))
        holder = QWidget()
        holder.setLayout(side)
        self.side_scroll = QScrollArea()  # the countersignature panel (keyboard and pad) may be taller than the screen
        self.side_scroll.setWidget(holder)
        self.side_scroll.setWidgetResizable(True)
        self.side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        outer.addWidget(self.side_scroll, 5)

    # ----- panels ---------------------------------------------------------------------------
    def _action_buttons(self) -> QWidget:
        t = self.texts
        self.print_button = button(t("consent_page.print"), "primary", self.open_print)
        self.identity_button = button(t("consent_page.identity"), None, lambda: self.show_panel("identity"))
        self.countersign_button = button(t("consent_page.countersign"), None, lambda: self.show_panel("countersign"))
        self.void_button = button(t("consent_page.void"), None, lambda: self.show_panel("void"))
        self.actions_error = label("", "error")  # why an action cannot be done here (Print on an abandoned record)
        return _panel(self.print_button, self.identity_button, self.countersign_button, self.void_button,
                      self.actions_error)

    def _cancel_row(self, *widgets) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(button(self.texts("consent_page.cancel"), None, lambda: self.show_panel("actions")))
        for widget in widgets:
            row.addWidget(widget)
        return row

    def _identity_panel(self) -> QWidget:
        t = self.texts
        self.mrn = QLineEdit()
        self.mrn.setPlaceholderText(t("consent_page.mrn_placeholder"))
        self.mrn_keypad = MrnKeypad(self.mrn, self.page.review.settings.mrn_pattern, t("keys.backspace"))
        self.identity_error = label("", "error")
        self.identity_confirm = button(t("consent_page.identity_confirm"), "primary", self.confirm_identity)
        return _panel(label(t("consent_page.identity_hint")), self.mrn, self.mrn_keypad, self.identity_error,
                      self._cancel_row(self.identity_confirm))

    def _countersign_panel(self) -> QWidget:
        t = self.texts
        self.clinician = QLineEdit()
        self.clinician.setPlaceholderText(t("consent_page.clinician_placeholder"))
        keyboard = OnScreenKeyboard(self.clinician, keyboard_labels(t))
        roles = QHBoxLayout()
        self.role_buttons = {}
        for role in ROLES:
            choice = button(t(f"role.{role}"), None, lambda _=False, r=role: self._choose_role(r))
            choice.setCheckable(True)
            roles.addWidget(choice)
            self.role_buttons[role] = choice
        self.clinician_pad = SignaturePad()
        self.clinician_pad.setMinimumHeight(220)
        self.countersign_error = label("", "error")
        self.countersign_confirm = button(t("consent_page.sign"), "primary", self.confirm_countersign)
        row = self._cancel_row(button(t("consent_page.clear_signature"), None, self.clinician_pad.clear),
                               self.countersign_confirm)
        return _panel(label(t("consent_page.countersign_hint")), self.clinician, keyboard, roles,
                      self.clinician_pad, self.countersign_error, row)

    def _void_panel(self) -> QWidget:
        t = self.texts
        self.void_reason = QLineEdit()
        self.void_reason.setPlaceholderText(t("consent_page.void_placeholder"))
        keyboard = OnScreenKeyboard(self.void_reason, keyboard_labels(t))
        self.void_error = label("", "error")
        self.void_confirm = button(t("consent_page.void_confirm"), "primary", self.confirm_void)
        return _panel(label(t("consent_page.void_hint")), self.void_reason, keyboard, self.void_error,
                      self._cancel_row(self.void_confirm))

    def _print_panel(self) -> QWidget:
        t = self.texts
        self.printer_row = QHBoxLayout()
        self.printer_buttons = {}
        self.print_error = label("", "error")
        self.print_retry = button(t("consent_page.look_again"), None, self.refresh_printers)
        self.print_confirm = button(t("consent_page.print_confirm"), "primary", self.confirm_print)
        # Look for printers again on a row of its own: three big buttons side by side were wider
        # than the side panel at 1920x1080 and cut "Print chart and patient copies".
        retry = QHBoxLayout()
        retry.addWidget(self.print_retry)
        retry.addStretch(1)
        return _panel(label(t("consent_page.choose_printer")), self.printer_row, retry, self.print_error,
                      self._cancel_row(self.print_confirm))

    # ----- showing a consent ----------------------------------------------------------------
    def show_record(self, document_id: str) -> None:
        """Open a consent (audited as ``view_record``); nothing of the one before stays."""
        self.say("")
        self._show(actions.view(self.page.review, document_id))

    def close_record(self) -> None:
        """Back to the queue: the PDF leaves the screen, and a central consent's viewing copy
        its private folder (``kiosk.review.central``)."""
        self.document.close()
        discard_views(self.page.review)
        self.back.emit()

    def _show(self, detail) -> None:
        t = self.texts
        ctx = self.page.review
        self.detail = detail
        self.document.close()
        pdf = detail.shown_pdf
        if pdf is not None and pdf.exists():
            self.document.load(str(pdf))
        self.viewer.setVisible(pdf is not None)
        self.title.setText("  \u00b7  ".join(p for p in (detail.patient_name, detail.date_of_birth) if p))
        parts = [detail.outcome.text, detail.review_state.text]
        if detail.mrn:
            parts.append(t("consent_page.mrn_line", mrn=detail.mrn, nurse=detail.identity_checked_by or ""))
        if detail.void and detail.void_reason:
            parts.append(t("consent_page.void_line", reason=detail.void_reason))
        if detail.kiosk_id:  # a station on the central database: every kiosk's consents
            parts.append(t("consent_page.kiosk_line", kiosk=detail.kiosk_id))
        self.summary.setText("  \u00b7  ".join(p for p in parts if p))
        self.flags.setText("\n".join(flag.text for flag in detail.flags))
        self.flags.setVisible(bool(detail.flags))
        self.deliveries.setText(_delivery_html(detail.deliveries))  # a failure in the error colour, bold
        self.deliveries.setVisible(bool(detail.deliveries))
        self.history.setText("\n".join(
            t("consent_page.history_line", at=line.at[:16].replace("T", " "), who=line.actor, text=line.text)
            for line in history(ctx, detail.document_id)))
        self.countersign_button.setEnabled(detail.can_countersign)
        self.void_button.setEnabled(detail.can_void)
        self.identity_button.setEnabled(detail.can_check_identity)
        self.show_panel("actions")

    def say(self, text: str) -> None:
        """A success message, kept in view at the top of the side panel."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_panel(self, name: str) -> None:
        """Show the panel ``name`` (one of PANELS), cleared, scrolled to its top."""
        if isinstance(name, int):  # an older caller's index (a test being rewired): PANELS' order
            name = PANELS[name]
        for field in (self.mrn, self.clinician, self.void_reason):
            field.clear()
        for error in (self.identity_error, self.countersign_error, self.void_error, self.print_error,
                      self.actions_error):
            error.setText("")
        self.clinician_pad.clear()
        self.chosen_role = None
        for choice in self.role_buttons.values():
            choice.setChecked(False)
        if name != "actions":
            self.say("")
        if name == "print":
            self.refresh_printers()
        self.actions.setCurrentWidget(self.panels[name])
        # typing and signing need the whole width
        self.viewer.setVisible(name in ("actions", "print") and self.detail is not None
                               and self.detail.shown_pdf is not None)
        self.layout().activate()  # the side panel takes the PDF's room now, not on the next pass
        self._to_top()

    def _to_top(self) -> None:
        """Every panel opens at its top, where its message is; again once the layout has settled
        (a taller panel changes the scroll range a moment later)."""
        bar = self.side_scroll.verticalScrollBar()
        bar.setValue(0)
        QTimer.singleShot(0, self, lambda: bar.setValue(0))

    def current_panel(self) -> str:
        widget = self.actions.currentWidget()
        return next(name for name, panel in self.panels.items() if panel is widget)

    def _done(self, detail, message: str) -> None:
        self._show(detail)
        self.say(message)

    # ----- the PDF viewer -------------------------------------------------------------------
    def zoom(self, factor: float) -> None:
        current = self.pdf_view.zoomFactor()
        if self.pdf_view.zoomMode() != QPdfView.ZoomMode.Custom:
            current = self._fitted_zoom()
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.pdf_view.setZoomFactor(max(0.25, min(6.0, current * factor)))

    def fit_width(self) -> None:
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _fitted_zoom(self) -> float:
        """The zoom that fit-width shows now (QPdfView keeps its factor at 1 in that mode)."""
        if self.document.pageCount() == 0:
            return 1.0
        points = self.document.pagePointSize(0).width()
        pixels = self.pdf_view.viewport().width() - 2 * self.pdf_view.documentMargins().left()
        return max(0.25, pixels / (points * self.logicalDpiX() / 72)) if points else 1.0

    # ----- actions ----------------------------------------------------------------------------
    def confirm_identity(self) -> None:
        try:
            detail = actions.check_identity(self.page.review, self.detail.document_id, self.mrn.text())
        except ReviewError as error:
            self.identity_error.setText(str(error))
            return
        self._done(detail, self.texts("message.identity_stored"))

    def _choose_role(self, role: str) -> None:
        self.chosen_role = role
        for name, choice in self.role_buttons.items():
            choice.setChecked(name == role)

    def confirm_countersign(self) -> None:
        """Checked and built here (quick); the PDF is rendered and sealed on the worker; stored
        with its audit entry back on the UI thread."""
        ctx = self.page.review
        try:
            pending = actions.countersignature_for(
                ctx, self.detail.document_id, clinician_name=self.clinician.text(), role=self.chosen_role or "",
                strokes=self.clinician_pad.strokes(), width=self.clinician_pad.width(),
                height=self.clinician_pad.height())
        except ReviewError as error:
            self.countersign_error.setText(str(error))
            return

        def stored(pdf: bytes) -> None:
            try:
                detail = actions.store_countersigned(ctx, pending, pdf)
            except ReviewError as error:
                message = str(error)
                self._if_showing(pending.document_id, lambda: self.countersign_error.setText(message))
                return
            self._if_showing(pending.document_id, lambda: self._done(detail, self.texts("message.countersigned")))

        self.page.operations.run("countersign", lambda: actions.render_countersigned(pending, ctx), success=stored,
                                 failure=lambda error: self._if_showing(
                                     pending.document_id, lambda: self.countersign_error.setText(str(error))),
                                 busy=(self.countersign_confirm, self.texts("busy.sealing")))

    def confirm_void(self) -> None:
        try:
            detail = actions.void(self.page.review, self.detail.document_id, self.void_reason.text())
        except ReviewError as error:
            self.void_error.setText(str(error))
            return
        self._done(detail, self.texts("message.voided"))

    # ----- printing ----------------------------------------------------------------------------
    def open_print(self) -> None:
        if self.detail is not None and not self.detail.can_print:  # abandoned: no PDF at all
            self.say("")
            self.actions_error.setText(self.texts("message.print_no_pdf"))
            return
        self.show_panel("print")

    def refresh_printers(self) -> None:
        """The printers and their states, read now from CUPS (on the worker: lpstat is slow)."""
        ctx = self.page.review
        self.page.operations.run("printers", lambda: printing.printers(ctx), success=self._show_printers,
                                 busy=(self.print_retry, self.texts("busy.looking")))

    def _show_printers(self, found) -> None:
        if not isValid(self):
            return
        while self.printer_row.count():
            item = self.printer_row.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.printer_buttons = {}
        chosen = self.chosen_printer if any(p.name == self.chosen_printer for p in found.printers) else None
        for printer in found.printers:
            choice = button(self.texts("consent_page.printer_choice", name=printer.name, state=printer.state), None,
                            lambda _=False, p=printer.name: self._choose_printer(p))
            choice.setCheckable(True)
            self.printer_row.addWidget(choice)
            self.printer_buttons[printer.name] = choice
        chosen = chosen or found.default or (found.printers[0].name if len(found.printers) == 1 else None)
        if chosen:
            self._choose_printer(chosen)
        if found.problem and not self.print_error.text():
            self.print_error.setText(found.problem)
        self.print_confirm.setEnabled(bool(found.printers) and not self.page.operations.running("print"))

    def _choose_printer(self, name: str) -> None:
        self.chosen_printer = name
        for printer, choice in self.printer_buttons.items():
            choice.setChecked(printer == name)

    def confirm_print(self) -> None:
        """Planned here (a refusal is shown and audited), sent to CUPS on the worker, recorded
        back on the UI thread. A void consent prints as a copy marked VOID."""
        ctx, document_id = self.page.review, self.detail.document_id
        self.print_error.setText("")
        try:
            request = printing.plan_consent_print(ctx, document_id, self.chosen_printer, COPIES)
        except ReviewError as error:
            self.print_error.setText(str(error))
            return

        def sent(result) -> None:
            result = printing.record_print(ctx, result)  # audited whatever the screen shows now
            self._if_showing(document_id, lambda: self._printed(result))

        self.page.operations.run("print", lambda: printing.send(request), success=sent,
                                 busy=(self.print_confirm, self.texts("busy.printing")))

    def _printed(self, result) -> None:
        if result.ok:
            self._done(consent_detail(self.page.review, result.request.document_id), result.message)
            self.printed.emit(result.message)
        else:
            self.print_error.setText(result.message)
            self.refresh_printers()  # the printer's state as it is now (stopped, gone...)

    def _if_showing(self, document_id: str, then) -> None:
        """Run ``then`` only while this page lives and still shows ``document_id``: a result that
        arrives after sign-out or after another consent was opened shows on nothing."""
        if isValid(self) and self.detail is not None and self.detail.document_id == document_id:
            then()


def _delivery_html(lines) -> str:
    """One line per target; one that failed for good stands out (bold, the error colour)."""
    import html

    from kiosk.ui.theme import palette

    error = palette().error
    return "<br>".join(f"<b style='color:{error}'>{html.escape(line.text)}</b>" if line.code == "failed"
                       else html.escape(line.text) for line in lines)
