"""What every patient page shares: the report-only contract and the Back/Next bar."""

from __future__ import annotations

from collections.abc import Callable
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui import theme

if TYPE_CHECKING:
    from datetime import date


def local_today() -> date:
    """Today's date on this computer (`datetime` is imported by the first call, after the first paint)."""
    from datetime import date

    return date.today()


@dataclass(frozen=True)
class PageContext:
    """What a page may read: the content in the patient's language, the time, the locale."""

    pack: object
    now: Callable[[], str]
    locale: QLocale
    today: Callable[[], date] = local_today
    reduce_motion: bool = False
    high_contrast: bool = False
    # What a page's tap guard reads the time from (milliseconds, monotonic); None is the real
    # clock. Tests give the window a clock they can move on, so no test waits a guard out.
    tap_clock: Callable[[], float] | None = None

    def ui(self, key: str, **fmt) -> str:
        return self.pack.ui(key, **fmt)


# A tap this soon after a page appears is the second half of a double tap on the page before
# (a shaky finger taps twice, and slower than Qt's 400 ms double-click): it is ignored. Nobody
# reads a page and answers it this fast.
SETTLE_MS = 900


def _monotonic_ms() -> float:
    return time.monotonic() * 1000


class TapSettle:
    """Says whether a tap counts yet: not until `ms` after `start()` (the page appeared).

    `clock` returns monotonic milliseconds (the real clock by default; see PageContext)."""

    def __init__(self, ms: int = SETTLE_MS, clock: Callable[[], float] | None = None):
        self.ms = ms
        self._clock = clock or _monotonic_ms
        self._since: float | None = None

    def start(self) -> None:
        self._since = self._clock()

    def stop(self) -> None:
        """No tap counts until the next `start()` (the page is off screen, or not painted yet)."""
        self._since = None

    @property
    def ready(self) -> bool:
        return self._since is not None and self._clock() - self._since >= self.ms

    @property
    def settling(self) -> bool:
        """Started less than `ms` ago (never started is not settling: nothing happened yet)."""
        return self._since is not None and not self.ready


def label(text: str, role: str | None = None, *, wrap: bool = True, plain: bool = True) -> QLabel:
    """A label; `plain` (the default) never reads the text as HTML: names may contain "<".

    The Welcome screen passes plain=False for its own fixed texts: touching `Qt` builds all 94
    of its Python enums (15 ms), which the first screen need not wait for.
    """
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    if plain:
        widget.setTextFormat(QtCore.Qt.PlainText)
    if role:
        widget.setProperty("role", role)
    return widget


def button(text: str, role: str | None = None, on_click=None) -> QPushButton:
    """A kiosk button; "choice" buttons wrap their text (answers and statements can be long)."""
    if role == "choice":
        from kiosk.ui.widgets.wrap_button import WrapButton  # not on the Welcome screen

        widget = WrapButton(text)
    else:
        widget = QPushButton(text)
    if role:
        widget.setProperty("role", role)  # new and not yet polished: no re-polish needed
    if on_click is not None:
        widget.clicked.connect(on_click)
    return widget


class Page(QWidget):
    """A page reports; the window routes. It never decides which step comes next.

    `result_changed(result)` carries plain data for the record; `finished("forward"|"back")`
    asks the window to move on.

    Taps land once: every button that moves or stores (made with `guarded`, as Back and Next
    are) ignores taps until the page has been painted and then on screen for SETTLE_MS, so
    the second tap of a double tap on the page before never acts here. `on_painted` runs once
    the page has really been drawn each time it is shown: only then has the patient seen it.
    """

    result_changed = Signal(object)
    finished = Signal(str)

    def __init__(self, step, ctx: PageContext, parent=None):
        super().__init__(parent)
        self.step = step
        self.ctx = ctx
        self._settle = TapSettle(SETTLE_MS, ctx.tap_clock)
        self._painted = False
        self.body = QVBoxLayout(self)
        gap = theme.SPACING
        self.body.setContentsMargins(48, gap + 4, 48, gap + 4)
        self.body.setSpacing(gap)

    def on_shown(self) -> None:
        """Called each time the page comes on screen (before it is painted)."""

    def in_progress(self):
        """What the patient has put on this page and not yet handed on (a name half typed, a
        signature half drawn), as the result it would become; None when there is nothing.
        The window carries it to the same page made again in another language (`restore`)."""
        return None

    def restore(self, result) -> None:
        """Show `result`, this step's answer so far, on a page made again: after a change of
        language the patient sees what they had entered. Pages with nothing to show ignore it."""

    def on_painted(self) -> None:
        """Called once each time the page is shown, after it has first been painted."""

    @property
    def ready(self) -> bool:
        """True once a tap on this page counts (see the class docstring)."""
        return self._settle.ready

    def guarded(self, action: Callable[[], None]) -> Callable[..., None]:
        """`action`, run only when a tap counts (`ready`); for buttons that move or store."""
        def run(*_args) -> None:
            if self.ready:
                action()
        return run

    def showEvent(self, event):
        super().showEvent(event)
        self._painted = False
        self._settle.stop()  # until painted: a tap on a page nobody has seen never counts

    def hideEvent(self, event):
        super().hideEvent(event)
        self._settle.stop()

    def paintEvent(self, event):
        super().paintEvent(event)
        if not self._painted and self.isVisible():
            self._painted = True
            self._settle.start()
            self.on_painted()

    def add_title(self, text: str) -> QLabel:
        title = label(text, "title")
        self.body.addWidget(title)
        return title

    def add_nav(self, next_text: str | None = None, *, back: bool = True) -> tuple[QPushButton | None, QPushButton]:
        """Back on the left, the one main action on the right."""
        bar = QHBoxLayout()
        back_button = None
        if back:
            back_button = button(self.ctx.ui("back"), None, self.guarded(self.go_back))
            back_button.setMinimumWidth(220)
            bar.addWidget(back_button)
        bar.addStretch(1)
        next_button = button(next_text or self.ctx.ui("next"), "primary", self.guarded(self.go_forward))
        next_button.setMinimumWidth(320)
        bar.addWidget(next_button)
        self.body.addLayout(bar)
        self.back_button, self.next_button = back_button, next_button
        return back_button, next_button

    def add_back(self) -> QPushButton:
        """Only Back, bottom left: for pages whose answers themselves move on."""
        self.body.addStretch(1)
        self.back_button = button(self.ctx.ui("back"), None, self.guarded(self.go_back))
        self.back_button.setMaximumWidth(260)
        self.body.addWidget(self.back_button)
        return self.back_button

    def go_forward(self) -> None:
        self.finished.emit("forward")

    def go_back(self) -> None:
        self.finished.emit("back")
