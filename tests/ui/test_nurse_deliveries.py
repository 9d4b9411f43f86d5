"""The nurse station says where each consent has been sent: the central database, the health
record (FHIR, HL7), each "sent", "waiting" (with why) or "NOT sent" (with why, to tell IT), as
the outbox recorded it in the real database; nothing of it when no target is configured."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.store import outbox as store
from tests.ui.test_nurse_station import PACK, SETTINGS, create_admin, filled, filled_template  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
HANDED_OFF = dataclasses.replace(SETTINGS, central_database="postgresql://kiosk@127.0.0.1:5432/central",
                                 fhir_url="http://127.0.0.1:8090/fhir", hl7_address="127.0.0.1:2575")


def make_station(qtbot, filled, settings):  # noqa: F811
    from kiosk.ui import theme
    from kiosk.ui.nurse.station import NurseStation
    from tests.ui.test_nurse_station import Clock

    data, db, ids = filled
    theme.install(QApplication.instance())
    widget = NurseStation(settings=settings, data_dir=data, db=db, pdf_labels=PACK.pdf_labels, clock=Clock())
    qtbot.addWidget(widget)
    widget.resize(1920, 1080)
    widget.show()
    widget.ids = ids
    create_admin(widget)
    return widget


def shown_lines(page) -> list[str]:
    """The delivery label's lines as a nurse reads them (its rich text, rendered)."""
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(page.deliveries.text())
    return document.toPlainText().splitlines()


def consent_entry(db, document_id):
    return db.execute("SELECT id FROM outbox WHERE kind = 'consent' AND document_id = ?", [document_id]).fetchone()[0]


def test_each_target_s_state_and_reason_is_on_the_consent_page(qtbot, filled):  # noqa: F811
    data, db, ids = filled
    entry = consent_entry(db, ids["Margaret Obrien"])
    store.mark_sent(db, "central", entry, at="2026-11-25T15:00:00+00:00", receipt="ok")
    store.mark_not_sent(db, "fhir", entry, at="2026-11-25T15:00:00+00:00", error="connection refused",
                        permanent=False, next_attempt_at="2026-11-25T15:00:04+00:00")
    store.mark_not_sent(db, "hl7", entry, at="2026-11-25T15:00:00+00:00",
                        error="the listener answered AE: unknown facility", permanent=True, next_attempt_at=None)
    station = make_station(qtbot, filled, HANDED_OFF)
    station.open_consent(ids["Margaret Obrien"])
    page = station.stack.currentWidget()
    qtbot.waitUntil(lambda: page.deliveries.isVisible(), timeout=5000)
    assert shown_lines(page) == [
        "Central database: sent", "Health record (FHIR): waiting to be sent (connection refused)",
        "Health record (HL7): NOT sent (the listener answered AE: unknown facility). Please tell IT."]
    from kiosk.ui.theme import palette

    assert f"<b style='color:{palette().error}'>Health record (HL7): NOT sent" in page.deliveries.text()
    assert "<b " not in page.deliveries.text().split("<br>")[0]  # a failure stands out, alone
    QApplication.processEvents()
    shots = ROOT / "docs" / "screenshots"
    if shots.is_dir():
        station.grab().save(str(shots / "nurse-deliveries.png"))
    station.open_consent(ids["Ann Lee"])  # never tried yet: waiting, everywhere
    page = station.stack.currentWidget()
    qtbot.waitUntil(lambda: page.deliveries.isVisible(), timeout=5000)
    assert shown_lines(page) == [
        "Central database: waiting to be sent", "Health record (FHIR): waiting to be sent",
        "Health record (HL7): waiting to be sent"]
    assert "<b " not in page.deliveries.text() and "<b>" not in page.deliveries.text()


def test_with_no_target_the_page_says_nothing_of_sending(qtbot, filled):  # noqa: F811
    data, db, ids = filled
    station = make_station(qtbot, filled, SETTINGS)
    station.open_consent(ids["Margaret Obrien"])
    page = station.stack.currentWidget()
    QApplication.processEvents()
    assert not page.deliveries.isVisible() and page.deliveries.text() == ""


@pytest.mark.parametrize("code", ["en", "ar", "zh"])
def test_the_delivery_words_are_in_every_nurse_language(code):
    from kiosk.review.texts import load_texts

    texts = load_texts(code)
    for key in ("delivery_central", "delivery_fhir", "delivery_hl7"):
        assert texts(f"consent_page.{key}")
    assert "X" in texts("consent_page.delivery_failed", target="X", reason="Y")
