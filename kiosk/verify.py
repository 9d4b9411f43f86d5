"""`kiosk verify FILE.pdf`: is this consent PDF the one the kiosk sealed, unchanged?

Checks every signature (the kiosk's seal, the clinician's countersignature), says who signed,
when and what (document ID, outcome, patient from the sealed consent record), and, when the
data folder has a kiosk.db, that the file is the stored original or the stored countersigned
version of that consent. Exit codes: 0 valid; 4 altered, unsigned, signed by a key this kiosk
does not trust, or not the file the database stored; 2 the file (or database) cannot be read.
No Qt here; nothing is written.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

VALID, ALTERED, UNREADABLE = 0, 4, 2


def _settings(data_dir: Path):
    """The kiosk's settings if it has a settings file; never creates one (a court's computer)."""
    from kiosk.settings import SETTINGS_FILE, Settings, SettingsError, load_settings

    if not (data_dir / SETTINGS_FILE).is_file():
        return Settings()
    try:
        return load_settings(data_dir)
    except SettingsError as error:
        print(f"kiosk: warning: {error} (checking with the kiosk's own certificate only)", file=sys.stderr)
        return Settings()


def _trust_roots(data_dir: Path, trust: list[Path]) -> tuple[list[bytes], list[str]]:
    from kiosk.seal_key import CERT_FILE, load_seal_certificates, seal_folder

    roots, named = [], []
    for path in trust:
        roots.append(Path(path).read_bytes())
        named.append(str(path))
    own = load_seal_certificates(data_dir, _settings(data_dir))
    if own:
        roots += own
        named.append(f"this kiosk's ({seal_folder(data_dir) / CERT_FILE})")
    return roots, named


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").strip() if moment else "time not given"


def _size(count: int) -> str:
    return f"{count} bytes" if count < 10_240 else f"{count // 1024} KiB"


def verify_pdf_file(data_dir: Path, pdf_path: Path, trust: list[Path] | None = None) -> int:
    """Print what `pdf_path` is and whether it is intact; return the exit code (0, 4 or 2)."""
    from kiosk.documents.seal import SealError, document_metadata, embedded_files, verify_pdf

    try:
        pdf = Path(pdf_path).read_bytes()
    except OSError as error:
        print(f"kiosk: cannot read {pdf_path}: {error.strerror or error}", file=sys.stderr)
        return UNREADABLE
    if not pdf.lstrip()[:5] == b"%PDF-":
        print(f"kiosk: {pdf_path} is not a PDF file.", file=sys.stderr)
        return UNREADABLE
    try:
        roots, trusted_names = _trust_roots(data_dir, list(trust or []))
    except (OSError, ValueError) as error:
        print(f"kiosk: a certificate to trust cannot be read: {error}", file=sys.stderr)
        return UNREADABLE
    try:
        report = verify_pdf(pdf, roots)
        files = embedded_files(pdf)
        metadata = document_metadata(pdf)
    except SealError as error:  # starts like a PDF but cannot be parsed: damaged
        print(f"{pdf_path}: ALTERED or damaged: {error}")
        return ALTERED
    except (TypeError, ValueError) as error:
        print(f"kiosk: a certificate to trust is not a certificate: {error}", file=sys.stderr)
        return UNREADABLE

    failures = list(report.problems)
    if not report.signatures:
        failures.append("it has no signature")
    print(f"{pdf_path}: {'VALID' if report.ok else 'NOT VALID'}. {report.summary}")
    for number, check in enumerate(report.signatures, start=1):
        trusted = "trusted" if check.trusted else ("NOT trusted" if roots else "trust not checked")
        state = ", ".join(["intact" if check.intact else "CHANGED", "valid" if check.valid else "INVALID", trusted])
        print(f"  Signature {number}, \"{check.field_name}\": by {check.signer}, {_when(check.signed_at)}; {state}; "
              f"covers bytes 0-{check.signed_to} of {report.file_size}; "
              f"later changes: {check.modifications}{'' if check.modifications_ok else ' (NOT allowed)'}.")
        if check.reason:
            print(f"    Reason: {check.reason}")
    if roots and report.signatures and not report.trusted:
        failures.append("a signature was made with a certificate that is not trusted here")
    if not roots and report.signatures:
        print("  No certificate to trust was found (no kiosk data folder here, and no --trust): the "
              "signatures show the file is unchanged since signing, not who holds the key.")
    elif trusted_names:
        print(f"  Trusted certificates: {', '.join(trusted_names)}.")

    record = _json_file(files, "consent-record.json")
    if files:
        print("  Attachments: " + ", ".join(f"{name} ({_size(len(data))})" for name, data in sorted(files.items())))
    if record:
        patient = record.get("patient") or {}
        born = f" (born {patient['date_of_birth']})" if patient.get("date_of_birth") else ""
        print(f"  Document {record.get('document_id')}: outcome {record.get('outcome')}, "
              f"patient {patient.get('full_name') or 'not named'}{born}.")
    if metadata.get("KioskAuditHead"):
        print(f"  Audit trail when sealed: entry {metadata['KioskAuditHead']}.")
    if countersigned := _json_file(files, "countersignature.json"):
        print(f"  Countersigned by {countersigned.get('clinician_name')} ({countersigned.get('role')}) "
              f"at {countersigned.get('signed_at')}.")

    status = _check_row(data_dir, pdf, record, failures)
    if status is not None:
        return status
    if failures:
        print("NOT VALID: " + "; ".join(failures) + ".")
        return ALTERED
    return VALID


def _json_file(files: dict[str, bytes], name: str) -> dict | None:
    """An attached JSON object, or None if it is missing or not an object."""
    try:
        found = json.loads(files[name])
    except (KeyError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def _check_row(data_dir: Path, pdf: bytes, record: dict | None, failures: list[str]) -> int | None:
    """Compare with kiosk.db's row, when there is a database and a document ID; adds to
    `failures`. Returns an exit code only when the database cannot be read."""
    from kiosk.store import StoreError
    from kiosk.store.verify_row import find_pdf_row

    db_path = data_dir / "kiosk.db"
    if not db_path.is_file():
        print(f"  No database at {db_path}: the file was checked on its own.")
        return None
    document_id = (record or {}).get("document_id")
    if not document_id:
        print("  The PDF carries no consent record, so it was not looked up in the database.")
        return None
    try:
        row = find_pdf_row(db_path, str(document_id))
    except StoreError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return UNREADABLE
    if row is None:
        print(f"  The database {db_path} has no consent {document_id}: it was saved by another kiosk, or its row is lost.")
        return None
    digest = hashlib.sha256(pdf).hexdigest()
    if digest == row.get("pdf_sha256"):
        later = " (a countersigned version exists)" if row.get("countersigned_pdf_sha256") else ""
        print(f"  Database: this is the stored original of consent {document_id}{later}.")
    elif digest == row.get("countersigned_pdf_sha256"):
        print(f"  Database: this is the stored countersigned version of consent {document_id}.")
    else:
        failures.append(f"it is not the PDF the database stored for consent {document_id} "
                        f"(neither pdf_sha256 nor countersigned_pdf_sha256 matches)")
    if row.get("void"):
        print(f"  Note: this consent is VOID in the database ({row.get('void_reason') or 'no reason given'}).")
    return None
