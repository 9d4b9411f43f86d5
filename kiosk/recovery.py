"""Recovery at start, and ``kiosk doctor``: put right what a crash or a careless copy left.

Run once the database is open, before the first patient (``kiosk.ui.window``), at the nurse
station's start, and on demand with ``kiosk doctor``. In order:

1. **Private files** - the data folder and the consent archive tightened to the kiosk's own
   account (``kiosk.store.privacy``).
2. **Unfinished files** - temporary files of killed saves removed (``kiosk.store.leftovers``).
3. **A PDF without a row** - every consent PDF carries its own record, sealed inside it
   (``consent-record.json``, see ``kiosk.documents.seal``). A PDF whose seal is intact, made
   with this kiosk's key, whose record names the same document and which lies where that
   record says is taken back into the database with ``archive_consent``: the patient's
   consent is not lost because the kiosk died between the PDF and the commit. Any other
   goes to quarantine, with the reason.
4. **A countersigned PDF the row does not name** - adopted the same way from the
   countersignature sealed in it (its first bytes must be exactly the stored original), or
   quarantined. A consent is never blocked by a leftover.

Every action is written to the audit trail (actor ``kiosk``). Nothing is ever deleted but
temporary files; files a live writer holds are left alone. Qt-free; call from the thread
that opened the database.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.documents.seal import SealError, embedded_files, verify_pdf
from kiosk.seal_key import load_seal_certificates
from kiosk.store import AlreadySavedError, StoreError, archive_consent, get_consent
from kiosk.store.audit import audit
from kiosk.store.consents import pdf_path_for
from kiosk.store.files import locked_if_free
from kiosk.store.leftovers import consent_id_of, has_row, remove_stale_temporaries, scan_consent_folder
from kiosk.store.privacy import make_private
from kiosk.store.quarantine import quarantine
from kiosk.store.review import add_countersignature

log = logging.getLogger(__name__)

ACTOR = "kiosk"


@dataclass
class RecoveryReport:
    """What recovery found and did; ``lines()`` says it in plain English."""
    tightened: list[str] = field(default_factory=list)
    removed_temporaries: list[Path] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)  # document ids taken back
    adopted_countersigned: list[str] = field(default_factory=list)
    quarantined: list[tuple[Path, str]] = field(default_factory=list)  # (new path, reason)
    in_flight: int = 0  # files a live writer held: left alone
    consent_files: int = 0

    @property
    def changed_anything(self) -> bool:
        return bool(self.tightened or self.removed_temporaries or self.adopted
                    or self.adopted_countersigned or self.quarantined)

    def lines(self) -> list[str]:
        said = list(self.tightened)
        if self.removed_temporaries:
            said.append(f"Removed {_count(len(self.removed_temporaries), 'unfinished temporary file')} "
                        "left by interrupted saves.")
        said += [f"Took consent {d} back into the database from its sealed PDF." for d in self.adopted]
        said += [f"Took the countersignature of consent {d} back into the database from its sealed PDF."
                 for d in self.adopted_countersigned]
        said += [f"Moved {p.name} to quarantine ({p.parent}): {reason}" for p, reason in self.quarantined]
        if self.in_flight:
            said.append(f"Left {_count(self.in_flight, 'file')} alone: being saved right now.")
        return said


def recover(db, data_dir: Path, consents_dir: Path, *, trust_roots: list, every_file: bool = False,
            now: float | None = None) -> RecoveryReport:
    """Run the checks above on ``data_dir`` and ``consents_dir``; what was done.

    ``trust_roots``: the certificates whose seal is accepted for adoption (the kiosk's own,
    from ``kiosk.seal_key``). Raises ``kiosk.store.StoreError`` only when the database itself
    cannot be read or written; a single bad file never stops recovery. ``now`` (seconds since
    the epoch, default the clock) decides which temporary files are past their grace second."""
    report = RecoveryReport()
    report.tightened = make_private(data_dir, consents_dir, every_file=every_file)
    if report.tightened:
        audit(db, actor=ACTOR, action="permissions_tightened", detail={"changes": report.tightened})
    scan = scan_consent_folder(db, consents_dir)
    report.consent_files = scan.consent_files
    report.removed_temporaries = remove_stale_temporaries(scan.temporaries, now=now)
    if report.removed_temporaries:
        audit(db, actor=ACTOR, action="temporary_files_removed",
              detail={"files": [str(p) for p in report.removed_temporaries]})
    report.in_flight = len(scan.temporaries) - len(report.removed_temporaries)
    for path in scan.orphan_consents:
        _take_back_consent(db, consents_dir, path, trust_roots, report)
    for path in scan.orphan_countersigned:
        _take_back_countersignature(db, consents_dir, path, trust_roots, report)
    for line in report.lines():
        log.warning("Recovery: %s", line)
    return report


def _take_back_consent(db, consents_dir: Path, path: Path, trust_roots: list, report: RecoveryReport) -> None:
    document_id = consent_id_of(path)
    with locked_if_free(path) as free:
        if not free:
            report.in_flight += 1
            return
        if has_row(db, document_id):  # committed meanwhile by the writer that held it
            return
        data = path.read_bytes()
        record, problem = _sealed_json(data, "consent-record.json", trust_roots)
        if problem is None and record.get("document_id") != document_id:
            problem = f"the record sealed inside it is for another consent ({record.get('document_id')!r})"
        if problem is None and pdf_path_for(consents_dir, record) != path.absolute():
            problem = "it is not where its record says it belongs"
        if problem is not None:
            moved = _move_aside(consents_dir, path, f"A consent PDF with no record in the database, and {problem}.")
    if problem is not None:  # audited outside the file's lock: locks are taken file, then database
        _audit_quarantine(db, path, moved, document_id, report)
        return
    try:  # outside the lock: archive_consent takes it itself
        archive_consent(db, consents_dir, record, data)
    except AlreadySavedError:
        return
    audit(db, actor=ACTOR, action="consent_recovered", document_id=document_id,
          detail={"pdf": str(path), "pdf_sha256": hashlib.sha256(data).hexdigest()})
    report.adopted.append(document_id)


def _take_back_countersignature(db, consents_dir: Path, path: Path, trust_roots: list,
                                report: RecoveryReport) -> None:
    document_id = consent_id_of(path)
    with locked_if_free(path) as free:
        if not free:
            report.in_flight += 1
            return
        row = get_consent(db, document_id)
        if row is not None and row.get("countersigned_pdf_path") == str(path):
            return
        data = path.read_bytes()
        signature, problem = _sealed_json(data, "countersignature.json", trust_roots)
        if problem is None:
            problem = _countersign_problem(row, data, path)
        if problem is not None:
            moved = _move_aside(consents_dir, path, f"A countersigned PDF its record does not name, and {problem}.")
    if problem is not None:
        _audit_quarantine(db, path, moved, document_id, report)
        return
    try:
        add_countersignature(
            db, consents_dir, document_id, clinician_name=signature["clinician_name"], role=signature["role"],
            signed_at=signature["signed_at"], countersignature=signature, pdf_bytes=data,
            nurse=str(signature.get("nurse") or f"{ACTOR} (recovered)"))
    except StoreError as error:
        log.warning("Recovery: countersignature of %s not taken back: %s", document_id, error)
        return
    audit(db, actor=ACTOR, action="countersignature_recovered", document_id=document_id,
          detail={"pdf": str(path), "pdf_sha256": hashlib.sha256(data).hexdigest()})
    report.adopted_countersigned.append(document_id)


def _countersign_problem(row: dict | None, data: bytes, path: Path) -> str | None:
    if row is None:
        return "there is no record of its consent"
    if row.get("countersigned_pdf_path"):
        return "its consent is already countersigned in another file"
    if row["outcome"] != "consented" or row.get("void"):
        return "its consent cannot be countersigned (not consented, or void)"
    try:
        original = Path(row["pdf_path"]).read_bytes()
    except OSError:
        return "the patient-signed original it must start with cannot be read"
    if hashlib.sha256(original).hexdigest() != row["pdf_sha256"] or not data.startswith(original):
        return "it does not start with the patient-signed original, byte for byte"
    return None


def _sealed_json(data: bytes, name: str, trust_roots: list) -> tuple[dict | None, str | None]:
    """The JSON attachment ``name`` of a PDF whose seal is intact and trusted, or the problem."""
    try:
        report = verify_pdf(data, trust_roots)
        files = embedded_files(data)
    except SealError as error:
        return None, f"it cannot be read as a sealed PDF ({error})"
    if not report.ok:
        return None, f"its seal does not hold: {report.summary}"
    if not report.trusted:
        return None, "it was not sealed with this kiosk's key"
    if name not in files:
        return None, f"it carries no {name}"
    try:
        value = json.loads(files[name].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, f"its {name} cannot be read"
    if not isinstance(value, dict):
        return None, f"its {name} is not a record"
    return value, None


def _move_aside(consents_dir: Path, path: Path, reason: str) -> tuple[Path, str]:
    return quarantine(consents_dir, path, reason), reason


def _audit_quarantine(db, path: Path, moved: tuple[Path, str], document_id: str | None,
                      report: RecoveryReport) -> None:
    """Audited after the file's lock is released: a countersigning station holds the database
    lock while it waits for a file lock, so recovery must never wait for the database while
    it holds one."""

    new_path, reason = moved
    report.quarantined.append((new_path, reason))
    audit(db, actor=ACTOR, action="file_quarantined", document_id=document_id,
          detail={"from": str(path), "to": str(new_path), "reason": reason})


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def recover_at_start(db, data_dir: Path, settings, *, now: float | None = None) -> RecoveryReport | None:
    """What the kiosk and the nurse station run once their database is open: ``recover``
    with this kiosk's own certificates as the trust roots (none yet: leftovers wait).

    Never raises: a failure is logged (``kiosk doctor`` says more) and returns None, because
    nothing here may keep the kiosk from its patients."""


    try:
        trust = load_seal_certificates(data_dir, settings)
        consents = settings.consents_path(data_dir)
        if not trust:
            from kiosk.store.privacy import make_private

            return RecoveryReport(tightened=make_private(data_dir, consents))
        return recover(db, data_dir, consents, trust_roots=trust, now=now)
    except Exception as error:  # noqa: BLE001
        log.error("Recovery at start did not finish", exc_info=True)
        print(f"kiosk: recovery at start did not finish: {error}", file=sys.stderr)
        return None
