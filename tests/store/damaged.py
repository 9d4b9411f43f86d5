"""Damaged kiosk.db files, made for real: what a disk fault or a careless copy leaves."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
from pathlib import Path

KINDS = ("empty", "random bytes", "bad UTF-8 schema", "a folder")


def make_damaged_database(path: Path, kind: str) -> Path:
    """Make ``path`` into one kind of damaged database; returns ``path``."""
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "random bytes":
        path.write_bytes(random.Random(3).randbytes(64 * 1024))
    elif kind == "bad UTF-8 schema":
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE consents (document_id TEXT)")
        connection.close()
        data = bytearray(path.read_bytes())
        at = data.index(b"consents (document_id")
        data[at:at + 8] = b"\xff\xfe\xfdsents"  # not UTF-8, same length: the file stays a database
        path.write_bytes(bytes(data))
    elif kind == "a folder":
        path.mkdir()
    else:
        raise ValueError(kind)
    return path


def snapshot(path: Path):
    """What must not change: the bytes (or, for a folder, its listing) and the mode."""
    if path.is_dir():
        return ("dir", sorted(os.listdir(path)), path.stat().st_mode)
    return ("file", hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mode)
