"""The queue's table model: thin, read-only, fetching rows only as they scroll into view, its
words (headers, outcomes, review states, flags) from the review layer's texts."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from generate_consents import generate  # noqa: E402

from kiosk.review import Account, ReviewContext  # noqa: E402
from kiosk.review.codes import OUTCOMES, REVIEW_STATES, choices  # noqa: E402
from kiosk.review.queue import QueueFilter  # noqa: E402
from kiosk.settings import Settings  # noqa: E402
from kiosk.store import open_database  # noqa: E402
from kiosk.ui.nurse.queue_model import PAGE, QueueModel  # noqa: E402


def test_the_model_passes_qt_model_tester_and_fetches_as_it_scrolls(qtmodeltester, tmp_path):
    db_path = tmp_path / "kiosk.db"
    open_database(db_path)
    generate(db_path, n=250, seed=3)
    db = open_database(db_path)
    ctx = ReviewContext(db=db, settings=Settings(), data_dir=tmp_path, account=Account(1, "Nora Nurse", True),
                        now=lambda: datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc))
    model = QueueModel(ctx, QueueFilter())
    assert model.total == 250 and model.rowCount() == PAGE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 250
    finished = [model.rows[r].time for r in range(model.rowCount())]
    assert finished == sorted(finished, reverse=True), "newest first"  # shown as "25 Nov 14:05", not sortable text
    assert model.data(model.index(0, 0), Qt.UserRole)
    qtmodeltester.check(model)
    texts = ctx.texts
    assert [model.headerData(c, Qt.Horizontal) for c in range(6)] == [
        "Finished", "Patient", "Date of birth", "Outcome", "Flags", "Review"]
    shown = {column: {model.data(model.index(r, column)) for r in range(model.rowCount())} for column in (3, 5)}
    assert shown[3] <= {c.text for c in choices(texts, "outcome", OUTCOMES)}, "outcomes in the core's words"
    assert shown[5] <= {c.text for c in choices(texts, "review_state", REVIEW_STATES)}
    flagged = next(r for r in range(model.rowCount()) if model.rows[r].flags)
    assert model.data(model.index(flagged, 4)) == model.rows[flagged].flags_text
    assert model.data(model.index(flagged, 4), Qt.ForegroundRole) is not None
