"""The queue's table model: thin, read-only, and fetching rows only as they scroll into view."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from generate_consents import generate  # noqa: E402

from kiosk.store import open_database  # noqa: E402
from kiosk.store.queue import QueueFilter  # noqa: E402
from kiosk.ui.nurse.queue_model import PAGE, QueueModel  # noqa: E402


def test_the_model_passes_qt_model_tester_and_fetches_as_it_scrolls(qtmodeltester, tmp_path):
    db_path = tmp_path / "kiosk.db"
    open_database(db_path)
    generate(db_path, n=250, seed=3)
    db = open_database(db_path)
    model = QueueModel(db, QueueFilter())
    assert model.total == 250 and model.rowCount() == PAGE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 250
    finished = [model.rows[r]["finished_at"] or model.rows[r]["started_at"] for r in range(model.rowCount())]
    assert finished == sorted(finished, reverse=True), "newest first"  # shown as "25 Nov 14:05", not sortable text
    assert model.data(model.index(0, 0), Qt.UserRole)
    qtmodeltester.check(model)
