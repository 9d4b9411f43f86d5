"""The CSV export through the review layer: all or filtered, saying which and how many, with
MRN, identity checker (by name), countersigner and void reason; formula-safe; audited."""

from __future__ import annotations

import csv

import pytest

from kiosk.review import ReviewError
from kiosk.review.actions import check_identity, countersign, void
from kiosk.review.export import describe_filter, export_csv, record_export, write_export
from kiosk.store.queue import EXPORT_COLUMNS, QueueFilter
from tests.review.test_actions import PAD, STROKES


def read(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def test_all_writes_every_consent_whatever_the_queue_shows(ctx, ids):
    result = export_csv(ctx, QueueFilter(search="Ann"), scope="all")
    assert (result.rows, result.filter_text, result.scope) == (5, "all consents", "all")
    assert len(read(result.path)) == 5
    assert result.path.parent == ctx.data_dir / "exports"
    assert result.message == f"Saved 5 consents (all consents) to {result.path}."


def test_filtered_writes_only_what_the_queue_shows_and_says_which_filter(ctx, ids):
    result = export_csv(ctx, QueueFilter(outcome="declined", search="Edith"), scope="filtered")
    assert result.rows == 1 and [r["patient_name"] for r in read(result.path)] == ["Edith Clarke"]
    assert result.filter_text == "outcome: Declined, search: \u201cEdith\u201d"
    assert result.message.startswith("Saved 1 consent (outcome: Declined, search: \u201cEdith\u201d) to ")


def test_an_unknown_scope_is_refused_and_writes_nothing(ctx):
    with pytest.raises(ReviewError, match="all consents or only the ones the queue shows"):
        export_csv(ctx, QueueFilter(), scope="some")
    assert not (ctx.data_dir / "exports").exists()


def test_the_csv_carries_mrn_checker_countersigner_and_void_reason(ctx, ids, tmp_path):
    check_identity(ctx, ids["Ann Lee"], "40512")
    countersign(ctx, ids["Ann Lee"], clinician_name="Dr Kim", role="doctor", strokes=STROKES, **PAD)
    void(ctx, ids["Edith Clarke"], "=HYPERLINK(\"http://x\")")  # typed by a person: never run as a formula
    rows = {r["document_id"]: r for r in read(export_csv(ctx, None, scope="all", path=tmp_path / "q.csv").path)}
    assert tuple(rows[ids["Ann Lee"]]) == EXPORT_COLUMNS
    ann, edith = rows[ids["Ann Lee"]], rows[ids["Edith Clarke"]]
    assert (ann["mrn"], ann["identity_checked_by"]) == ("40512", "Nora Nurse")  # the name, not "nurse:1"
    assert (ann["countersigned_by"], ann["countersigned_role"]) == ("Dr Kim", "Doctor")
    assert edith["void_reason"] == "'=HYPERLINK(\"http://x\")" and edith["voided_by"] == "Nora Nurse"


def test_the_export_is_audited_with_scope_rows_and_filter(ctx, entries):
    result = export_csv(ctx, QueueFilter(outcome="consented"), scope="filtered")
    [entry] = entries("export_csv")
    assert entry["actor"] == f"nurse:{ctx.account.id}"
    assert entry["detail"]["rows"] == result.rows == 2 and entry["detail"]["scope"] == "filtered"
    assert entry["detail"]["filter"] == {"outcome": "consented"}
    assert entry["detail"]["filter_text"] == "outcome: Consented"


def test_the_worker_half_reads_on_its_own_connection_and_the_audit_comes_after(ctx, entries, tmp_path):
    written = write_export(ctx.data_dir / "kiosk.db", QueueFilter(), scope="all", path=tmp_path / "w.csv",
                           texts=ctx.texts)
    assert written.rows == 5 and len(read(written.path)) == 5 and not entries("export_csv")
    assert record_export(ctx, written).message.startswith("Saved 5 consents")
    assert len(entries("export_csv")) == 1


def test_an_existing_file_is_never_overwritten(ctx, tmp_path):
    (tmp_path / "q.csv").write_text("keep me")
    with pytest.raises(ReviewError, match="already exists"):
        export_csv(ctx, None, scope="all", path=tmp_path / "q.csv")
    assert (tmp_path / "q.csv").read_text() == "keep me"


@pytest.mark.parametrize("flt, text", [
    (QueueFilter(), "all consents"),
    (QueueFilter(flag="help", review_state="void"), "flag: Asked for help, review: Void"),
    (QueueFilter(date_from="2026-11-18", date_to="2026-11-25"), "from 2026-11-18, to 2026-11-25"),
    (QueueFilter(sort="patient_name", descending=False), "all consents, sorted by patient"),
])
def test_the_filter_in_plain_words(ctx, flt, text):
    assert describe_filter(ctx.texts, flt) == text


def test_two_exports_in_the_same_second_get_two_files(ctx):
    from kiosk.review.export import export_csv

    first = export_csv(ctx, None, scope="all")
    second = export_csv(ctx, None, scope="all")
    assert first.path != second.path and first.path.exists() and second.path.exists()
    assert second.path.name.endswith("-2.csv")


def test_the_export_written_by_a_child_process_is_the_same_and_says_the_same(ctx, data):
    from kiosk.review.export import export_path, record_export, write_export_apart
    from kiosk.store.database import database_file
    from kiosk.store.queue import QueueFilter

    db = data[1]
    result = write_export_apart(database_file(db), QueueFilter(outcome="declined"), scope="filtered",
                                path=export_path(ctx), texts=ctx.texts)
    assert result.rows == 1 and result.filter_text == "outcome: Declined" and result.path.exists()
    assert record_export(ctx, result).message.startswith("Saved 1 consent (outcome: Declined) to ")


def test_a_refusal_in_the_child_process_comes_back_as_a_review_error(ctx, data):
    import pytest

    from kiosk.review import ReviewError
    from kiosk.review.export import export_path, write_export_apart
    from kiosk.store.database import database_file

    path = export_path(ctx)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("already here")
    with pytest.raises(ReviewError, match="already exists"):
        write_export_apart(database_file(data[1]), None, scope="all", path=path, texts=ctx.texts)
