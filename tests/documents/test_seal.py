"""The seal on every consent PDF: a PAdES signature made with the kiosk's own key, checked by
pyHanko and by poppler's pdfsig, with the consent record attached and the audit head noted."""

import datetime
import json
import shutil
import statistics
import subprocess
import time

import pytest
from consent_records import HOSPITAL, RECORDS
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.documents import render_consent, render_consent_pdf
from kiosk.documents.countersignature import countersign_consent
from kiosk.documents.seal import (
    SealError, SealSigner, countersign_pdf, document_metadata, embedded_files, new_seal_identity, seal_pdf,
    verify_pdf,
)
from test_countersigned import countersignature

from tests.seal_files import hospital_pkcs12

AUDIT_HEAD = "41:" + "9f2c" * 16


@pytest.fixture(scope="module")
def identity() -> tuple[bytes, bytes]:
    return new_seal_identity(HOSPITAL)


@pytest.fixture(scope="module")
def signer(identity) -> SealSigner:
    return SealSigner.from_pem(*identity)


@pytest.fixture(scope="module")
def record() -> dict:
    return RECORDS["consented"]()


@pytest.fixture(scope="module")
def record_bytes(record) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, allow_nan=False).encode()


@pytest.fixture(scope="module")
def rendered(record):
    return render_consent(record, hospital_name=HOSPITAL)


@pytest.fixture(scope="module")
def sealed(rendered, signer, record_bytes) -> bytes:
    return seal_pdf(rendered.pdf, signer, attachments={"consent-record.json": record_bytes},
                    metadata={"KioskAuditHead": AUDIT_HEAD}, reserve_fields=[rendered.countersignature_field],
                    location=HOSPITAL)


@pytest.fixture(scope="module")
def countersigned(sealed, record, signer) -> bytes:
    return countersign_consent(sealed, record, countersignature(), signer)


def flip(pdf: bytes, at: int) -> bytes:
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1:]


# ----- the identity --------------------------------------------------------------------------
def test_the_kiosk_identity_is_a_ten_year_ec_p256_certificate_naming_the_hospital(identity):
    key_pem, cert_pem = identity
    key = serialization.load_pem_private_key(key_pem, password=None)
    cert = x509.load_pem_x509_certificate(cert_pem)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    assert cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == f"{HOSPITAL} consent kiosk"
    assert cert.issuer == cert.subject
    years = (cert.not_valid_after_utc - cert.not_valid_before_utc).days / 365.25
    assert 9.9 < years < 10.1
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign


def test_a_long_hospital_name_still_makes_a_certificate():
    _, cert_pem = new_seal_identity("The Royal Infirmary of " + "Somewhere Very Far Away " * 4)
    name = x509.load_pem_x509_certificate(cert_pem).subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    assert len(name[0].value) <= 64 and name[0].value.endswith("consent kiosk")


def test_a_key_and_a_certificate_that_do_not_belong_together_are_refused(identity):
    other_key, _ = new_seal_identity(HOSPITAL)
    with pytest.raises(SealError, match="does not belong"):
        SealSigner.from_pem(other_key, identity[1])


def test_a_hospitals_pkcs12_certificate_seals_and_verifies(rendered):
    data, cert = hospital_pkcs12(b"correct horse", "St Mary's Hospital document signing")
    hospital = SealSigner.from_pkcs12(data, "correct horse")
    assert hospital.subject == "St Mary's Hospital document signing"
    pdf = seal_pdf(rendered.pdf, hospital, attachments={}, metadata={})
    report = verify_pdf(pdf, [cert])
    assert report.ok and report.trusted and report.signatures[0].signer == hospital.subject


@pytest.mark.parametrize("password", ["wrong", None])
def test_a_wrong_pkcs12_password_gives_a_plain_message(password):
    data, _ = hospital_pkcs12(b"correct horse")
    with pytest.raises(SealError, match="password is wrong"):
        SealSigner.from_pkcs12(data, password)


def test_a_file_that_is_not_pkcs12_gives_a_plain_message():
    with pytest.raises(SealError, match="not a PKCS#12"):
        SealSigner.from_pkcs12(b"-----BEGIN CERTIFICATE-----\nnot really\n", "x")


# ----- sealing -------------------------------------------------------------------------------
def test_the_seal_is_intact_valid_and_trusted_and_covers_the_whole_file(sealed, signer):
    report = verify_pdf(sealed, [signer.certificate])
    assert report.ok and report.trusted, report.summary
    [seal] = report.signatures
    assert seal.field_name == "Kiosk seal" and seal.signer == f"{HOSPITAL} consent kiosk"
    assert seal.intact and seal.valid and seal.trusted and seal.covers_rest and seal.modifications == "none"
    assert seal.byte_range[0] == 0 and seal.signed_to == len(sealed)
    assert abs((datetime.datetime.now(datetime.UTC) - seal.signed_at).total_seconds()) < 600
    assert "unchanged" in report.summary


def test_the_rendered_pdf_is_a_byte_prefix_of_the_sealed_one(rendered, sealed):
    assert sealed[:len(rendered.pdf)] == rendered.pdf and len(sealed) > len(rendered.pdf)


def test_the_consent_record_reads_back_equal(sealed, record, record_bytes):
    files = embedded_files(sealed)
    assert files["consent-record.json"] == record_bytes
    assert json.loads(files["consent-record.json"]) == record


def test_the_audit_head_and_the_pdfs_own_metadata_are_there(sealed):
    metadata = document_metadata(sealed)
    assert metadata["KioskAuditHead"] == AUDIT_HEAD
    assert metadata["Author"] == HOSPITAL and "pyHanko" in metadata["Producer"]


def test_poppler_lists_the_attachment(sealed, tmp_path):
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed)
    listing = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert "consent-record.json" in listing


def test_one_changed_byte_inside_the_signed_range_breaks_the_seal(sealed, rendered, signer):
    at = rendered.pdf.index(b"Vertebroplasty")  # the title in the document information
    report = verify_pdf(flip(sealed, at), [signer])
    assert not report.ok and not report.signatures[0].intact
    assert "ALTERED" in report.summary and "changed" in report.summary


def test_bytes_appended_after_the_seal_are_reported(sealed, signer):
    report = verify_pdf(sealed + b"\n% a note added later\n", [signer])
    assert not report.ok and report.unsigned_tail > 0 and "not covered" in report.summary


def test_an_unsigned_pdf_is_not_ok(rendered, signer):
    report = verify_pdf(rendered.pdf, [signer])
    assert not report.ok and report.signatures == () and "not signed" in report.summary


def test_another_key_is_valid_but_not_trusted(sealed):
    stranger = SealSigner.from_pem(*new_seal_identity("Elsewhere"))
    report = verify_pdf(sealed, [stranger.certificate])
    assert report.ok and not report.trusted and "NOT one you trust" in report.summary


def test_without_trust_roots_it_says_trust_was_not_checked(sealed):
    report = verify_pdf(sealed)
    assert report.ok and not report.trust_checked and "not checked" in report.summary


def test_not_a_pdf_is_a_seal_error(signer):
    with pytest.raises(SealError):
        verify_pdf(b"hello, this is not a PDF", [signer])
    with pytest.raises(SealError):
        seal_pdf(b"hello", signer, attachments={}, metadata={})


def test_a_bad_metadata_key_is_refused(rendered, signer):
    with pytest.raises(SealError, match="custom metadata key"):
        seal_pdf(rendered.pdf, signer, attachments={}, metadata={"Title": "x"})


def test_sealing_is_fast(rendered, signer, record_bytes):
    times = []
    for _ in range(5):
        start = time.perf_counter()
        seal_pdf(rendered.pdf, signer, attachments={"consent-record.json": record_bytes},
                 metadata={"KioskAuditHead": AUDIT_HEAD}, reserve_fields=[rendered.countersignature_field])
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.100, times


# ----- countersigned ---------------------------------------------------------------------------
def test_countersigned_both_signatures_are_valid_and_the_original_is_a_prefix(sealed, countersigned, signer):
    assert countersigned[:len(sealed)] == sealed
    report = verify_pdf(countersigned, [signer])
    assert report.ok and report.trusted, report.summary
    assert [(s.field_name, s.intact, s.valid, s.covers_rest) for s in report.signatures] == [
        ("Kiosk seal", True, True, True), ("Clinician countersignature", True, True, True)]
    assert report.signatures[0].modifications == "form filling"  # filling the reserved field only
    assert report.signatures[0].signed_to == len(sealed)


def test_a_change_to_the_original_part_of_a_countersigned_pdf_breaks_both(countersigned, rendered, signer):
    report = verify_pdf(flip(countersigned, rendered.pdf.index(b"Vertebroplasty")), [signer])
    assert not report.ok and [s.intact for s in report.signatures] == [False, False]


def test_a_countersignature_without_a_reserved_field_is_refused(rendered, signer):
    plain = seal_pdf(rendered.pdf, signer, attachments={}, metadata={})  # no field reserved
    with pytest.raises(SealError, match="no signature field"):
        countersign_pdf(plain, signer, stamp_pdf=None, attachments={})


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) is not installed")
@pytest.mark.parametrize("which", ["sealed", "countersigned"])
def test_poppler_pdfsig_reports_every_signature_valid(request, which, tmp_path):
    pdf = request.getfixturevalue(which)
    path = tmp_path / f"{which}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    signed = 1 if which == "sealed" else 2
    assert out.count("Signature is Valid.") == signed, out
    assert "Signature Field Name: Kiosk seal" in out
    if which == "countersigned":
        assert "Signature Field Name: Clinician countersignature" in out and "Total document signed" in out


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) is not installed")
def test_poppler_pdfsig_sees_a_changed_byte(sealed, rendered, tmp_path):
    path = tmp_path / "changed.pdf"
    path.write_bytes(flip(sealed, rendered.pdf.index(b"Vertebroplasty")))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid." not in out and "Digest Mismatch" in out


def test_the_unsealed_rendering_is_unchanged_by_sealing(record, rendered):
    assert render_consent_pdf(record, hospital_name=HOSPITAL) == rendered.pdf
