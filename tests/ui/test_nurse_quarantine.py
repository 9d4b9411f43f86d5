"""The nurse station lists what recovery set aside in quarantine."""

from __future__ import annotations

import os
from pathlib import Path

from tests.ui.test_nurse_station import SETTINGS, create_admin, filled, filled_template, station  # noqa: F401


def test_the_queue_lists_files_in_quarantine_with_their_reason(station):
    from kiosk.store.quarantine import quarantine

    consents = SETTINGS.consents_path(station.data_dir)
    stray = consents / "2026" / "11" / "0b7c4a52-1111-4c1c-9a55-00000000abcd.pdf"
    stray.write_bytes(b"%PDF-1.7 half a consent")
    quarantine(consents, stray, "A consent PDF with no record in the database, and its seal does not hold.")
    create_admin(station)
    station.queue.refresh()
    text = station.queue.quarantine_label.text()
    assert station.queue.quarantine_label.isVisible()
    assert "1 file in quarantine" in text and stray.name in text and "its seal does not hold" in text
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        station.grab().save(str(Path(folder) / "nurse-08-quarantine.png"))


def test_no_quarantine_no_banner(station):
    create_admin(station)
    station.queue.refresh()
    assert not hasattr(station.queue, "quarantine_label")
