"""The audit chain's exact format (docs/audit-trail.md), its messages, and its anchor file.

The known answers below were computed once with hashlib over the documented canonical form,
not with kiosk code: the writer and the verifier share one canonical form, so both could
drift together and still agree with each other - never with these digests.
"""

import hashlib
import json
import logging
import math
import os
import re
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils

from kiosk.store import StoreError
from kiosk.store.audit import (
    GENESIS,
    AuditReport,
    append_entry,
    audit,
    audit_history,
    chain_head,
    entry_hash,
    read_anchor,
    verify_audit,
)
from kiosk.store.database import MIGRATIONS
from kiosk.store.transactions import write_transaction

DOC = "7d0c2c9e-6f0e-4a0e-9d61-2b7b0f0b7a11"
ZEROS = "0" * 64
AUDIT_TRAIL_DOC = Path(__file__).resolve().parents[2] / "docs" / "audit-trail.md"

# The worked example of docs/audit-trail.md.
FIRST = {"id": 1, "at": "2026-11-25T14:03:12.000+00:00", "actor": "Zoë Ward", "action": "print",
         "document_id": DOC, "detail": {"printer": "Ward 3", "copies": 2}}  # fmt: skip
FIRST_CANONICAL = (
    '[1,"2026-11-25T14:03:12.000+00:00","Zoë Ward","print",'
    '"7d0c2c9e-6f0e-4a0e-9d61-2b7b0f0b7a11",{"copies":2,"printer":"Ward 3"}]'
)
FIRST_HASH = "e6dd7d10674f58868cb2076925c881790e9137c1300fc1e1e06690f930c76fbe"
SECOND = {"id": 2, "at": "2026-11-25T14:05:00.000+00:00", "actor": "Zoë Ward",
          "action": "sign_out", "document_id": None, "detail": {}}  # fmt: skip
SECOND_CANONICAL = '[2,"2026-11-25T14:05:00.000+00:00","Zoë Ward","sign_out",null,{}]'
SECOND_HASH = "a1383fe348861b1caab836fc6d872ecae43c2fd5a5e51ad5b9a11ee4bb37cc2a"
KNOWN = [(FIRST, FIRST_CANONICAL, ZEROS, FIRST_HASH), (SECOND, SECOND_CANONICAL, FIRST_HASH, SECOND_HASH)]
STORED_DETAIL = {1: '{"copies":2,"printer":"Ward 3"}', 2: "{}"}


def _content(entry):
    return [entry[key] for key in ("id", "at", "actor", "action", "document_id", "detail")]


def _write(db, entry):
    return audit(db, actor=entry["actor"], action=entry["action"], document_id=entry["document_id"],
                 detail=entry["detail"], at=entry["at"])  # fmt: skip


def _rows(db):
    return list(db.query("SELECT * FROM audit_log ORDER BY id"))


def _unguarded(raw):
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("DROP TRIGGER audit_log_no_delete")


def _anchor_of(db) -> Path:
    return Path(db.execute("PRAGMA database_list").fetchone()[2]).with_name("audit-anchor.txt")


@pytest.fixture
def trail(fresh_db):
    """Five entries, ids 1 to 5, each anchored."""
    for n in range(1, 6):
        audit(fresh_db, actor="Anna Lee", action="view_record", document_id=DOC, detail={"n": n},
              at=f"2026-11-25T14:0{n}:00+01:00")  # fmt: skip
    return fresh_db


@pytest.fixture
def known(fresh_db):
    """The two entries of the worked example, written by the kiosk."""
    _write(fresh_db, FIRST)
    _write(fresh_db, SECOND)
    return fresh_db


# --- known answers ---------------------------------------------------------------------------


@pytest.mark.parametrize("entry, canonical, prev, digest", KNOWN, ids=["first", "second"])
def test_the_documented_canonical_form_gives_the_known_digest(entry, canonical, prev, digest):
    assert json.dumps(_content(entry), sort_keys=True, separators=(",", ":"), ensure_ascii=False) == canonical
    assert hashlib.sha256((prev + canonical).encode("utf-8")).hexdigest() == digest


@pytest.mark.parametrize("entry, canonical, prev, digest", KNOWN, ids=["first", "second"])
def test_entry_hash_gives_the_known_digest(entry, canonical, prev, digest):
    assert entry_hash(prev, _content(entry)) == digest


@pytest.mark.parametrize("entry, canonical, prev, digest", KNOWN, ids=["first", "second"])
def test_the_writer_stores_the_known_entry(known, entry, canonical, prev, digest):
    row = _rows(known)[entry["id"] - 1]
    assert row == {**entry, "detail": STORED_DETAIL[entry["id"]], "prev_hash": prev, "hash": digest}


def test_the_verifier_accepts_the_known_entries_written_by_hand(fresh_db, raw):
    for entry, canonical, prev, digest in KNOWN:
        raw.execute("INSERT INTO audit_log (id, at, actor, action, document_id, detail, prev_hash, hash)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [*_content(entry)[:5], json.dumps(entry["detail"]), prev, digest])  # fmt: skip
    assert verify_audit(fresh_db) == AuditReport(True, 2, None, "Audit trail intact: 2 entries.")


def test_the_verifier_refuses_the_known_entry_with_any_other_digest(fresh_db, raw):
    raw.execute("INSERT INTO audit_log (id, at, actor, action, document_id, detail, prev_hash, hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [*_content(FIRST)[:5], '{"copies":2,"printer":"Ward 3"}', ZEROS, SECOND_HASH])  # fmt: skip
    assert verify_audit(fresh_db).first_bad_id == 1


@pytest.mark.parametrize("text", [FIRST_CANONICAL, FIRST_HASH, SECOND_CANONICAL, SECOND_HASH, ZEROS,
                                  f"1 {FIRST_HASH} {FIRST['at']}", f"2 {SECOND_HASH} {SECOND['at']}"])  # fmt: skip
def test_the_format_page_states_the_known_answers(text):
    assert text in AUDIT_TRAIL_DOC.read_text(encoding="utf-8")


def test_the_genesis_hash_is_64_zeros():
    assert GENESIS == ZEROS


# --- what is stored --------------------------------------------------------------------------


@pytest.mark.parametrize("at", ["2026-11-25T14:03:12+01:00", "2020-01-01T00:00:00.000+00:00", "2026-11-25"])
def test_the_time_given_is_the_time_stored(fresh_db, at):
    audit(fresh_db, actor="Anna Lee", action="print", at=at)
    assert _rows(fresh_db)[0]["at"] == at


def test_the_time_given_to_append_entry_is_the_time_stored(fresh_db):
    with write_transaction(fresh_db, "not written"):
        append_entry(fresh_db, actor="Anna Lee", action="print", at="2020-01-01T00:00:00+00:00")
    assert _rows(fresh_db)[0]["at"] == "2020-01-01T00:00:00+00:00"


def test_without_a_time_the_entry_gets_now_in_utc_to_the_millisecond(fresh_db):
    before = datetime.now(UTC)
    audit(fresh_db, actor="Anna Lee", action="sign_out")
    after = datetime.now(UTC)
    at = _rows(fresh_db)[0]["at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", at), at
    assert before.replace(microsecond=before.microsecond // 1000 * 1000) <= datetime.fromisoformat(at) <= after


@pytest.mark.parametrize("document_id", [DOC, None])
def test_the_document_id_given_is_stored(fresh_db, document_id):
    audit(fresh_db, actor="Anna Lee", action="print", document_id=document_id)
    assert _rows(fresh_db)[0]["document_id"] == document_id


def test_the_document_id_given_to_append_entry_is_stored(fresh_db):
    with write_transaction(fresh_db, "not written"):
        append_entry(fresh_db, actor="Anna Lee", action="print", document_id=DOC)
    assert _rows(fresh_db)[0]["document_id"] == DOC


@pytest.mark.parametrize(
    "detail, stored",
    [(None, "{}"), ({}, "{}"), ({"b": 1, "a": [2, "x"]}, '{"a":[2,"x"],"b":1}'),
     ({"note": "Zoë"}, '{"note":"Zoë"}'), ({"n": (1, 2)}, '{"n":[1,2]}')],
    ids=["none", "empty", "sorted", "not escaped", "tuple as list"],
)  # fmt: skip
def test_the_detail_is_stored_in_canonical_form(fresh_db, detail, stored):
    audit(fresh_db, actor="Anna Lee", action="print", detail=detail)
    assert _rows(fresh_db)[0]["detail"] == stored


def test_the_detail_given_to_append_entry_is_stored(fresh_db):
    with write_transaction(fresh_db, "not written"):
        append_entry(fresh_db, actor="Anna Lee", action="print", detail={"copies": 2})
    assert _rows(fresh_db)[0]["detail"] == '{"copies":2}'


def test_history_gives_the_detail_back_as_a_dictionary(known):
    assert audit_history(known, DOC) == [{key: FIRST[key] for key in FIRST}]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_nan_and_infinity_in_a_detail_are_refused(fresh_db, value):
    with pytest.raises(StoreError) as refused:
        audit(fresh_db, actor="Anna Lee", action="print", detail={"dose": value})
    assert str(refused.value).startswith(
        "The audit entry was not written: its detail cannot be stored as JSON (Out of range float values")
    assert fresh_db["audit_log"].count == 0


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"actor": ""}, "The audit entry was not written: it has no actor."),
        ({"actor": None}, "The audit entry was not written: it has no actor."),
        ({"action": "  "}, "The audit entry was not written: it has no action."),
        ({"action": 3}, "The audit entry was not written: it has no action."),
        ({"document_id": 7}, "The audit entry was not written: its document id is not text."),
        ({"detail": ["a"]}, "The audit entry was not written: its detail is not a dictionary."),
        ({"at": "yesterday"}, "The audit entry was not written: 'yesterday' is not a time (ISO 8601 expected)."),
        ({"at": 7}, "The audit entry was not written: 7 is not a time (ISO 8601 expected)."),
    ],
)  # fmt: skip
def test_a_bad_entry_is_refused_saying_why(fresh_db, changes, message):
    with pytest.raises(StoreError) as refused:
        audit(fresh_db, **{"actor": "Anna Lee", "action": "print", **changes})
    assert str(refused.value) == message
    assert fresh_db["audit_log"].count == 0


@pytest.mark.parametrize(
    "changes", [{"document_id": 7}, {"detail": ["a"]}, {"detail": {"x": math.nan}}, {"at": "yesterday"}],
    ids=["document id", "detail", "nan", "at"],
)  # fmt: skip
def test_a_bad_entry_is_refused_before_a_transaction_is_begun(fresh_db, changes):
    fresh_db.conn.execute("BEGIN")  # audit() would refuse to run in it; the entry is refused first
    try:
        with pytest.raises(StoreError, match="^The audit entry was not written: "):
            audit(fresh_db, **{"actor": "Anna Lee", "action": "print", **changes})
    finally:
        fresh_db.conn.execute("ROLLBACK")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"actor": " "}, "The audit entry was not written: it has no actor."),
        ({"document_id": 7}, "The audit entry was not written: its document id is not text."),
        ({"detail": "copies=2"}, "The audit entry was not written: its detail is not a dictionary."),
        ({"at": "soon"}, "The audit entry was not written: 'soon' is not a time (ISO 8601 expected)."),
    ],
)  # fmt: skip
def test_append_entry_refuses_a_bad_entry_saying_why(fresh_db, changes, message):
    with pytest.raises(StoreError) as refused, write_transaction(fresh_db, "not written"):
        append_entry(fresh_db, **{"actor": "Anna Lee", "action": "print", **changes})
    assert str(refused.value) == message
    assert fresh_db["audit_log"].count == 0


def test_an_entry_the_database_refuses_says_which_was_not_written(fresh_db, raw):
    raw.execute("ALTER TABLE audit_log RENAME TO audit_log_gone")
    path = raw.execute("PRAGMA database_list").fetchone()[2]
    with pytest.raises(StoreError) as refused:
        audit(fresh_db, actor="Anna Lee", action="print")
    assert str(refused.value) == (
        f"The consent database {path} refused the change (no such table: audit_log): "
        "the audit entry 'print' was not written.")  # fmt: skip


def test_append_entry_outside_a_transaction_is_refused_saying_why(fresh_db):
    with pytest.raises(StoreError) as refused:
        append_entry(fresh_db, actor="Anna Lee", action="print")
    assert str(refused.value) == (
        "An audit entry was appended outside a transaction; nothing was written. "
        "(Programming error: use audit(), or append_entry inside write_transaction.)"
    )


# --- chain head ------------------------------------------------------------------------------


def test_the_chain_head_of_an_empty_trail_is_zero_and_64_zeros(fresh_db):
    assert chain_head(fresh_db) == (0, ZEROS)


def test_the_chain_head_is_the_newest_entry(known):
    assert chain_head(known) == (2, SECOND_HASH)


# --- the anchor file -------------------------------------------------------------------------


def test_the_anchor_file_has_one_line_id_hash_time_per_entry(known):
    assert _anchor_of(known).read_text(encoding="utf-8") == (
        f"1 {FIRST_HASH} {FIRST['at']}\n2 {SECOND_HASH} {SECOND['at']}\n"
    )


def test_the_anchor_file_is_readable_by_the_kiosk_only(known):
    assert stat.S_IMODE(_anchor_of(known).stat().st_mode) == 0o600


def test_an_in_memory_database_writes_no_anchor_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = sqlite_utils.Database(memory=True)
    MIGRATIONS.apply(db)
    assert audit(db, actor="Anna Lee", action="print") == 1
    assert list(tmp_path.iterdir()) == []


def test_an_anchor_that_cannot_be_written_is_logged_and_the_entry_stands(fresh_db, caplog):
    anchor = _anchor_of(fresh_db)
    anchor.mkdir()  # the anchor's name is taken by a folder
    with caplog.at_level(logging.ERROR, logger="kiosk.store.audit"):
        assert audit(fresh_db, actor="Anna Lee", action="print") == 1
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("ERROR", f"Audit entry 1 was not added to the anchor file {anchor}")
    ]
    assert isinstance(caplog.records[0].exc_info[1], IsADirectoryError)
    assert fresh_db["audit_log"].count == 1


def test_reading_a_missing_anchor_gives_none(tmp_path):
    assert read_anchor(tmp_path / "audit-anchor.txt") is None


def test_reading_an_empty_anchor_gives_no_entries(tmp_path):
    (tmp_path / "audit-anchor.txt").write_text("")
    assert read_anchor(tmp_path / "audit-anchor.txt") == {}


@pytest.mark.parametrize(
    "last_line, read",
    [
        ("", {}),
        ("3", {}),
        ("3 ", {}),
        ("3 abc", {}),
        (f"3 {'c' * 63}", {}),
        (f"x {'c' * 64} 2026-11-25", {}),
        (f"-3 {'c' * 64} 2026-11-25", {}),
        (f"3 {'c' * 64}", {3: "c" * 64}),
        (f"3 {'c' * 64} 2026-11-25T14:0", {3: "c" * 64}),
        (f"3 {'c' * 65} 2026-11-25", {}),
    ],
    ids=["empty", "id only", "id and space", "short hash", "63 digits", "no id", "negative id",
         "no time", "torn time", "65 digits"],
)  # fmt: skip
def test_reading_the_anchor_skips_a_torn_last_line(tmp_path, last_line, read):
    (tmp_path / "a.txt").write_text(f"1 {'a' * 64} t\n2 {'b' * 64} t\n{last_line}")
    assert read_anchor(tmp_path / "a.txt") == {1: "a" * 64, 2: "b" * 64, **read}


def test_reading_the_anchor_skips_bytes_that_are_not_utf8(tmp_path):
    (tmp_path / "a.txt").write_bytes(f"1 {'a' * 64} t\n".encode() + b"2 \xff\xfe\x80")
    assert read_anchor(tmp_path / "a.txt") == {1: "a" * 64}


def test_reading_the_anchor_keeps_the_hash_of_each_line(tmp_path):
    (tmp_path / "a.txt").write_text(f"1 {FIRST_HASH} {FIRST['at']}\n2 {SECOND_HASH} {SECOND['at']}\n")
    assert read_anchor(tmp_path / "a.txt") == {1: FIRST_HASH, 2: SECOND_HASH}


# --- verify: what is reported ----------------------------------------------------------------


@pytest.mark.parametrize("count, message", [(1, "Audit trail intact: 1 entry."), (2, "Audit trail intact: 2 entries.")])
def test_an_intact_trail_is_reported_with_its_count(fresh_db, count, message):
    for _ in range(count):
        audit(fresh_db, actor="Anna Lee", action="print")
    assert verify_audit(fresh_db) == AuditReport(True, count, None, message)


def test_an_empty_trail_is_intact_with_0_entries(fresh_db):
    report = verify_audit(fresh_db)
    assert (report.ok, report.entries, report.first_bad_id, report.message) == (
        True, 0, None, "Audit trail intact: 0 entries.")  # fmt: skip


@pytest.mark.parametrize("with_anchor", [True, False], ids=["anchored", "no anchor"])
def test_deleting_the_only_entry_of_a_one_entry_trail_is_reported(fresh_db, raw, with_anchor):
    audit(fresh_db, actor="Anna Lee", action="print")
    if not with_anchor:
        _anchor_of(fresh_db).unlink()
    _unguarded(raw)
    raw.execute("DELETE FROM audit_log")
    report = verify_audit(fresh_db)
    assert (report.ok, report.entries, report.first_bad_id, report.message) == (
        False, 0, 1, "Audit entry 1 was deleted from the end of the trail.")  # fmt: skip


@pytest.mark.parametrize(
    "deleted, first_bad_id, message",
    [
        ("id = 3", 3, "Audit entry 3 was deleted (entry 4 follows entry 2)."),
        ("id = 1", 1, "Audit entry 1 was deleted (the trail starts at entry 2)."),
        ("id IN (1, 2)", 1, "Audit entries 1 to 2 were deleted (the trail starts at entry 3)."),
        ("id IN (2, 3, 4)", 2, "Audit entries 2 to 4 were deleted (entry 5 follows entry 1)."),
        ("id = 5", 5, "Audit entry 5 was deleted from the end of the trail."),
        ("id >= 3", 3, "Audit entries 3 to 5 were deleted from the end of the trail."),
    ],
    ids=["middle", "first", "first two", "three", "newest", "newest three"],
)
def test_deleted_entries_are_named_exactly(trail, raw, deleted, first_bad_id, message):
    _unguarded(raw)
    raw.execute(f"DELETE FROM audit_log WHERE {deleted}")
    report = verify_audit(trail)
    remaining = raw.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert (report.ok, report.entries, report.first_bad_id, report.message) == (
        False, remaining, first_bad_id, message)  # fmt: skip


def test_a_changed_entry_is_named_exactly(trail, raw):
    _unguarded(raw)
    raw.execute("""UPDATE audit_log SET detail = '{"n":30}' WHERE id = 3""")
    report = verify_audit(trail)
    assert (report.ok, report.entries, report.first_bad_id, report.message) == (
        False, 5, 3, "Audit entry 3 was changed after it was written: its contents no longer match its hash.")


def test_an_unreadable_detail_is_named_exactly(trail, raw):
    _unguarded(raw)
    raw.execute("PRAGMA ignore_check_constraints = ON")
    raw.execute("UPDATE audit_log SET detail = 'not json' WHERE id = 2")
    report = verify_audit(trail)
    assert (report.ok, report.first_bad_id, report.message) == (
        False, 2, "Audit entry 2 was changed after it was written: its detail is no longer readable.")


def _rewrite(raw, entry_id, prev_hash, **changes):
    """Rewrite one entry and give it a hash that matches its new contents."""
    row = dict(zip(["id", "at", "actor", "action", "document_id", "detail"],
                   raw.execute("SELECT id, at, actor, action, document_id, detail FROM audit_log WHERE id = ?",
                               [entry_id]).fetchone()))  # fmt: skip
    row.update(changes)
    content = [row["id"], row["at"], row["actor"], row["action"], row["document_id"], json.loads(row["detail"])]
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256((prev_hash + canonical).encode()).hexdigest()
    raw.execute("UPDATE audit_log SET detail = ?, actor = ?, prev_hash = ?, hash = ? WHERE id = ?",
                [row["detail"], row["actor"], prev_hash, digest, entry_id])  # fmt: skip


def test_a_first_entry_forged_to_follow_something_else_is_named(trail, raw):
    _unguarded(raw)
    _rewrite(raw, 1, "f" * 64)
    report = verify_audit(trail)
    assert (report.ok, report.entries, report.first_bad_id, report.message) == (
        False, 5, 1,
        "Audit entry 1 was changed after it was written: it no longer matches the entry before it.")  # fmt: skip


def test_a_first_entry_rewritten_with_a_new_hash_is_named(trail, raw):
    _unguarded(raw)
    _rewrite(raw, 1, ZEROS, actor="Ben Ode")
    report = verify_audit(trail)
    assert (report.ok, report.entries, report.first_bad_id, report.message) == (
        False, 5, 1,
        "Audit entry 1 was changed after it was written: entry 2, written after it, no longer matches it.",
    )  # fmt: skip


def test_a_middle_entry_rewritten_with_a_new_hash_is_named(trail, raw):
    _unguarded(raw)
    prev = raw.execute("SELECT hash FROM audit_log WHERE id = 2").fetchone()[0]
    _rewrite(raw, 3, prev, detail='{"n":30}')
    report = verify_audit(trail)
    assert (report.first_bad_id, report.message) == (
        3, "Audit entry 3 was changed after it was written: entry 4, written after it, no longer matches it.")


def test_swapped_entries_are_named_exactly(trail, raw):
    _unguarded(raw)
    raw.execute("UPDATE audit_log SET id = -4 WHERE id = 4")
    raw.execute("UPDATE audit_log SET id = 4 WHERE id = 3")
    raw.execute("UPDATE audit_log SET id = 3 WHERE id = -4")
    report = verify_audit(trail)
    assert (report.ok, report.entries, report.first_bad_id, report.message) == (
        False, 5, 3,
        "Audit entry 3 is out of order: it was written after entry 4 (entries were swapped or moved).")  # fmt: skip


@pytest.mark.parametrize(
    "dropped, names",
    [(["audit_log_no_delete"], "audit_log_no_delete"), (["audit_log_no_update"], "audit_log_no_update"),
     (["audit_log_no_update", "audit_log_no_delete"], "audit_log_no_update, audit_log_no_delete")],
    ids=["delete", "update", "both"],
)  # fmt: skip
def test_a_removed_guard_is_reported_exactly(trail, raw, dropped, names):
    for trigger in dropped:
        raw.execute(f"DROP TRIGGER {trigger}")
    report = verify_audit(trail)
    assert (report.ok, report.entries, report.first_bad_id, report.message) == (
        False, 5, None,
        f"The 5 entries of the audit trail are intact, but the trigger that keeps it append-only ({names}) "
        "was removed: someone changed the database by hand. Ask IT to find out who.")  # fmt: skip


# --- verify: against the anchor file ---------------------------------------------------------


def _hide_deletion(raw, keep):
    """Delete every entry after ``keep`` and rewrite sqlite_sequence so that nothing shows."""
    raw.execute("DELETE FROM audit_log WHERE id > ?", [keep])
    if keep:
        raw.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'", [keep])
    else:
        raw.execute("DELETE FROM sqlite_sequence WHERE name = 'audit_log'")


@pytest.mark.parametrize(
    "keep, message",
    [
        (4, "Audit entry 5 is missing: the anchor file beside the database recorded it, but the database "
            "no longer holds it (deleted from the end of the trail, and sqlite_sequence rewritten to hide it)."),
        (2, "Audit entries 3-5 are missing: the anchor file beside the database recorded them, but the "
            "database no longer holds them (deleted from the end of the trail, and sqlite_sequence "
            "rewritten to hide it)."),
        (0, "Audit entries 1-5 are missing: the anchor file beside the database recorded them, but the "
            "database no longer holds them (deleted from the end of the trail, and sqlite_sequence "
            "rewritten to hide it)."),
    ],
    ids=["one", "three", "all"],
)  # fmt: skip
def test_entries_missing_from_the_end_are_named_from_the_anchor(trail, raw, keep, message):
    _unguarded(raw)
    _hide_deletion(raw, keep)
    report = verify_audit(trail)
    assert (report.ok, report.entries, report.first_bad_id, report.message) == (False, keep, keep + 1, message)


def test_a_rewritten_entry_is_named_from_the_anchor(trail, raw):
    _unguarded(raw)
    prev = ZEROS
    for entry_id in range(1, 6):  # entry 2 rewritten, and every hash after it rebuilt
        _rewrite(raw, entry_id, prev, **({"detail": '{"n":20}'} if entry_id == 2 else {}))
        prev = raw.execute("SELECT hash FROM audit_log WHERE id = ?", [entry_id]).fetchone()[0]
    report = verify_audit(trail)
    assert (report.ok, report.entries, report.first_bad_id, report.message) == (
        False, 5, 2, "Audit entry 2 does not match the anchor file beside the database: the trail was "
                     "rewritten after it was written.")  # fmt: skip


def test_a_torn_last_line_of_the_anchor_is_skipped(trail):
    with _anchor_of(trail).open("a") as anchor:
        anchor.write(f"6 {'e' * 40}")
    assert verify_audit(trail).ok


def test_entries_newer_than_the_anchor_are_accepted(trail):
    lines = _anchor_of(trail).read_text().splitlines(keepends=True)
    _anchor_of(trail).write_text("".join(lines[:3]))
    assert verify_audit(trail).ok


def test_an_anchor_line_for_an_id_that_was_never_used_is_ignored(trail):
    with _anchor_of(trail).open("a") as anchor:
        anchor.write(f"0 {'e' * 64} 2026-11-25\n")
    assert verify_audit(trail).ok


def test_an_anchor_given_by_path_is_the_one_read(trail, tmp_path):
    elsewhere = tmp_path / "copy-of-anchor.txt"
    elsewhere.write_text(_anchor_of(trail).read_text() + f"6 {'e' * 64} 2026-11-25\n")
    report = verify_audit(trail, elsewhere)
    assert (report.ok, report.first_bad_id) == (False, 6)


def test_an_anchor_given_by_path_that_matches_is_intact(trail, tmp_path):
    _anchor_of(trail).rename(tmp_path / "kept.txt")
    _anchor_of(trail).write_text(f"6 {'e' * 64} 2026-11-25\n")  # the one beside the database is not read
    assert verify_audit(trail, tmp_path / "kept.txt").ok


def test_the_database_is_checked_before_the_anchor(trail, raw):
    _unguarded(raw)
    raw.execute("DELETE FROM audit_log WHERE id = 5")
    report = verify_audit(trail)
    assert report.message == "Audit entry 5 was deleted from the end of the trail."


def test_no_anchor_file_means_nothing_to_check_against(trail):
    os.unlink(_anchor_of(trail))
    assert verify_audit(trail).ok


@pytest.mark.parametrize("read", [chain_head, verify_audit, lambda db: audit_history(db, DOC)],
                         ids=["chain_head", "verify_audit", "audit_history"])  # fmt: skip
def test_a_trail_that_cannot_be_read_names_the_database(trail, raw, read):
    raw.execute("ALTER TABLE audit_log RENAME TO audit_log_gone")
    path = raw.execute("PRAGMA database_list").fetchone()[2]
    with pytest.raises(StoreError) as failed:
        read(trail)
    assert str(failed.value) == f"The consent database {path} cannot be read: no such table: audit_log"
