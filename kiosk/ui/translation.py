"""Switching the interface language: Qt's own strings and the layout direction."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

_installed: list[QTranslator] = []


def apply_language(app, code: str, direction: str) -> None:
    """Load Qt's `qtbase_<code>.qm` if it ships, and mirror the layout for right-to-left."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    translator = QTranslator(app)
    if translator.load(QLocale(code), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(translator)
        _installed.append(translator)
    if direction == "rtl" or app.isRightToLeft():
        from PySide6.QtCore import Qt  # not needed for the usual left-to-right start

        app.setLayoutDirection(Qt.RightToLeft if direction == "rtl" else Qt.LeftToRight)
