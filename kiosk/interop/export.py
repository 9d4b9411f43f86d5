"""`kiosk export fhir --since YYYY-MM-DD -o DIR`: the FHIR Bundles as files.

For hospitals that import files instead of taking a FHIR endpoint's POSTs: one
``<document_id>.json`` per consent saved on or after the date (a UTC date, as ``saved_at``
is kept), each the same transaction Bundle the FHIR target would POST
(kiosk.interop.fhir.consent_bundle). Each file is written atomically (a temporary file in
the same folder, fsync, rename, fsync of the folder), so an importer watching the folder never
reads half a Bundle; exporting again replaces the files with the consents as they are now.
No Qt.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from datetime import date
from pathlib import Path

PAGE = 200
# kiosk.interop.fhir (hashlib, fhir.resources) is imported only when a Bundle is made.
# The command line's `kiosk export fhir` is parsed in kiosk/cli.py, which imports nothing of
# this module at the kiosk's start-up.


def consent_item(row: dict, *, kiosk_id: str = ""):
    """An outbox-style item (kiosk.outbox.target.OutboxItem) for a stored consent (a
    kiosk.store.get_consent row), for code that sends or writes consents outside the outbox."""
    from kiosk.outbox.target import OutboxItem

    consent = {k: v for k, v in row.items() if k != "record"}
    consent["record_json"] = json.dumps(row["record"], ensure_ascii=False)
    return OutboxItem(id=0, kind="consent", event_id=row["document_id"], document_id=row["document_id"],
                      created_at=row.get("saved_at") or "", kiosk_id=kiosk_id, consent=consent,
                      record=row["record"])


def saved_since(db, since: date, time_zone: str = "UTC") -> list[str]:
    """The document ids of the consents saved on or after the day `since` began in `time_zone`
    (an IANA name; "" is the computer's own), oldest first."""
    from kiosk.store import list_consents

    first = day_start_utc(since, time_zone)
    found: list[str] = []
    offset = 0
    while True:
        rows = list_consents(db, limit=PAGE, offset=offset)
        found += [r["document_id"] for r in rows if r["saved_at"] >= first]
        if len(rows) < PAGE or rows[-1]["saved_at"] < first:
            return found[::-1]
        offset += PAGE


def day_start_utc(day: date, time_zone: str) -> str:
    """When `day` began in `time_zone`, as the store writes times (ISO 8601, UTC, milliseconds),
    so that it compares with `saved_at` as text."""
    from datetime import UTC, datetime, time

    if time_zone:
        from zoneinfo import ZoneInfo

        start = datetime.combine(day, time(0), tzinfo=ZoneInfo(time_zone))
    else:
        start = datetime.combine(day, time(0)).astimezone()  # the computer's own zone
    return start.astimezone(UTC).isoformat(timespec="milliseconds")


def export_fhir(db, since: date, out_dir: Path, *, kiosk_id: str = "",
                mrn_system: str | None = None, time_zone: str = "UTC") -> list[Path]:
    """Write one Bundle file per consent saved on or after `since` into `out_dir` (created if
    missing); the files written, oldest consent first. StoreError if the database cannot be
    read, OSError if a file cannot be written, DeliveryError if a PDF is missing or changed.
    `mrn_system`: the hospital's MRN system (default kiosk.interop.fhir.DEFAULT_MRN_SYSTEM)."""
    from kiosk.interop.fhir import DEFAULT_MRN_SYSTEM, consent_bundle
    from kiosk.store import get_consent

    mrn_system = mrn_system or DEFAULT_MRN_SYSTEM

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for document_id in saved_since(db, since, time_zone):
        row = get_consent(db, document_id)
        bundle = consent_bundle(consent_item(row, kiosk_id=kiosk_id), mrn_system=mrn_system)
        path = out_dir / f"{document_id}.json"
        _replace_atomically(path, json.dumps(bundle, ensure_ascii=False, indent=1).encode())
        written.append(path)
    return written


def _replace_atomically(path: Path, data: bytes) -> None:
    from kiosk.store.files import fsync_folder

    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


# ----- the command line -------------------------------------------------------------------------
def run_export(args, data_dir: Path) -> int:
    """`kiosk export fhir`: the exit code (0 written, 2 no database or broken settings, 3 the
    database or a PDF cannot be read, 1 a file cannot be written), with a plain message."""
    from kiosk.outbox.target import DeliveryError
    from kiosk.settings import SettingsError, load_settings
    from kiosk.store import StoreError, open_database

    try:
        settings = load_settings(data_dir, check_files=False)
    except SettingsError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2
    database = Path(data_dir) / "kiosk.db"
    if not database.exists():
        print(f"kiosk: there is no consent database in {data_dir}", file=sys.stderr)
        return 2
    kiosk_id = settings.kiosk_name() if hasattr(settings, "kiosk_name") else ""
    mrn_system = getattr(settings, "fhir_mrn_system", "") or None
    try:
        db = open_database(database, read_only=True)
        try:
            written = export_fhir(db, args.since, args.output, kiosk_id=kiosk_id, mrn_system=mrn_system,
                                  time_zone=settings.time_zone)  # the day as the ward lives it
        finally:
            db.close()
    except (StoreError, DeliveryError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 3
    except OSError as error:
        print(f"kiosk: cannot write to {args.output}: {error.strerror or error}", file=sys.stderr)
        return 1
    noun = "consent" if len(written) == 1 else "consents"
    print(f"Wrote {len(written)} {noun} saved since {args.since.isoformat()} as FHIR Bundles to {args.output}")
    return 0
