"""Telling sample consents (made by ``kiosk demo`` for training) from real ones.

A sample consent's record carries ``"sample": true`` (see ``kiosk.finalise.prepare_consent``);
every other consent is real. Read-only; call from the thread that opened the database.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from kiosk.store.transactions import reading


@dataclass(frozen=True)
class ConsentCounts:
    sample: int
    real: int


def count_sample_consents(db: sqlite_utils.Database) -> ConsentCounts:
    """How many stored consents are samples and how many are real (a database without a
    consents table yet has neither)."""
    with reading(db):
        if not db.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'consents'"
        ).fetchone():
            return ConsentCounts(0, 0)
        sample, total = db.conn.execute(
            "SELECT coalesce(sum(json_extract(record_json, '$.sample') IS 1), 0), count(*)"
            " FROM consents"
        ).fetchone()
    return ConsentCounts(sample, total - sample)


def holds_samples(db: sqlite_utils.Database) -> bool:
    """True when the first or the newest stored consent is a sample: a folder made by
    ``kiosk demo`` (which refuses real data). Two rows read, whatever the archive's size."""
    with reading(db):
        if not db.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'consents'"
        ).fetchone():
            return False
        row = db.conn.execute(
            "SELECT max(json_extract(record_json, '$.sample') IS 1) FROM consents"
            " WHERE rowid IN ((SELECT min(rowid) FROM consents), (SELECT max(rowid) FROM consents))"
        ).fetchone()
    return bool(row and row[0])
