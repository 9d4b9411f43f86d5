"""`kiosk doctor`: the start-up checks on demand, plus the slow ones, in plain words for IT.

It tightens file permissions, removes unfinished files, takes back or quarantines leftovers
(``kiosk.recovery``), then checks every saved PDF against its SHA-256
(``kiosk.store.integrity``) and the audit trail (``kiosk.store.audit.verify_audit``), and
lists the quarantine. Exit 0 when all is well (after any repairs), 4 when a problem remains
that needs a person, 2 for broken settings, 3 for a database that cannot be used. Qt-free.
"""

from __future__ import annotations

import sys
from pathlib import Path


def trust_roots_for(data_dir: Path, settings) -> list:
    """The certificate(s) whose seal counts as this kiosk's, without ever making a key: with
    no key yet there is nothing to trust, and leftovers are then only reported."""
    from kiosk.seal_key import load_seal_certificates

    return load_seal_certificates(data_dir, settings)


def run_doctor(data_dir: Path, out=None) -> int:
    out = out or sys.stdout
    from kiosk.settings import SettingsError, load_settings
    from kiosk.store import StoreError, open_database

    try:
        settings = load_settings(data_dir)
    except SettingsError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2
    try:
        db = open_database(data_dir / "kiosk.db")
    except StoreError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 3
    try:
        return _examine(db, data_dir, settings, out)
    except StoreError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 3
    finally:
        db.close()


def _examine(db, data_dir: Path, settings, out) -> int:
    from kiosk.recovery import recover
    from kiosk.store.audit import verify_audit
    from kiosk.store.integrity import check_archive
    from kiosk.store.quarantine import list_quarantine

    consents = settings.consents_path(data_dir)
    say = lambda text="": print(text, file=out)  # noqa: E731
    say(f"Data folder: {data_dir}")
    say(f"Consent folder: {consents}")
    trust = trust_roots_for(data_dir, settings)
    if not trust:
        say("! No seal key to check leftover PDFs against: they are listed, not taken back.")
    report = recover(db, data_dir, consents, trust_roots=trust, every_file=True) if trust else None
    if report is None:
        from kiosk.store.leftovers import scan_consent_folder

        scan = scan_consent_folder(db, consents)
        for path in scan.orphan_consents + scan.orphan_countersigned:
            say(f"! {path} has no record in the database.")
    else:
        for line in report.lines() or ["Nothing needed repairing."]:
            say(f"- {line}")
    problems: list[str] = []
    checked, archive_problems = check_archive(db)
    problems += archive_problems
    say(f"Checked {checked} PDF(s) against their SHA-256: {len(archive_problems)} problem(s).")
    audit_report = verify_audit(db)
    say(audit_report.message)
    if not audit_report.ok:
        problems.append(audit_report.message)
    quarantined = list_quarantine(consents)
    if quarantined:
        say(f"{len(quarantined)} file(s) in quarantine ({consents / 'quarantine'}), for IT to look at:")
        for item in quarantined:
            say(f"  {item.path.name} ({item.size} bytes, moved {item.moved_at}): {item.reason}")
    for problem in problems:
        say(f"! {problem}")
    say("All is well." if not problems else f"{len(problems)} problem(s) need a person.")
    return 0 if not problems else 4
