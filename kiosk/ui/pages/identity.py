"""Who is signing, their name and the patient's date of birth: touch only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout

from kiosk.flow.identity import MAX_NAME_LENGTH, check_birth_date, check_full_name, unprintable_letters
from kiosk.flow.results import BirthDateResult, NameResult, RelationshipResult, SignerResult
from kiosk.flow.task import signer_role
from kiosk.ui.pages.base import Page, button, label
from kiosk.ui.widgets.date_pad import DatePad
from kiosk.ui.widgets.keyboard import NameField, OnScreenKeyboard

RELATIONSHIPS = ("spouse_partner", "son_daughter", "other_family", "legal_guardian", "carer", "other")


class SignerPage(Page):
    """Two big answers: I am the patient, or I am signing for the patient."""

    def __init__(self, step, ctx, parent=None):
        super().__init__(step, ctx, parent)
        self.add_title(ctx.ui("signer_title"))
        self.body.addWidget(label(ctx.ui("signer_help")))
        self.choices = {}
        for role in ("patient", "representative"):
            choice = button(ctx.ui(f"signer_{role}"), "choice", self.guarded(lambda r=role: self._choose(r)))
            choice.setMinimumHeight(120)
            self.body.addWidget(choice)
            self.choices[role] = choice
        self.add_back()

    def _choose(self, role: str) -> None:
        self.result_changed.emit(SignerResult(role))
        self.finished.emit("forward")


class NamePage(Page):
    """A full name, typed on the kiosk's keyboard, checked kindly before going on."""

    def __init__(self, step, ctx, parent=None, *, for_representative_of_patient: bool = False):
        super().__init__(step, ctx, parent)
        key = "name_title_representative" if step.whose == "representative" else (
            "name_title_patient_by_representative" if for_representative_of_patient else "name_title_patient")
        self.add_title(ctx.ui(key))
        hint = ctx.ui("name_hint")
        self.hint = label(hint) if hint else None  # Chinese: type the name as on the hospital record
        if self.hint is not None:
            self.body.addWidget(self.hint)
        self.field = NameField()
        self.field.setAccessibleName(ctx.ui("a11y_name_field"))
        # The keyboard stops at MAX_NAME_LENGTH with a kind message; text from anywhere else is
        # never cut silently, Next says it is too long.
        self.field.setMaxLength(2000)
        self.field.textChanged.connect(lambda: self.error.setText(""))
        self.body.addWidget(self.field)
        self.error = label("", "error")
        self.body.addWidget(self.error)
        self.keyboard = OnScreenKeyboard(self.field, {
            "shift": ctx.ui("key_shift"), "space": ctx.ui("key_space"), "backspace": ctx.ui("key_backspace"),
            "clear": ctx.ui("key_clear"), "undo_clear": ctx.ui("key_undo_clear"),
            "layout": ctx.ui("a11y_keyboard_layout", layout="{layout}")}, max_length=MAX_NAME_LENGTH,
            language=ctx.pack.language, first=getattr(ctx.pack, "keyboard", None))
        self.keyboard.limit_reached.connect(
            lambda: self.error.setText(ctx.ui("name_limit_reached", limit=MAX_NAME_LENGTH)))
        self.body.addWidget(self.keyboard, 1)
        self.add_nav()

    def on_shown(self) -> None:
        self.field.setFocus(Qt.OtherFocusReason)

    def in_progress(self):
        return NameResult(self.field.text()) if self.field.text() else None

    def restore(self, result) -> None:
        if isinstance(result, NameResult):
            self.field.setText(result.full_name)

    def go_forward(self) -> None:
        name, error = check_full_name(self.field.text())
        if error:
            self.error.setText(self.ctx.ui(error, letters=" ".join(unprintable_letters(name))))
            return
        self.field.setText(name)
        self.result_changed.emit(NameResult(name))
        self.finished.emit("forward")


class BirthDatePage(Page):
    """Day, month and year from a number pad; a future or impossible date is explained right
    under the boxes. "Your date of birth" to the patient, "the patient's" to a representative."""

    def __init__(self, step, ctx, results, parent=None):
        super().__init__(step, ctx, parent)
        self._results = results
        self.title = self.add_title("")
        self.pad = DatePad({"day": ctx.ui("dob_day"), "month": ctx.ui("dob_month"),
                            "year": ctx.ui("dob_year"), "backspace": ctx.ui("key_backspace"),
                            "spelled_format": ctx.ui("dob_spelled_format"), "empty": ctx.ui("a11y_date_empty")},
                           ctx.locale)
        self.pad.changed.connect(lambda: self.error.setText(""))
        self.body.addWidget(self.pad, 1)
        self.error = self.pad.error  # beside the fields it is about, not at the foot of the screen
        self.add_nav()
        self.on_shown()

    def on_shown(self) -> None:  # who signs may have changed since (Back to the first page)
        own = signer_role(self._results) == "patient"
        self.title.setText(self.ctx.ui("dob_title_own" if own else "dob_title"))

    def in_progress(self):
        return dict(self.pad.values) if any(self.pad.values.values()) else None

    def restore(self, result) -> None:
        if isinstance(result, BirthDateResult):
            self.pad.set_iso(result.date_of_birth)
        elif isinstance(result, dict):  # boxes filled in, not yet a date (in_progress)
            self.pad.set_values(result)

    def go_forward(self) -> None:
        v = self.pad.values
        value, error = check_birth_date(v["day"], v["month"], v["year"], today=self.ctx.today())
        if error:
            self.error.setText(self.ctx.ui(error))
            return
        self.result_changed.emit(BirthDateResult(value.isoformat()))
        self.finished.emit("forward")


class RelationshipPage(Page):
    """How the person signing is related to the patient: one big tap."""

    def __init__(self, step, ctx, parent=None):
        super().__init__(step, ctx, parent)
        self.add_title(ctx.ui("relationship_title"))
        self.choices = {}
        grid = None
        for i, key in enumerate(RELATIONSHIPS):
            if i % 2 == 0:
                grid = QHBoxLayout()
                self.body.addLayout(grid)
            choice = button(ctx.ui(f"relationship_{key}"), "choice", self.guarded(lambda k=key: self._choose(k)))
            choice.setMinimumHeight(110)
            grid.addWidget(choice)
            self.choices[key] = choice
        self.add_back()

    def _choose(self, key: str) -> None:
        self.result_changed.emit(RelationshipResult(self.ctx.ui(f"relationship_{key}")))
        self.finished.emit("forward")
