"""The seal's key and certificate: the kiosk's own EC P-256 identity, or a hospital's PKCS#12.

    key_pem, cert_pem = new_seal_identity("St Mary's Hospital")
    signer = SealSigner.from_pem(key_pem, cert_pem)      # or SealSigner.from_pkcs12(data, password)
    signer.certificate, signer.subject, signer.signer    # asn1crypto cert, plain words, pyHanko signer
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

VALID_DAYS = 3652  # about ten years
_CN_MAX = 64  # X.520 upper bound on a common name, in UTF-8 bytes


class SealError(Exception):
    """A PDF could not be sealed, countersigned or read, or a key cannot be used; the message
    says why in plain words."""


def _fit(text: str, limit: int, tail: str = "") -> str:
    """`text` + `tail` within `limit` UTF-8 bytes (X.520 counts bytes), shortened with "…"."""
    if len((text + tail).encode("utf-8")) <= limit:
        return text + tail
    while text and len((text + "\u2026" + tail).encode("utf-8")) > limit:
        text = text[:-1]
    return text.rstrip() + "\u2026" + tail


def _subject(hospital_name: str) -> x509.Name:
    hospital = " ".join(str(hospital_name or "").split())
    if not hospital:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Consent kiosk")])
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, _fit(hospital, _CN_MAX, " consent kiosk")),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(hospital, _CN_MAX))])


def self_signed_certificate(key, hospital_name: str, *, now: datetime | None = None) -> x509.Certificate:
    """A self-signed certificate for `key`: subject "<hospital> consent kiosk", valid about ten
    years from `now`, key usage digitalSignature + nonRepudiation."""
    now = now or datetime.now(UTC)
    name = _subject(hospital_name)
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))  # a clock a little behind still accepts it
        .not_valid_after(now + timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def new_seal_identity(hospital_name: str) -> tuple[bytes, bytes]:
    """A new EC P-256 key and its self-signed certificate, as (key PEM, certificate PEM).
    The key PEM is unencrypted PKCS#8: keep the file readable by the kiosk's account only."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = self_signed_certificate(key, hospital_name)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def asn1_certificate(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def common_name(subject: asn1_x509.Name) -> str:
    native = subject.native
    return str(native.get("common_name") or subject.human_friendly)


def _describe(cert: x509.Certificate) -> str:
    common = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(common[0].value) if common else cert.subject.rfc4514_string()


class SealSigner:
    """A key and its certificate, ready to seal: `certificate` (asn1crypto, for trust roots),
    `certificate_pem`, `subject` (plain words) and `signer` (a pyHanko signer)."""

    def __init__(self, key, cert: x509.Certificate, chain: Iterable[x509.Certificate] = ()):
        if not isinstance(key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
            raise SealError("The seal key must be an EC or RSA key.")
        if key.public_key().public_numbers() != cert.public_key().public_numbers():
            raise SealError(f"The seal certificate ({_describe(cert)}) does not belong to the seal key.")
        now = datetime.now(UTC)
        if cert.not_valid_after_utc < now:
            raise SealError(f"The seal certificate ({_describe(cert)}) expired on "
                            f"{cert.not_valid_after_utc:%Y-%m-%d}; a new one is needed.")
        self.cryptography_certificate = cert
        self.chain = tuple(chain)
        self.certificate: asn1_x509.Certificate = asn1_certificate(cert)
        self.certificate_pem = cert.public_bytes(serialization.Encoding.PEM)
        self.subject = _describe(cert)
        registry = SimpleCertificateStore()
        registry.register_multiple([asn1_certificate(c) for c in self.chain])
        key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        self.signer = signers.SimpleSigner(signing_cert=self.certificate,
                                           signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
                                           cert_registry=registry)
        # Room for the CMS signature, as hex: the certificates, the signed attributes and the
        # signature value fit in 2 KiB plus the certificates; reserving it saves a dry run.
        certificates = sum(len(c.public_bytes(serialization.Encoding.DER)) for c in (cert, *self.chain))
        self.bytes_reserved = 2 * (certificates + 2048)

    @classmethod
    def from_pem(cls, key_pem: bytes, cert_pem: bytes, *, password: bytes | None = None) -> SealSigner:
        """From a PEM private key and a PEM certificate (the kiosk's own pair)."""
        try:
            key = serialization.load_pem_private_key(key_pem, password=password)
        except (ValueError, TypeError) as error:
            raise SealError(f"The seal key cannot be read ({error}).") from None
        try:
            certs = x509.load_pem_x509_certificates(cert_pem)
        except ValueError as error:
            raise SealError(f"The seal certificate cannot be read ({error}).") from None
        return cls(key, certs[0], certs[1:])

    @classmethod
    def from_pkcs12(cls, data: bytes, password: str | bytes | None) -> SealSigner:
        """From a PKCS#12 (.p12/.pfx) file's bytes and its password (a hospital's own certificate)."""
        secret = password.encode() if isinstance(password, str) else password
        try:
            key, cert, others = pkcs12.load_key_and_certificates(data, secret or None)
        except ValueError:
            raise SealError("The PKCS#12 file cannot be opened: the password is wrong, or it is not a "
                            "PKCS#12 (.p12/.pfx) file.") from None
        if key is None or cert is None:
            raise SealError("The PKCS#12 file holds no private key with its certificate.")
        return cls(key, cert, others or ())


