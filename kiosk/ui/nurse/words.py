"""The nurse station's buttons and labels: its words, in any language, never widen it past its
screen. A button's words shrink a little when room is short (kiosk.ui.widgets.fit_button); a
label wraps. The patient pages' `button` and `label`, otherwise (kiosk.ui.pages.base)."""

from __future__ import annotations

from kiosk.ui.pages.base import button as page_button
from kiosk.ui.pages.base import label as page_label


def button(text: str, role: str | None = None, on_click=None):
    """A station button: a FitButton, or the patient pages' wrapping button for "choice"."""
    if role == "choice":
        return page_button(text, role, on_click)
    from kiosk.ui.theme import SCALE
    from kiosk.ui.widgets.fit_button import FitButton

    widget = FitButton(text, air=2 * (3 + round(28 * SCALE)) + 4)  # the theme's border and padding
    if role:
        widget.setProperty("role", role)
    if on_click is not None:
        widget.clicked.connect(on_click)
    return widget


def label(text: str, role: str | None = None, *, wrap: bool = True, plain: bool = True):
    """A station label; one that must stay on one line (a count, a heading) may still give
    way: it is never the reason the station is wider than its screen."""
    from PySide6.QtWidgets import QSizePolicy

    widget = page_label(text, role, wrap=wrap, plain=plain)
    if not wrap:
        widget.setSizePolicy(QSizePolicy.Ignored, widget.sizePolicy().verticalPolicy())
    return widget
