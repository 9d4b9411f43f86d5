"""Composition root: settings, database, translations, window."""

from __future__ import annotations

import sys
from pathlib import Path

PARSED_TOML_FOLDER = "cache"  # in the data folder: what kiosk.toml_cache keeps between starts


class StartupError(Exception):
    """The kiosk cannot start; the message is for IT, `exit_code` for the shell."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def create_kiosk(data_dir: Path, *, windowed: bool = False):
    """Settings, database, Qt application and the shown patient window: (app, window)."""
    import gc

    gc.disable()  # no collection during start-up's imports; the window freezes them and turns it on again
    from kiosk import toml_cache

    toml_cache.use_folder(data_dir / PARSED_TOML_FOLDER)  # settings, translation, structure: parsed once
    from kiosk.settings import SettingsError, load_settings

    try:
        settings = load_settings(data_dir)
    except SettingsError as error:
        gc.enable()
        raise StartupError(str(error), 2) from None

    from PySide6.QtWidgets import QApplication

    from kiosk.ui import theme
    from kiosk.ui.window import KioskWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Vertebroplasty consent kiosk")
    screen = app.primaryScreen()
    area = screen.availableGeometry() if windowed else screen.geometry()
    scale = theme.screen_scale(min(800, area.height()) if windowed else area.height())
    theme.install(app, high_contrast=settings.high_contrast, large_text=settings.large_text, scale=scale)
    window = KioskWindow(settings=settings, data_dir=data_dir)  # opens kiosk.db after the first paint
    if windowed:  # for development: a 1280x800 tablet's window, never larger than the screen
        window.resize(min(1280, area.width()), min(800, area.height()))
        window.show()
    else:
        from kiosk.ui.kiosk_mode import KioskMode

        window.kiosk_mode = KioskMode(window)  # the whole screen, with or without a window manager
        window.kiosk_mode.apply()
    import os

    _start_outbox(app, settings, data_dir, window)
    if os.environ.get("KIOSK_REPORT_GEOMETRY") == "1":  # for tests/test_real_x.py
        from kiosk.ui.geometry_report import GeometryReport

        window.geometry_report = GeometryReport(window)
    return app, window


def run_nurse_station(data_dir: Path, *, central: bool = False) -> int:
    """`kiosk nurse`: the nurse station alone, on a desk computer sharing the data folder.
    `central` (`kiosk nurse --central`): every kiosk's queue from the central PostgreSQL
    database (the `central_database` setting); sign-in and accounts stay in this folder."""
    from kiosk.settings import SettingsError, load_settings
    from kiosk.store import StoreError, open_database

    try:
        settings = load_settings(data_dir)
        db = open_database(data_dir / "kiosk.db")
    except (SettingsError, StoreError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2 if isinstance(error, SettingsError) else 3
    link = None
    if central:
        if not settings.central_database:
            print("kiosk: 'kiosk nurse --central' needs the central database's address: set central_database "
                  "(or [central] database) in settings.toml to postgresql://user:password@host:5432/database.",
                  file=sys.stderr)
            return 2
        from kiosk.review.central import CentralLink, station_name

        # Connected on first use, on this (the station's) thread; down, the queue says so kindly.
        link = CentralLink(settings.central_database, station_id=station_name(settings), data_dir=data_dir)
    from kiosk.recovery import recover_at_start

    recover_at_start(db, data_dir, settings)  # a desk station puts right what a killed kiosk left, too
    from PySide6.QtWidgets import QApplication

    from kiosk.content import load_pack
    from kiosk.ui import theme
    from kiosk.ui.nurse.station import NurseStation

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Consent kiosk: nurse station")
    desk = app.primaryScreen().availableGeometry()  # sized to its screen, as the patient window is
    theme.install(app, high_contrast=settings.high_contrast, large_text=settings.large_text,
                  scale=theme.screen_scale(desk.height()))
    from kiosk.flow.clock import make_clock

    station = NurseStation(settings=settings, data_dir=data_dir, db=db,
                           pdf_labels=load_pack(settings.default_language).pdf_labels,
                           clock=make_clock(settings.time_zone),  # times in the hospital's zone
                           central=link)
    if link is not None:
        app.aboutToQuit.connect(link.close)  # the viewing copies' folder and the connection
    _start_outbox(app, settings, data_dir, station)
    station.closed.connect(station.start)  # on a desk, signing out shows the sign-in again
    station.resize(min(1600, desk.width()), min(1000, desk.height()))
    station.show()
    from PySide6.QtCore import QTimer

    where = f"{data_dir}, central database" if link is not None else str(data_dir)
    QTimer.singleShot(0, lambda: print(f"kiosk: nurse station ready ({where})", file=sys.stderr, flush=True))
    return app.exec()


def _start_outbox(app, settings, data_dir: Path, owner) -> None:
    """Send the outbox to the configured targets in the background (kiosk.outbox.config);
    nothing at all when none is configured. A target that cannot be made (a bad address)
    is reported and the kiosk goes on: the entries wait in the outbox."""
    from kiosk.outbox.config import start_sender  # light: the targets are made in the sender's thread

    try:
        owner.outbox_sender = start_sender(settings, data_dir)
    except Exception as error:  # noqa: BLE001 - the patient's kiosk runs on without the hand-off
        print(f"kiosk: the outbox cannot send: {error}", file=sys.stderr)
        return
    if owner.outbox_sender is not None:
        app.aboutToQuit.connect(owner.outbox_sender.stop)


def run_kiosk(data_dir: Path, *, windowed: bool = False) -> int:
    """Open the patient kiosk on `data_dir`; returns the process exit code."""
    try:
        app, window = create_kiosk(data_dir, windowed=windowed)
    except StartupError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return error.exit_code
    return app.exec()


def main() -> None:
    from kiosk.cli import main as cli_main

    cli_main()
