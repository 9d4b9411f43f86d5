"""Composition root: settings, database, translations, window."""

from __future__ import annotations

import sys
from pathlib import Path


def run_kiosk(data_dir: Path, *, windowed: bool = False, nurse: bool = False) -> int:
    """Open the patient kiosk on `data_dir`; returns the process exit code."""
    from kiosk.settings import SettingsError, load_settings
    from kiosk.store import StoreError, open_database

    try:
        settings = load_settings(data_dir)
    except SettingsError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2
    try:
        db = open_database(data_dir / "kiosk.db")
    except StoreError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 3

    from PySide6.QtWidgets import QApplication

    from kiosk.ui import theme
    from kiosk.ui.window import KioskWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Vertebroplasty consent kiosk")
    theme.install(app)
    window = KioskWindow(settings=settings, data_dir=data_dir, db=db)
    if windowed:
        window.resize(1280, 800)
        window.show()
    else:
        window.showFullScreen()
    return app.exec()


def main() -> None:
    from kiosk.cli import main as cli_main

    cli_main()
