"""The audit trail: an append-only hash chain that names the entry someone tampered with."""

import hashlib
import json

import pytest

from kiosk.store import StoreError
from kiosk.store.audit import GENESIS, audit, audit_history, verify_audit

DOC = "7d0c2c9e-6f0e-4a0e-9d61-2b7b0f0b7a11"


@pytest.fixture
def trail(fresh_db):
    """Five entries, ids 1 to 5."""
    for n in range(1, 6):
        audit(
            fresh_db, actor="Anna Lee", action="view_record", document_id=DOC,
            detail={"n": n, "note": "Zoë"}, at=f"2026-11-25T14:0{n}:00+01:00",
        )  # fmt: skip
    return fresh_db


def _unguarded(raw):
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("DROP TRIGGER audit_log_no_delete")


def _rows(db):
    return list(db.query("SELECT * FROM audit_log ORDER BY id"))


def test_entry_ids_count_from_one(fresh_db):
    assert audit(fresh_db, actor="Anna Lee", action="sign_out") == 1
    assert audit(fresh_db, actor="Anna Lee", action="sign_out") == 2


def test_first_entry_follows_64_zeros(trail):
    assert _rows(trail)[0]["prev_hash"] == GENESIS == "0" * 64


def test_hash_is_sha256_of_prev_hash_and_canonical_json(trail):
    for row in _rows(trail):
        content = [row["id"], row["at"], row["actor"], row["action"], row["document_id"],
                   json.loads(row["detail"])]  # fmt: skip
        canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        expected = hashlib.sha256((row["prev_hash"] + canonical).encode()).hexdigest()
        assert row["hash"] == expected


def test_each_entry_links_to_the_one_before(trail):
    rows = _rows(trail)
    assert [r["prev_hash"] for r in rows[1:]] == [r["hash"] for r in rows[:-1]]


def test_intact_chain_verifies(trail):
    report = verify_audit(trail)
    assert (report.ok, report.entries, report.first_bad_id) == (True, 5, None)
    assert report.message == "Audit trail intact: 5 entries."


def test_empty_trail_verifies(fresh_db):
    assert verify_audit(fresh_db).ok


def test_entry_without_time_gets_now_with_an_offset(fresh_db):
    audit(fresh_db, actor="Anna Lee", action="sign_out")
    at = _rows(fresh_db)[0]["at"]
    assert at.endswith("+00:00") and at.startswith("20")


@pytest.mark.parametrize(
    "sql, message",
    [
        ("UPDATE audit_log SET detail = '{}' WHERE id = 2", "cannot be changed"),
        ("DELETE FROM audit_log WHERE id = 2", "cannot be deleted"),
    ],
)
def test_triggers_refuse_update_and_delete(trail, raw, sql, message):
    with pytest.raises(Exception, match=message):
        raw.execute(sql)
    assert verify_audit(trail).ok


def test_changed_detail_is_named(trail, raw):
    _unguarded(raw)
    raw.execute("""UPDATE audit_log SET detail = '{"n":3,"note":"Zoe"}' WHERE id = 3""")
    report = verify_audit(trail)
    assert (report.ok, report.first_bad_id) == (False, 3)
    assert "entry 3 was changed" in report.message


@pytest.mark.parametrize("column, value", [("actor", "Ben Ode"), ("at", "2026-11-24T09:00:00+01:00"),
                                           ("action", "print"), ("document_id", None)])  # fmt: skip
def test_any_changed_column_is_named(trail, raw, column, value):
    _unguarded(raw)
    raw.execute(f"UPDATE audit_log SET {column} = ? WHERE id = 4", [value])
    report = verify_audit(trail)
    assert (report.ok, report.first_bad_id) == (False, 4)


def test_change_with_a_recomputed_hash_is_still_named(trail, raw):
    _unguarded(raw)
    row = _rows(trail)[2]
    detail = {"n": 3, "note": "nothing to see"}
    canonical = json.dumps([3, row["at"], row["actor"], row["action"], row["document_id"], detail],
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"))  # fmt: skip
    forged = hashlib.sha256((row["prev_hash"] + canonical).encode()).hexdigest()
    raw.execute("UPDATE audit_log SET detail = ?, hash = ? WHERE id = 3",
                [json.dumps(detail, sort_keys=True, separators=(",", ":")), forged])  # fmt: skip
    report = verify_audit(trail)
    assert (report.ok, report.first_bad_id) == (False, 3)
    assert "entry 3 was changed" in report.message


@pytest.mark.parametrize(
    "deleted, first_bad_id, words",
    [
        ("id = 3", 3, "entry 3 was deleted (entry 4 follows entry 2)"),
        ("id = 1", 1, "entry 1 was deleted (the trail starts at entry 2)"),
        ("id IN (2, 3)", 2, "entries 2 to 3 were deleted"),
        ("id >= 4", 4, "entries 4 to 5 were deleted from the end"),
    ],
    ids=["middle", "first", "two", "newest"],
)
def test_deleted_entries_are_named(trail, raw, deleted, first_bad_id, words):
    _unguarded(raw)
    raw.execute(f"DELETE FROM audit_log WHERE {deleted}")
    report = verify_audit(trail)
    assert (report.ok, report.first_bad_id) == (False, first_bad_id)
    assert words in report.message


def test_new_entries_never_cover_a_deleted_one(trail, raw):
    _unguarded(raw)
    raw.execute("DELETE FROM audit_log WHERE id = 5")
    assert audit(trail, actor="Anna Lee", action="sign_out") == 6
    assert verify_audit(trail).first_bad_id == 5


def test_swapped_entries_are_named(trail, raw):
    _unguarded(raw)
    raw.execute("UPDATE audit_log SET id = -4 WHERE id = 4")
    raw.execute("UPDATE audit_log SET id = 4 WHERE id = 3")
    raw.execute("UPDATE audit_log SET id = 3 WHERE id = -4")
    report = verify_audit(trail)
    assert (report.ok, report.first_bad_id) == (False, 3)
    assert "entry 3 is out of order" in report.message


def test_a_removed_guard_is_reported(trail, raw):
    raw.execute("DROP TRIGGER audit_log_no_delete")
    report = verify_audit(trail)
    assert (report.ok, report.first_bad_id) == (False, None)
    assert "audit_log_no_delete" in report.message and "5 entries" in report.message


def test_history_is_one_documents_entries_oldest_first(trail):
    audit(trail, actor="Ben Ode", action="print", document_id="another")
    history = audit_history(trail, DOC)
    assert [h["detail"]["n"] for h in history] == [1, 2, 3, 4, 5]
    assert set(history[0]) == {"id", "at", "actor", "action", "document_id", "detail"}


def test_history_of_an_unknown_document_is_empty(trail):
    assert audit_history(trail, "unknown") == []


@pytest.mark.parametrize(
    "changes",
    [{"actor": ""}, {"action": "  "}, {"actor": None}, {"detail": ["a"]},
     {"detail": {"when": object()}}, {"at": "yesterday"}, {"document_id": 7}],
)  # fmt: skip
def test_bad_entries_are_refused(fresh_db, changes):
    with pytest.raises(StoreError, match="audit entry was not written"):
        audit(fresh_db, **{"actor": "Anna Lee", "action": "print", **changes})
    assert fresh_db["audit_log"].count == 0


def test_refused_inside_an_open_transaction(fresh_db):
    with pytest.raises(StoreError, match="transaction"), fresh_db.atomic():
        audit(fresh_db, actor="Anna Lee", action="print")
    assert fresh_db["audit_log"].count == 0
