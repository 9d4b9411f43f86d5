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


import pytest  # noqa: E402

from tests.store.damaged import KINDS, make_damaged_database, snapshot  # noqa: E402


@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_database_points_the_patient_to_a_paper_form_and_is_left_as_it_was(
        qtbot, data_dir, real_pack, kind):
    path = make_damaged_database(data_dir / "kiosk.db", kind)
    before = snapshot(path)
    window = make(qtbot, data_dir)
    qtbot.waitUntil(lambda: isinstance(window.current_page(), OutOfServicePage), timeout=5000)
    texts = [w.text() for w in window.current_page().findChildren(type(window.current_page().detail))]
    assert real_pack.ui("out_of_service_body") in texts and "paper form" in real_pack.ui("out_of_service_body")
    assert "kiosk.db" in window.current_page().detail.text()
    assert "Traceback" not in window.current_page().detail.text()
    assert not window.welcome.start_button.isEnabled()
    assert snapshot(path) == before


def test_a_start_takes_back_a_pdf_whose_row_a_crash_lost_and_removes_unfinished_files(qtbot, data_dir, real_pack):
    import os

    from kiosk.finalise import prepare_consent
    from kiosk.seal_key import load_seal_signer
    from kiosk.settings import load_settings
    from kiosk.store import get_consent, open_database, write_file_durably
    from kiosk.store.consents import pdf_path_for
    from tests.flow.sample import complete_session

    settings = load_settings(data_dir)
    open_database(data_dir / "kiosk.db").close()
    pending = prepare_consent(complete_session(real_pack), real_pack, settings,
                              signer=load_seal_signer(data_dir, settings))
    consents = settings.consents_path(data_dir)
    orphan = pdf_path_for(consents, pending.record)
    write_file_durably(orphan, pending.pdf)  # the PDF is on disk; the kiosk died before its commit
    unfinished = orphan.parent / f".{orphan.name}.{'0' * 32}.tmp"
    unfinished.write_bytes(pending.pdf[:1000])
    os.utime(unfinished, (1, 1))
    window = make(qtbot, data_dir)
    qtbot.waitUntil(lambda: window.welcome.start_button.isEnabled(), timeout=10000)
    row = get_consent(window.db, pending.record["document_id"])
    assert row is not None and row["record"] == pending.record and row["pdf_path"] == str(orphan)
    assert not unfinished.exists()
