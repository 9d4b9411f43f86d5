"""`kiosk export fhir --since DATE -o DIR`: one valid Bundle file per consent saved since the date."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.interop.export import consent_item, export_fhir, run_export
from kiosk.interop.fhir import consent_bundle


@pytest.fixture(scope="module")
def fhir_dated(fhir_demo):
    """The demo's consents, three of them moved to earlier save days (as if saved then)."""
    today = datetime.now(UTC).date()
    ids = [item.document_id for item in fhir_demo.items]
    older = {ids[0]: today - timedelta(days=10), ids[1]: today - timedelta(days=3), ids[2]: today - timedelta(days=2)}
    with fhir_demo.db.conn:
        for document_id, day in older.items():
            fhir_demo.db.conn.execute("UPDATE consents SET saved_at = ? WHERE document_id = ?",
                                      [f"{day.isoformat()}T09:30:00.000+00:00", document_id])
    return today, ids, older


def test_one_valid_bundle_file_per_consent_since_the_date_and_none_before(fhir_demo, fhir_dated, tmp_path):
    from fhir.resources.R4B.bundle import Bundle

    today, ids, older = fhir_dated
    since = today - timedelta(days=3)
    written = export_fhir(fhir_demo.db, since, tmp_path / "out")
    expected = [i for i in ids if older.get(i, today) >= since]
    assert sorted(p.name for p in written) == sorted(f"{i}.json" for i in expected)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)  # no temp files
    for path in written:
        bundle = json.loads(path.read_text())
        Bundle.model_validate(bundle)
        from kiosk.store import get_consent

        row = get_consent(fhir_demo.db, path.stem)
        assert bundle == consent_bundle(consent_item(row))
        kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
        assert "Consent" in kinds and ("DocumentReference" in kinds) == bool(row["pdf_path"])
    assert ids[0] not in {p.stem for p in written}


def test_a_date_after_every_consent_writes_nothing(fhir_demo, fhir_dated, tmp_path):
    today, _, _ = fhir_dated
    assert export_fhir(fhir_demo.db, today + timedelta(days=1), tmp_path) == []


def test_exporting_again_replaces_the_files(fhir_demo, fhir_dated, tmp_path):
    today, _, _ = fhir_dated
    first = export_fhir(fhir_demo.db, today, tmp_path)
    (tmp_path / first[0].name).write_text("stale")
    again = export_fhir(fhir_demo.db, today, tmp_path)
    assert again == first and json.loads(again[0].read_text())["resourceType"] == "Bundle"


def test_the_command(fhir_demo, fhir_dated, tmp_path, capsys):
    today, ids, older = fhir_dated
    from kiosk.cli import build_parser

    parser = build_parser()  # the kiosk's own command line
    args = parser.parse_args(["export", "fhir", "--since", (today - timedelta(days=2)).isoformat(),
                              "-o", str(tmp_path / "bundles")])
    assert run_export(args, fhir_demo.data_dir) == 0
    count = len([i for i in ids if older.get(i, today) >= today - timedelta(days=2)])
    assert f"Wrote {count} consents" in capsys.readouterr().out
    assert len(list((tmp_path / "bundles").glob("*.json"))) == count
    with pytest.raises(SystemExit):
        parser.parse_args(["export", "fhir", "--since", "4 December", "-o", "x"])
    assert run_export(args, tmp_path / "no-such-folder") == 2


def test_since_is_the_day_as_the_ward_lives_it():
    """`--since 2026-07-01` in London begins at 23:00 UTC the evening before (summer time): a
    consent saved at 23:30 UTC on 30 June was saved on 1 July on the ward."""
    from datetime import date

    from kiosk.interop.export import day_start_utc

    assert day_start_utc(date(2026, 7, 1), "Europe/London") == "2026-06-30T23:00:00.000+00:00"
    assert day_start_utc(date(2026, 1, 1), "Europe/London") == "2026-01-01T00:00:00.000+00:00"
    assert day_start_utc(date(2026, 7, 1), "UTC") == "2026-07-01T00:00:00.000+00:00"
    assert "2026-06-30T23:30:00.000+00:00" >= day_start_utc(date(2026, 7, 1), "Europe/London")
