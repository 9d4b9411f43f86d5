"""Kiosk mode: the patient window covers its whole screen, on top, frameless, with no pointer,
and no key or menu a visitor could use to close or leave it.

Kiosks often run a bare X server with no window manager. There `showFullScreen()` only asks
(_NET_WM_STATE_FULLSCREEN) and nobody answers: the window stayed at its own size in a corner.
So the window is also given the screen's geometry directly, held at that size (content that
wants more must fit or scroll, see kiosk.ui.screen_fit), and moved again whenever its screen
changes size or the window moves to another screen. With a window manager, full screen is
asked for as well, and a close from the window manager (Alt+F4) is refused. Nurses leave
through the nurse station; the service manager stops the process.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCursor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

# Keys that close or leave a window in common desktops; in kiosk mode they do nothing.
BLOCKED_KEYS = {
    (Qt.Key_F4, Qt.AltModifier),
    (Qt.Key_Q, Qt.ControlModifier),
    (Qt.Key_W, Qt.ControlModifier),
    (Qt.Key_Escape, Qt.NoModifier),
}
_BLOCKED_SEQUENCES = (QKeySequence.Close, QKeySequence.Quit, QKeySequence.Cancel)


def blocked(event) -> bool:
    """True for a key press that would close, quit or cancel (Alt+F4, Ctrl+Q, Ctrl+W, Escape)."""
    key = event.key()
    mods = event.modifiers() & (Qt.AltModifier | Qt.ControlModifier | Qt.ShiftModifier | Qt.MetaModifier)
    return (key == Qt.Key_Escape or (key, mods) in BLOCKED_KEYS
            or any(event.matches(sequence) for sequence in _BLOCKED_SEQUENCES))


class KioskMode(QObject):
    """Holds `window` over its screen (see the module docstring); `apply()` shows it."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        self._screen = None
        window.setWindowFlags(window.windowFlags() | Qt.FramelessWindowHint | Qt.WindowStaysOnTopHint)
        window.setContextMenuPolicy(Qt.NoContextMenu)
        app = QApplication.instance()
        app.installEventFilter(self)  # keys and context menus of every widget, the nurse's too
        app.setOverrideCursor(QCursor(Qt.BlankCursor))  # a touchscreen: no pointer on screen
        app.primaryScreenChanged.connect(lambda _screen: self.apply())

    def apply(self) -> None:
        """Cover the window's screen (the primary screen before it is shown), then show it."""
        window = self.window
        handle = window.windowHandle()
        screen = (handle.screen() if handle is not None else None) or QGuiApplication.primaryScreen()
        if screen is not self._screen:
            if self._screen is not None:
                self._screen.geometryChanged.disconnect(self._fit)
            self._screen = screen
            screen.geometryChanged.connect(self._fit)
        self._fit(screen.geometry())
        window.showFullScreen()
        if window.windowHandle() is not handle:  # made by the first show: follow it to other screens
            window.windowHandle().screenChanged.connect(lambda _screen: self.apply())
        window.raise_()
        window.activateWindow()

    def release(self) -> None:
        """Give keys, menus and the pointer back (tests; the kiosk itself never leaves)."""
        app = QApplication.instance()
        app.removeEventFilter(self)
        app.restoreOverrideCursor()

    def _fit(self, geometry) -> None:
        self.window.setFixedSize(geometry.size())
        self.window.setGeometry(geometry)

    def eventFilter(self, obj, event):
        kind = event.type()
        if kind in (QEvent.KeyPress, QEvent.ShortcutOverride) and blocked(event):
            event.accept()  # an accepted override keeps any shortcut on the key from firing
            return True
        if kind == QEvent.ContextMenu:
            return True
        if kind == QEvent.Close and obj is self.window and event.spontaneous():
            event.ignore()  # Alt+F4 or a close button of a window manager
            return True
        return False
