"""The sealing key: the kiosk's own pair, made once and kept, or the hospital's PKCS#12 file."""

from __future__ import annotations

import stat
from dataclasses import dataclass

import pytest

from kiosk.seal_key import CERT_FILE, KEY_FILE, SealKeyError, load_seal_certificates, load_seal_signer
from kiosk.settings import Settings
from tests.seal_files import hospital_pkcs12


@dataclass(frozen=True)
class HospitalSettings:
    """Settings naming a PKCS#12 file (the fields `kiosk.settings.Settings` has for it)."""

    seal_certificate: str
    seal_certificate_password: str
    hospital_name: str = "St Mary's Hospital"


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_first_start_makes_a_private_key_pair(tmp_path):
    signer = load_seal_signer(tmp_path, Settings(hospital_name="St Mary's Hospital"))
    folder = tmp_path / "seal"
    assert mode(folder) == 0o700
    assert mode(folder / KEY_FILE) == 0o600 and mode(folder / CERT_FILE) == 0o600
    assert signer.subject == "St Mary's Hospital consent kiosk"
    assert (folder / CERT_FILE).read_bytes() == signer.certificate_pem
    assert b"PRIVATE KEY" in (folder / KEY_FILE).read_bytes()


def test_the_key_is_kept_and_never_replaced(tmp_path):
    first = load_seal_signer(tmp_path, Settings(hospital_name="St Mary's Hospital"))
    key = (tmp_path / "seal" / KEY_FILE).read_bytes()
    again = load_seal_signer(tmp_path, Settings(hospital_name="Another name now"))
    assert again.certificate_pem == first.certificate_pem and (tmp_path / "seal" / KEY_FILE).read_bytes() == key


def test_a_lost_certificate_is_made_again_from_the_key(tmp_path):
    first = load_seal_signer(tmp_path, Settings())
    (tmp_path / "seal" / CERT_FILE).unlink()
    again = load_seal_signer(tmp_path, Settings())
    assert again.certificate_pem != first.certificate_pem  # a new certificate ...
    assert again.certificate.public_key.dump() == first.certificate.public_key.dump()  # ... for the same key


def test_a_damaged_key_gives_a_plain_message_and_is_left_alone(tmp_path):
    load_seal_signer(tmp_path, Settings())
    key_path = tmp_path / "seal" / KEY_FILE
    key_path.write_bytes(b"-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n")
    with pytest.raises(SealKeyError, match="cannot be used") as caught:
        load_seal_signer(tmp_path, Settings())
    assert "Move the folder aside" in str(caught.value)
    assert b"garbage" in key_path.read_bytes()


def test_certificates_to_trust_are_read_without_making_anything(tmp_path):
    assert load_seal_certificates(tmp_path, Settings()) == [] and not (tmp_path / "seal").exists()
    signer = load_seal_signer(tmp_path, Settings())
    assert load_seal_certificates(tmp_path, Settings()) == [signer.certificate_pem]


def write_pkcs12(path, password: bytes) -> None:
    path.write_bytes(hospital_pkcs12(password)[0])


def test_a_hospitals_pkcs12_file_is_used_and_no_own_key_is_made(tmp_path):
    write_pkcs12(tmp_path / "hospital.p12", b"s3cret")
    signer = load_seal_signer(tmp_path, HospitalSettings("hospital.p12", "s3cret"))
    assert signer.subject == "St Mary's document signing"
    assert not (tmp_path / "seal").exists()


def test_a_wrong_pkcs12_password_gives_a_plain_message_without_the_password(tmp_path):
    write_pkcs12(tmp_path / "hospital.p12", b"s3cret")
    with pytest.raises(SealKeyError) as caught:
        load_seal_signer(tmp_path, HospitalSettings("hospital.p12", "wrong-one"))
    message = str(caught.value)
    assert "password is wrong" in message and "seal_certificate_password" in message
    assert "wrong-one" not in message and "s3cret" not in message


def test_a_missing_pkcs12_file_gives_a_plain_message(tmp_path):
    with pytest.raises(SealKeyError, match="does not exist"):
        load_seal_signer(tmp_path, HospitalSettings("nowhere.p12", ""))


def test_the_kiosks_settings_name_the_pkcs12_file_too(tmp_path):
    """The real Settings class carries the two settings (checked here, not only duck-typed)."""
    write_pkcs12(tmp_path / "hospital.p12", b"pw")
    settings = Settings(seal_certificate="hospital.p12", seal_certificate_password="pw")
    assert load_seal_signer(tmp_path, settings).subject == "St Mary's document signing"
