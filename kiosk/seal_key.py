"""The key that seals every consent PDF: the hospital's own certificate, or the kiosk's own key.

If `seal_certificate` in settings.toml names a PKCS#12 (.p12/.pfx) file, that certificate seals
(with `seal_certificate_password`). Otherwise the kiosk uses its own EC P-256 key and
self-signed certificate in `<data folder>/seal/`:

    seal/kiosk-seal-key.pem    the private key (0600; never overwritten, never leaves the kiosk)
    seal/kiosk-seal-cert.pem   its certificate (give it to whoever checks the PDFs)

made at first use, written durably. Two processes starting together (kiosk and nurse station)
end up with the same pair: the key is written without overwriting, and the certificate can
always be made again from the key. No Qt here; pyHanko loads with `kiosk.documents.seal`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

SEAL_FOLDER = "seal"
KEY_FILE = "kiosk-seal-key.pem"
CERT_FILE = "kiosk-seal-cert.pem"
_CERT_WAIT_SECONDS = 2.0  # another process that has just written the key writes its certificate next


class SealKeyError(Exception):
    """The seal key or certificate cannot be used; the message says what to do, in plain words."""


def seal_folder(data_dir: Path) -> Path:
    return Path(data_dir) / SEAL_FOLDER


def _pkcs12_path(data_dir: Path, settings) -> Path | None:
    named = getattr(settings, "seal_certificate", "") or ""
    if not named:
        return None
    path_of = getattr(settings, "seal_certificate_path", None)
    return path_of(Path(data_dir)) if callable(path_of) else (Path(data_dir) / named).resolve()


def load_seal_signer(data_dir: Path, settings):
    """The `SealSigner` for this kiosk: the PKCS#12 file of `settings.seal_certificate` if
    set, else the kiosk's own key pair in `data_dir/seal/` (created at first use).
    SealKeyError with a plain message for a missing or unreadable PKCS#12 file, a wrong
    password, an expired certificate, or a key folder that cannot be written."""
    from kiosk.documents.seal import SealError, SealSigner

    pkcs12_path = _pkcs12_path(data_dir, settings)
    if pkcs12_path is not None:
        try:
            data = pkcs12_path.read_bytes()
        except FileNotFoundError:
            raise SealKeyError(f"The seal certificate {pkcs12_path} (seal_certificate in settings.toml) does "
                               f"not exist. Put the hospital's PKCS#12 file there, or empty the setting to "
                               f"use the kiosk's own key.") from None
        except OSError as error:
            raise SealKeyError(f"The seal certificate {pkcs12_path} cannot be read "
                               f"({error.strerror or error}).") from None
        try:
            return SealSigner.from_pkcs12(data, getattr(settings, "seal_certificate_password", "") or None)
        except SealError as error:
            raise SealKeyError(f"The seal certificate {pkcs12_path}: {error} Check seal_certificate and "
                               f"seal_certificate_password in settings.toml.") from None
    try:
        key_pem, cert_pem = _own_pair(Path(data_dir), getattr(settings, "hospital_name", "") or "")
        return SealSigner.from_pem(key_pem, cert_pem)
    except SealError as error:
        folder = seal_folder(data_dir)
        raise SealKeyError(f"The kiosk's seal key in {folder} cannot be used: {error} Move the folder "
                           f"aside (keep it: it checks the PDFs already sealed) and start again to "
                           f"make a new key.") from None


def load_seal_certificates(data_dir: Path, settings) -> list[bytes]:
    """The certificates this kiosk seals with, as PEM, to trust when checking a PDF; nothing is
    created. Empty when there is no key yet (or the PKCS#12 file cannot be opened)."""
    pkcs12_path = _pkcs12_path(data_dir, settings)
    found = []
    if pkcs12_path is not None:
        try:
            from kiosk.documents.seal import SealSigner

            signer = SealSigner.from_pkcs12(pkcs12_path.read_bytes(),
                                            getattr(settings, "seal_certificate_password", "") or None)
            found.append(signer.certificate_pem)
        except Exception:  # noqa: BLE001 - checking a PDF must not need the hospital's password
            pass
    own = seal_folder(data_dir) / CERT_FILE
    if own.is_file():
        found.append(own.read_bytes())
    return found


def _own_pair(data_dir: Path, hospital_name: str) -> tuple[bytes, bytes]:
    from kiosk.store.files import FOLDER_MODE, make_folders_durably, write_file_durably

    folder = seal_folder(data_dir)
    key_path, cert_path = folder / KEY_FILE, folder / CERT_FILE
    try:
        if not key_path.exists():
            make_folders_durably(folder)
            os.chmod(folder, FOLDER_MODE)
            from kiosk.documents.seal import new_seal_identity

            key_pem, cert_pem = new_seal_identity(hospital_name)
            try:
                write_file_durably(key_path, key_pem)
            except FileExistsError:
                pass  # another process made the key first: use theirs
            else:
                _write_certificate(cert_path, cert_pem)
        key_pem = key_path.read_bytes()
        deadline = time.monotonic() + _CERT_WAIT_SECONDS
        while not cert_path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # the process that wrote the key is writing its certificate
        if not cert_path.exists():  # it crashed in between: the certificate is made from the key
            _write_certificate(cert_path, _certificate_for(key_pem, hospital_name))
        return key_pem, cert_path.read_bytes()
    except OSError as error:
        raise SealKeyError(f"The kiosk's seal key in {folder} cannot be made or read "
                           f"({error.strerror or error}). Check that the data folder can be written.") from None


def _write_certificate(path: Path, cert_pem: bytes) -> None:
    from kiosk.store.files import write_file_durably

    try:
        write_file_durably(path, cert_pem)
    except FileExistsError:
        pass


def _certificate_for(key_pem: bytes, hospital_name: str) -> bytes:
    from cryptography.hazmat.primitives import serialization

    from kiosk.documents.seal import SealError, self_signed_certificate

    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as error:
        raise SealError(f"the key file cannot be read ({error})") from None
    return self_signed_certificate(key, hospital_name).public_bytes(serialization.Encoding.PEM)
