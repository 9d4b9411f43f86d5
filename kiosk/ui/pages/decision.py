"""The consent statements, the decision, the signature."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.flow.record import signer_name, statements_complete
from kiosk.flow.results import DecisionResult, SignatureResult, StatementsResult
from kiosk.flow.signature import check_ink
from kiosk.flow.task import signer_role
from kiosk.ui import theme
from kiosk.ui.pages.base import SETTLE_MS, Page, TapSettle, button, label
from kiosk.ui.screen_fit import finger_scrolling
from kiosk.ui.widgets.signature_pad import SignaturePad


class StatementsPage(Page):
    """Each statement is its own big tick, confirmed one by one, in the signer's voice.

    Someone signing for the patient sees each statement's representative form ("the patient's
    broken bone") and the statements only a representative confirms (entitled to decide).
    """

    def __init__(self, step, ctx, results, parent=None):
        super().__init__(step, ctx, parent)
        self._results = results
        self.add_title(ctx.ui("statements_title"))
        self.body.addWidget(label(ctx.ui("statements_help")))
        self.confirmed: dict[str, str] = {}
        self.ticks = {}
        self.texts: dict[str, str] = {}  # statement id -> the words this signer confirms
        self.role = None
        holder = QWidget()
        self._column = QVBoxLayout(holder)
        self._column.setContentsMargins(0, 0, 8, 0)
        self._column.setSpacing(10)
        self._column.addStretch(1)
        # The statements scroll here, with a finger, instead of growing the window.
        scroll = finger_scrolling(QScrollArea())
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        self.scroll = scroll
        self.body.addWidget(scroll, 1)
        # A sentence cut at the fold looks like the end of the list: say that there is more,
        # until the list has been slid to its end.
        self.more_below = label(ctx.ui("statements_more"), "progress")
        self.more_below.setVisible(False)
        self.body.addWidget(self.more_below)
        bar = scroll.verticalScrollBar()
        bar.rangeChanged.connect(lambda *_: self._show_more_below())
        bar.valueChanged.connect(lambda *_: self._show_more_below())
        self.add_nav()
        self._show_for(signer_role(results))

    def _show_more_below(self) -> None:
        bar = self.scroll.verticalScrollBar()
        self.more_below.setVisible(bar.maximum() > 0 and bar.value() < bar.maximum())

    def on_shown(self) -> None:
        role = signer_role(self._results)
        if role != self.role:  # someone went back and changed who signs: other words, new ticks
            self._show_for(role)
            self.result_changed.emit(StatementsResult())

    def _show_for(self, role: str) -> None:
        for tick in self.ticks.values():
            self._column.removeWidget(tick)
            tick.deleteLater()
        self.role, self.confirmed, self.ticks = role, {}, {}
        statements = self.ctx.pack.statements_for(role)
        self.texts = {s.id: s.text_for(role) for s in statements}
        self._since_toggled, self._boxes = {}, {}
        for place, statement in enumerate(statements):
            # The whole row is the tick target (at least 76 px tall); the box shows its state.
            tick = button(self.texts[statement.id], "choice", lambda _=False, s=statement.id: self._toggle(s))
            tick.setCheckable(True)
            tick.setMinimumHeight(76)
            box = QLabel(tick)
            box.setAlignment(Qt.AlignCenter)
            box.setAttribute(Qt.WA_TransparentForMouseEvents)
            side = max(44, round(tick.fontMetrics().height() * 1.5))
            box.setFixedSize(side, side)
            tick.layout().insertWidget(0, box)
            self._boxes[statement.id] = box
            tick.layout().setSpacing(20)
            self._column.insertWidget(place, tick)
            self.ticks[statement.id] = tick
            self._since_toggled[statement.id] = TapSettle(SETTLE_MS, self.ctx.tap_clock)
        self._refresh()

    def restore(self, result) -> None:
        if isinstance(result, StatementsResult):
            self.confirmed = {sid: at for sid, at in result.confirmed if sid in self.ticks}
            self._refresh()

    def tick_box(self, statement_id: str) -> QLabel:
        """The square in a statement's row that shows whether it is ticked."""
        return self._boxes[statement_id]

    def _toggle(self, statement_id: str) -> None:
        settle = self._since_toggled[statement_id]
        if settle.settling:
            # The second tap of a double tap on the same sentence would take its tick away again.
            self._refresh()
            return
        settle.start()
        if statement_id in self.confirmed:
            del self.confirmed[statement_id]
        else:
            self.confirmed[statement_id] = self.ctx.now()
        self._refresh()
        self.result_changed.emit(StatementsResult(tuple(self.confirmed.items())))

    def _refresh(self) -> None:
        for sid, tick in self.ticks.items():
            ticked = sid in self.confirmed
            tick.setChecked(ticked)
            tick.setText(self.texts[sid])
            colours = theme.palette()  # the installed one: strong in high contrast
            colour = colours.good if ticked else colours.line
            self.tick_box(sid).setText("\u2714" if ticked else "")
            self.tick_box(sid).setStyleSheet(
                f"background: {colours.card}; color: {colours.good}; border: 4px solid {colour};"
                f" border-radius: 8px; font-size: {self.tick_box(sid).height() - 14}px; font-weight: bold;")


class DecisionPage(Page):
    """Three ways on. Agreeing needs every statement confirmed; the other two never do."""

    def __init__(self, step, ctx, results, parent=None):
        super().__init__(step, ctx, parent)
        self._results = results
        self.add_title(ctx.ui("decision_title"))
        self.body.addWidget(label(ctx.ui("decision_help")))
        self.options = {}
        for outcome, role in (("consented", "primary"), ("questions", None), ("declined", None)):
            option = button(ctx.ui(f"decision_{outcome}"), role, self.guarded(lambda o=outcome: self._choose(o)))
            option.setMinimumHeight(120)
            self.body.addWidget(option)
            self.options[outcome] = option
        self.note = label(ctx.ui("decision_confirm_all_first"), "banner")
        self.body.addWidget(self.note)
        self.add_back()

    def on_shown(self) -> None:
        done = statements_complete(self._results, self.ctx.pack)
        self.options["consented"].setEnabled(done)
        self.note.setVisible(not done)

    def _choose(self, outcome: str) -> None:
        self.result_changed.emit(DecisionResult(outcome))
        self.finished.emit("forward")


class SignaturePage(Page):
    """Sign with a finger. Too little ink is refused kindly; Clear starts again."""

    def __init__(self, step, ctx, results, parent=None):
        super().__init__(step, ctx, parent)
        self._results = results
        self.add_title(ctx.ui("signature_title"))
        self.meaning = label("")
        self.body.addWidget(self.meaning)
        self.pad = SignaturePad(accepts=lambda: self.ready)  # the second tap of "I agree" draws no dot
        self.pad.setAccessibleName(ctx.ui("a11y_signature_pad"))
        self.pad.setAccessibleDescription(ctx.ui("a11y_signature_pad_help"))
        self.pad.changed.connect(lambda: self.error.setText(""))
        self.body.addWidget(self.pad, 1)
        row = QHBoxLayout()
        self.printed_name = label("", "subtitle")
        self.printed_name.setTextFormat(Qt.PlainText)
        row.addWidget(self.printed_name, 1)
        self.clear_button = button(ctx.ui("signature_clear"), None, self.pad.clear)
        self.clear_button.setMinimumWidth(240)
        row.addWidget(self.clear_button)
        self.body.addLayout(row)
        self.error = label("", "error")
        self.body.addWidget(self.error)
        self.add_nav(ctx.ui("signature_sign"))

    def on_shown(self) -> None:
        name = signer_name(self._results)
        self.printed_name.setText(name)
        self.meaning.setText(self.ctx.ui("signature_help", name=name,
                                         meaning=self.ctx.ui("signature_meaning", procedure=self.ctx.pack.procedure)))

    def in_progress(self):
        strokes = self.pad.strokes()
        return SignatureResult(strokes, float(self.pad.width()), float(self.pad.height()), "") if strokes else None

    def restore(self, result) -> None:
        if isinstance(result, SignatureResult) and result.strokes:
            self.pad.set_strokes(result.strokes)

    def go_forward(self) -> None:
        strokes = self.pad.strokes()
        error = check_ink(strokes, self.pad.width())
        if error:
            self.error.setText(self.ctx.ui(error))
            return
        self.result_changed.emit(SignatureResult(strokes, float(self.pad.width()), float(self.pad.height()),
                                                 self.ctx.now()))
        self.finished.emit("forward")
