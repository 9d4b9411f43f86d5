""""Saving your form…" at 1920x1080 and 1280x800: the calm state a patient sees while the
consent is sealed and stored in the background. It says what is happening, offers nothing to
tap, fits the screen, and stays until the record is committed. KIOSK_SCREENSHOTS=DIR saves
docs/screenshots/21-saving-your-form-*.png."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from kiosk.store import list_consents
from kiosk.ui import theme
from kiosk.ui.pages.ending import DonePage, SavingPage
from tests.ui.conftest import page
from tests.ui.journey import Patient
from tests.ui.test_background_save import hold_write_lock, press, to_signed
from tests.ui.test_screens import MIN_TEXT_PX
from tests.ui.test_screens_forgiving import inside


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)], ids=["1920x1080", "1280x800"])
def test_saving_your_form_is_calm_whole_and_honest(make_window, real_pack, data_dir, qtbot, size):
    window = make_window(scale=theme.screen_scale(size[1]), idle_timeout_seconds=3600)
    window.resize(*size)
    signature = to_signed(window, real_pack, Patient(name="Ruth Okafor"))
    lock = hold_write_lock(data_dir / "kiosk.db")  # the save waits: the screen can be looked at
    try:
        press(signature.next_button)  # Sign
        QApplication.processEvents()
        saving = page(window)
        assert isinstance(saving, SavingPage) and window.saving
        assert (window.width(), window.height()) == size, "the window grew past its screen"
        shown = [label for label in saving.findChildren(QLabel) if label.isVisible() and label.text()]
        title = [label for label in shown if label.text() == real_pack.ui("saving_title")]
        assert title and inside(window, title[0], size), "the saving title is not shown whole"
        assert all(inside(window, label, size) for label in shown)
        # 24 px on a 1080-line screen; a 10-inch 1280x800 tablet has denser pixels (theme.screen_scale)
        smallest = round(MIN_TEXT_PX * theme.screen_scale(size[1]))
        assert all(QFontInfo(label.font()).pixelSize() >= smallest for label in shown), "text too small to read"
        assert not [b for b in saving.findChildren(QAbstractButton) if b.isVisible()], "nothing to tap while saving"
        assert "saved" not in " ".join(label.text().lower() for label in shown), "says saved before it is stored"
        assert list_consents(window.db_for_tests) == []
        folder = os.environ.get("KIOSK_SCREENSHOTS")
        if folder:
            window.grab().save(str(Path(folder) / f"21-saving-your-form-{size[0]}x{size[1]}.png"))
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    qtbot.waitUntil(lambda: isinstance(page(window), DonePage), timeout=20_000)
    assert len(list_consents(window.db_for_tests)) == 1
