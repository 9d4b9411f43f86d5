"""The signature screen says what the signature means, with the procedure's name in full:
nothing cut off, on a 10-inch tablet and at full HD, with a long name too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.ui import theme
from kiosk.ui.pages.decision import SignaturePage
from tests.ui.conftest import page
from tests.ui.journey import Patient, decide, to_the_statements


@pytest.mark.parametrize("width, height, name", [
    (1280, 800, "Margaret Obrien"),
    (1920, 1080, "Margaret Obrien"),
    (1280, 800, "Maria Immaculata Fernanda de los Santos-Villanueva"),
])
def test_the_signature_screen_shows_the_procedure_whole(make_window, real_pack, width, height, name):
    window = make_window(idle_timeout_seconds=3600, scale=theme.screen_scale(height))
    window.resize(width, height)
    patient = Patient(name=name)
    to_the_statements(window, real_pack, patient)
    decide(window, patient)
    signature = page(window)
    assert isinstance(signature, SignaturePage)
    QApplication.processEvents()
    meaning = signature.meaning
    assert " ".join(real_pack.procedure.split()) in " ".join(meaning.text().split())
    assert meaning.wordWrap() and meaning.height() >= meaning.heightForWidth(meaning.width()), "cut off"
    assert meaning.geometry().right() <= signature.width()
    assert signature.printed_name.text() == name
    printed = signature.printed_name
    assert printed.height() >= printed.heightForWidth(printed.width()), "the printed name is cut off"
    assert signature.pad.height() >= 0.25 * height, "room left to sign"
    assert (window.width(), window.height()) == (width, height), "the window grew past the screen"
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        short = "long-name-" if len(name) > 20 else ""
        window.grab().save(str(Path(folder) / f"14-signature-{short}{width}x{height}.png"))
