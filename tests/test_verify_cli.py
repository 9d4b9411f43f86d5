"""`kiosk verify FILE.pdf` as a court, the patient or IT would run it: real files, and two of
the cases in real processes (the rest in-process through the same `main`).

One data folder for the module: a consent saved the kiosk's way (sealed with the kiosk's own
key), then countersigned at the nurse station's way (an incremental update of the original)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.content import load_pack
from kiosk.documents import render_consent_pdf
from kiosk.finalise import current_audit_head, prepare_consent, prepare_countersignature, save_consent
from kiosk.seal_key import load_seal_signer
from kiosk.settings import Settings
from kiosk.store import get_consent, open_database
from kiosk.store.review import add_countersignature
from tests.cli_runs import kiosk_in_process, kiosk_process
from tests.flow.sample import complete_session

SETTINGS = Settings(hospital_name="St Elsewhere Hospital", time_zone="UTC")


def countersignature() -> dict:
    return {"clinician_name": "Dr Amara Okonkwo", "role": "Consultant interventional radiologist",
            "signed_at": "2026-11-26T09:42:17+00:00", "width": 1200, "height": 400,
            "strokes": [[[150 + i * 10, 200 + (i % 9) * 8] for i in range(60)], [[800 + 6 * i, 300 - 5 * i] for i in range(40)]]}


# Real processes for a fresh consent and for the check at another hospital; every other case
# runs the same `kiosk.cli.main` in-process (tests/cli_runs.py), 1.5 s of start-up less each.
kiosk = kiosk_in_process


@pytest.fixture(scope="module")
def kiosk_data(tmp_path_factory):
    """(data folder, original PDF, countersigned PDF, document id)."""
    data = tmp_path_factory.mktemp("data")
    (data / "settings.toml").write_text('hospital_name = "St Elsewhere Hospital"\ntime_zone = "UTC"\n')
    pack = load_pack("en")
    signer = load_seal_signer(data, SETTINGS)
    with open_database(data / "kiosk.db") as db:
        pending = prepare_consent(complete_session(pack, name="Margaret Obrien"), pack, SETTINGS, signer=signer,
                                  audit_head=current_audit_head(db))
        saved = save_consent(db, SETTINGS.consents_path(data), pending)
        row = get_consent(db, saved.document_id)
        signed = countersignature()
        pdf = prepare_countersignature(row, signed, SETTINGS, data, labels=pack.pdf_labels)
        countersigned = add_countersignature(
            db, SETTINGS.consents_path(data), saved.document_id, clinician_name=signed["clinician_name"],
            role=signed["role"], signed_at=signed["signed_at"], countersignature=signed, pdf_bytes=pdf,
            nurse="Nora Nurse")
    return data, Path(saved.pdf_path), Path(countersigned), saved.document_id


def test_a_fresh_consent_is_valid(kiosk_data):
    data, original, _, document_id = kiosk_data
    result = kiosk_process("--data-dir", str(data), "verify", str(original))
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "VALID" in out.splitlines()[0] and "Kiosk seal" in out
    assert "St Elsewhere Hospital consent kiosk" in out and "trusted" in out
    assert f"Document {document_id}: outcome consented, patient Margaret Obrien" in out
    assert "stored original" in out and "a countersigned version exists" in out
    assert "consent-record.json" in out and "Audit trail when sealed: entry" in out


def test_the_countersigned_version_is_valid_with_both_signatures(kiosk_data):
    data, original, countersigned, _ = kiosk_data
    assert countersigned.read_bytes()[:original.stat().st_size] == original.read_bytes()
    result = kiosk("--data-dir", str(data), "verify", str(countersigned))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The 2 signatures are valid" in result.stdout
    assert '"Clinician countersignature"' in result.stdout and "later changes: form filling" in result.stdout
    assert "Countersigned by Dr Amara Okonkwo (Consultant interventional radiologist)" in result.stdout
    assert "stored countersigned version" in result.stdout


def test_one_byte_changed_inside_the_signed_range_exits_4(kiosk_data, tmp_path):
    data, original, _, _ = kiosk_data
    pdf = original.read_bytes()
    at = pdf.index(b"Vertebroplasty")  # the title in the document information, signed
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(pdf[:at] + b"W" + pdf[at + 1:])
    result = kiosk("--data-dir", str(data), "verify", str(changed))
    assert result.returncode == 4, result.stdout + result.stderr
    assert "ALTERED" in result.stdout and "Kiosk seal: the signed bytes were changed" in result.stdout
    assert "not the PDF the database stored" in result.stdout


def test_an_unsigned_pdf_exits_4(kiosk_data, tmp_path):
    data, original, _, document_id = kiosk_data
    with open_database(data / "kiosk.db") as db:
        record = get_consent(db, document_id)["record"]
    plain = tmp_path / "unsigned.pdf"
    plain.write_bytes(render_consent_pdf(record, hospital_name="St Elsewhere Hospital"))
    result = kiosk("--data-dir", str(data), "verify", str(plain))
    assert result.returncode == 4
    assert "not signed" in result.stdout and "NOT VALID: it has no signature" in result.stdout


def test_a_file_that_cannot_be_read_exits_2(kiosk_data, tmp_path):
    data = kiosk_data[0]
    result = kiosk("--data-dir", str(data), "verify", str(tmp_path / "missing.pdf"))
    assert result.returncode == 2 and "cannot read" in result.stderr
    text = tmp_path / "notes.pdf"
    text.write_text("not a PDF at all")
    result = kiosk("--data-dir", str(data), "verify", str(text))
    assert result.returncode == 2 and "not a PDF" in result.stderr


def test_a_valid_pdf_that_is_not_the_stored_one_exits_4(kiosk_data, tmp_path):
    """Sealed by this kiosk, but the database row holds another file's hash."""
    data, original, _, document_id = kiosk_data
    other = tmp_path / "other"
    shutil.copytree(data, other)
    import sqlite3

    with sqlite3.connect(other / "kiosk.db") as db:
        db.execute("UPDATE consents SET pdf_sha256 = ?, countersigned_pdf_sha256 = NULL WHERE document_id = ?",
                   ["0" * 64, document_id])
    result = kiosk("--data-dir", str(other), "verify", str(original))
    assert result.returncode == 4 and "not the PDF the database stored" in result.stdout


def test_elsewhere_it_checks_the_file_alone_and_trusts_a_given_certificate(kiosk_data, tmp_path):
    """Another hospital: no kiosk data folder, only the PDF and the kiosk's certificate."""
    data, _, countersigned, _ = kiosk_data
    empty = tmp_path / "elsewhere"
    alone = kiosk_process("--data-dir", str(empty), "verify", str(countersigned))
    assert alone.returncode == 0 and "trust not checked" in alone.stdout and "No database" in alone.stdout
    assert not empty.exists()  # checking creates nothing
    trusted = kiosk("--data-dir", str(empty), "verify", str(countersigned),
                    "--trust", str(data / "seal" / "kiosk-seal-cert.pem"))
    assert trusted.returncode == 0 and "; intact, valid, trusted;" in trusted.stdout


def test_a_pdf_sealed_by_another_kiosk_is_not_trusted_here(kiosk_data, tmp_path):
    data = kiosk_data[0]
    pack = load_pack("en")
    stranger_data = tmp_path / "stranger"
    stranger = load_seal_signer(stranger_data, SETTINGS)
    pending = prepare_consent(complete_session(pack), pack, SETTINGS, signer=stranger)
    pdf = tmp_path / "stranger.pdf"
    pdf.write_bytes(pending.pdf)
    result = kiosk("--data-dir", str(data), "verify", str(pdf))
    assert result.returncode == 4 and "NOT trusted" in result.stdout and "not trusted here" in result.stdout


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) is not installed")
def test_poppler_agrees(kiosk_data):
    out = subprocess.run(["pdfsig", str(kiosk_data[2])], capture_output=True, text=True).stdout
    assert out.count("Signature is Valid.") == 2, out
