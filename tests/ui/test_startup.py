"""Start-up as the kiosk really does it: database opened after the first paint."""

from __future__ import annotations

from kiosk.settings import Settings
from kiosk.ui.pages.ending import OutOfServicePage
from tests.ui.conftest import tap


def make(qtbot, data_dir):
    from PySide6.QtWidgets import QApplication

    from kiosk.ui import theme
    from kiosk.ui.window import KioskWindow

    theme.install(QApplication.instance())
    window = KioskWindow(settings=Settings(), data_dir=data_dir)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    return window


def test_database_opens_after_the_first_paint_then_start_works(qtbot, data_dir):
    window = make(qtbot, data_dir)
    qtbot.waitUntil(lambda: window.welcome.start_button.isEnabled(), timeout=5000)
    assert (data_dir / "kiosk.db").exists()
    tap(window.welcome.start_button)
    assert window.session is not None


def test_a_corrupt_database_shows_out_of_service_and_is_left_untouched(qtbot, data_dir, real_pack):
    corrupt = bytes(range(256)) * 64
    (data_dir / "kiosk.db").write_bytes(corrupt)
    window = make(qtbot, data_dir)
    qtbot.waitUntil(lambda: isinstance(window.current_page(), OutOfServicePage), timeout=5000)
    page = window.current_page()
    assert page.isVisible() and real_pack.ui("out_of_service_title") in [w.text() for w in page.findChildren(type(page.detail))]
    assert "kiosk.db" in page.detail.text()
    assert not window.welcome.start_button.isEnabled()
    assert (data_dir / "kiosk.db").read_bytes() == corrupt
