"""The seal: a PAdES B-B signature that the kiosk puts on every consent PDF, with its own key.

Whoever holds the PDF alone - a court, the patient, another hospital - can tell whether it was
changed since the kiosk saved it: `verify_pdf` here, `kiosk verify FILE.pdf`, or any PAdES
validator (poppler's `pdfsig`, Adobe Reader). No Qt here; pyHanko and cryptography do the work.

    key_pem, cert_pem = new_seal_identity("St Mary's Hospital")
    signer = SealSigner.from_pem(key_pem, cert_pem)
    sealed = seal_pdf(pdf, signer, attachments={"consent-record.json": record_json},
                      metadata={"KioskAuditHead": "41:9f2c…"},
                      reserve_fields=[ReservedField("Clinician countersignature", 2, box)])
    countersigned = countersign_pdf(sealed, signer, stamp_pdf=stamp,
                                    attachments={"countersignature.json": data})
    report = verify_pdf(countersigned, [signer.certificate])  # report.ok, report.summary
    embedded_files(countersigned)  # {"consent-record.json": b"...", "countersignature.json": b"..."}

Sealing appends ONE incremental update to the PDF it is given (which stays a byte-for-byte
prefix): each attachment as an embedded file that is also an associated file of the document
(PDF/A-3 style, /AFRelationship /Data), the metadata as custom keys of the document information
dictionary, any reserved empty signature fields, and the invisible seal itself (approval
signature, /SubFilter /ETSI.CAdES.detached, SHA-256). A countersignature is a second
incremental update that fills one reserved field with a visible appearance - a one-page PDF
(`stamp_pdf`) drawn into the field's box - and carries its attachments as associated files of
that appearance. Both are changes pyHanko's modification analysis accepts as form filling, so
the first signature stays valid with "acceptable modifications"; adding an embedded file to
the document catalog after sealing would not be.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import content, embed, generic, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.stamp import StaticStampStyle
from pyhanko.stamp.static import StaticContentStamp
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from kiosk.documents.placement import ReservedField

__all__ = [
    "ReservedField", "SealError", "SealReport", "SealSigner", "SignatureCheck", "countersign_pdf",
    "document_metadata", "embedded_files", "new_seal_identity", "seal_pdf", "signature_field", "verify_pdf",
]

SEAL_FIELD = "Kiosk seal"
COUNTERSIGNATURE_FIELD = "Clinician countersignature"
SEAL_REASON = "Consent record sealed by the consent kiosk when it was saved"
COUNTERSIGNATURE_REASON = "Clinician's countersignature"
VALID_DAYS = 3652  # about ten years
_CN_MAX = 64  # X.520 upper bound on a common name
_METADATA_KEY = re.compile(r"[A-Za-z][A-Za-z0-9]{0,62}")
_ACCEPTED_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"},
                                          match_all_key_usages=False)


class SealError(Exception):
    """A PDF could not be sealed, countersigned or read, or a key cannot be used; the message
    says why in plain words."""


# ----- the kiosk's identity ------------------------------------------------------------------
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


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _common_name(subject: asn1_x509.Name) -> str:
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
        self.certificate: asn1_x509.Certificate = _asn1(cert)
        self.certificate_pem = cert.public_bytes(serialization.Encoding.PEM)
        self.subject = _describe(cert)
        registry = SimpleCertificateStore()
        registry.register_multiple([_asn1(c) for c in self.chain])
        key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        from asn1crypto import keys as asn1_keys

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


# ----- sealing -------------------------------------------------------------------------------
def _writer(pdf: bytes) -> IncrementalPdfFileWriter:
    try:
        return IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError, TypeError) as error:
        raise SealError(f"This is not a PDF that can be sealed ({error}).") from None


def _file_spec(writer, name: str, data: bytes, when: datetime) -> embed.FileSpec:
    if not isinstance(data, (bytes, bytearray)):
        raise SealError(f"The attachment {name!r} must be bytes.")
    params = embed.EmbeddedFileParams(creation_date=when, modification_date=when)
    mime = "application/json" if name.endswith(".json") else "application/octet-stream"
    stream = embed.EmbeddedFileObject.from_file_data(writer, bytes(data), params=params, mime_type=mime)
    return embed.FileSpec(file_spec_string=name, file_name=name, embedded_data=stream,
                          af_relationship=generic.pdf_name("/Data"))


def _set_metadata(writer, metadata: Mapping[str, str]) -> None:
    if not metadata:
        return
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if info_ref is None:
        info_ref = writer.set_info(generic.DictionaryObject())
        writer.trailer["/Info"] = info_ref
    info = info_ref.get_object()
    for key, value in metadata.items():
        if not _METADATA_KEY.fullmatch(key) or key in ("Title", "Author", "Subject", "Keywords", "Creator",
                                                        "Producer", "CreationDate", "ModDate", "Trapped"):
            raise SealError(f"{key!r} cannot be a custom metadata key (letters and digits, not a standard key).")
        info[generic.pdf_name("/" + key)] = generic.TextStringObject(str(value))
    writer.update_container(info_ref)


def _sign(writer, signer: SealSigner, meta: signers.PdfSignatureMetadata, *, existing_field: bool,
          **kwargs) -> bytes:
    pdf_signer = signers.PdfSigner(meta, signer.signer, **kwargs)
    try:
        out = pdf_signer.sign_pdf(writer, bytes_reserved=signer.bytes_reserved, existing_fields_only=existing_field)
    except (SigningError, PdfError) as error:
        raise SealError(f"The PDF could not be signed ({error}).") from None
    return out.getvalue()


def seal_pdf(pdf: bytes, signer: SealSigner, *, attachments: Mapping[str, bytes],
             metadata: Mapping[str, str], field_name: str = SEAL_FIELD, reason: str = SEAL_REASON,
             location: str | None = None, reserve_fields: Sequence[ReservedField] = ()) -> bytes:
    """`pdf` with the kiosk's seal, in one incremental update: `attachments` (name -> bytes)
    embedded as associated files, `metadata` (key -> text) as custom document information
    keys (letters and digits, e.g. "KioskAuditHead"), an empty signature field for each of
    `reserve_fields`, then an invisible approval signature `field_name` (PAdES B-B, SHA-256).

    `pdf` is a byte-for-byte prefix of the result. SealError with a plain message if the PDF
    cannot be read or signed. About 20-30 ms for a five-page consent with the kiosk's EC key.
    """
    writer = _writer(pdf)
    now = datetime.now(UTC).replace(microsecond=0)
    for reserved in reserve_fields:
        fields.append_signature_field(writer, fields.SigFieldSpec(
            reserved.name, on_page=reserved.page, box=tuple(round(v, 2) for v in reserved.box)))
    for name, data in attachments.items():
        embed.embed_file(writer, _file_spec(writer, name, data, now))
    _set_metadata(writer, metadata)
    meta = signers.PdfSignatureMetadata(field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", reason=reason, location=location)
    return _sign(writer, signer, meta, existing_field=False,
                 new_field_spec=fields.SigFieldSpec(field_name, on_page=0))


class _PdfPage(content.PdfContent):
    """The first page of a PDF given as bytes, drawn as a form XObject."""

    def __init__(self, pdf: bytes):
        super().__init__()
        self.pdf = pdf

    def render(self) -> bytes:
        xobject = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.pdf), strict=False))
        self.resources.xobject["/Countersignature"] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return b"/Countersignature Do"


class _StampWithFiles(StaticContentStamp):
    """The field's appearance; its form XObject carries the attachments as associated files."""

    def __init__(self, writer, style, box, files: Mapping[str, bytes], when: datetime):
        super().__init__(writer=writer, style=style, box=box)
        self.files, self.when = files, when

    def as_form_xobject(self):
        xobject = super().as_form_xobject()
        if self.files:
            specs = [self.writer.add_object(_file_spec(self.writer, name, data, self.when).as_pdf_object())
                     for name, data in self.files.items()]
            xobject[generic.pdf_name("/AF")] = generic.ArrayObject(specs)
        return xobject


@dataclass(frozen=True)
class _StampStyle(StaticStampStyle):
    files: Mapping[str, bytes] = field(default_factory=dict)
    when: datetime | None = None

    def create_stamp(self, writer, box, text_params):
        return _StampWithFiles(writer, self, box, self.files, self.when)


def signature_field(pdf: bytes, field_name: str) -> ReservedField | None:
    """Where the signature field `field_name` is: page and box (None if the PDF has no such field)."""
    reader = _reader(pdf)
    try:
        found = list(fields.enumerate_sig_fields(reader, with_name=field_name))
    except (PdfError, KeyError, TypeError, ValueError):
        return None
    if not found:
        return None
    widget = found[0][2].get_object()
    page = 0
    if "/P" in widget:
        target = widget.raw_get("/P").reference
        for index in range(int(reader.root["/Pages"].get("/Count", 0))):
            if reader.find_page_for_modification(index)[0].reference == target:
                page = index
                break
    box = tuple(float(v) for v in widget.get("/Rect", [0, 0, 0, 0]))
    return ReservedField(field_name, page, box)


def countersign_pdf(sealed: bytes, signer: SealSigner, *, stamp_pdf: bytes | None,
                    attachments: Mapping[str, bytes], field_name: str = COUNTERSIGNATURE_FIELD,
                    reason: str = COUNTERSIGNATURE_REASON, location: str | None = None) -> bytes:
    """`sealed` with a second signature in the empty signature field `field_name`, as an
    incremental update: `sealed` stays a byte-for-byte prefix and its seal stays valid (the
    update only fills a form field). `stamp_pdf`, a one-page PDF, is drawn into the field's
    box as its visible appearance (scaled down to fit, never up); `attachments` travel as
    associated files of that appearance. SealError if the field is missing, already signed,
    or has no box on the page.
    """
    filled = [value for _name, value, _ref in fields.enumerate_sig_fields(_reader(sealed), with_name=field_name)]
    if filled and filled[0] is not None:
        raise SealError(f"The signature field {field_name!r} is already signed; a PDF is countersigned once.")
    place = signature_field(sealed, field_name)
    if place is None:
        raise SealError(f"This PDF has no signature field {field_name!r} to countersign in.")
    if not place.width or not place.height:
        raise SealError(f"The signature field {field_name!r} has no box on the page for the countersignature.")
    writer = _writer(sealed)
    now = datetime.now(UTC).replace(microsecond=0)
    style = _StampStyle(border_width=0, background=_PdfPage(stamp_pdf) if stamp_pdf else None,
                        background_opacity=1.0, files=dict(attachments), when=now,
                        background_layout=layout.SimpleBoxLayoutRule(
                            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
                            margins=layout.Margins.uniform(0)))
    meta = signers.PdfSignatureMetadata(field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", reason=reason, location=location)
    return _sign(writer, signer, meta, existing_field=True, stamp_style=style)


# ----- reading back --------------------------------------------------------------------------
def _reader(pdf: bytes) -> PdfFileReader:
    try:
        return PdfFileReader(io.BytesIO(pdf), strict=False)
    except Exception as error:  # noqa: BLE001 - any parse failure means "not a readable PDF"
        raise SealError(f"This file cannot be read as a PDF ({error}).") from None


def _file_data(spec) -> tuple[str, bytes] | None:
    spec = spec.get_object()
    name = str(spec.get("/UF") or spec.get("/F") or "")
    try:
        stream = spec["/EF"].get("/UF") or spec["/EF"]["/F"]
        return name, stream.get_object().data
    except (KeyError, TypeError, AttributeError):
        return None


def _name_tree_leaves(node, depth: int = 0):
    node = node.get_object()
    if depth > 16:
        return
    names = node.get("/Names")
    if names is not None:
        names = names.get_object()
        for index in range(1, len(names), 2):
            yield names[index]
    for kid in node.get("/Kids") or []:
        yield from _name_tree_leaves(kid, depth + 1)


def embedded_files(pdf: bytes) -> dict[str, bytes]:
    """Every attachment: the document's embedded files (e.g. "consent-record.json") and the
    associated files of signature appearances (e.g. "countersignature.json"), name -> bytes.
    The document's own win over an appearance's of the same name. SealError if unreadable."""
    reader = _reader(pdf)
    found: dict[str, bytes] = {}
    try:
        for field_name, _value, field_ref in fields.enumerate_sig_fields(reader):
            appearance = field_ref.get_object().get("/AP")
            normal = appearance.get_object().get("/N") if appearance is not None else None
            for spec in (normal.get_object().get("/AF") or []) if normal is not None else []:
                item = _file_data(spec)
                if item:
                    found[item[0]] = item[1]
    except (PdfError, KeyError, TypeError, AttributeError):
        pass
    try:
        tree = reader.root["/Names"]["/EmbeddedFiles"]
    except (KeyError, TypeError):
        return found
    for spec in _name_tree_leaves(tree):
        item = _file_data(spec)
        if item:
            found[item[0]] = item[1]
    return found


def document_metadata(pdf: bytes) -> dict[str, str]:
    """The document information dictionary as text: "Title", "Author", "KioskAuditHead", ..."""
    reader = _reader(pdf)
    try:
        info = reader.trailer["/Info"]
    except KeyError:
        return {}
    return {str(key)[1:]: str(value) for key, value in info.items()}


# ----- verifying -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SignatureCheck:
    """One signature: who, when, and whether the bytes it covers are unchanged.

    `byte_range` is the PDF's /ByteRange (start, length, start, length); `signed_to` the end of
    the bytes it covers. `covers_rest` is True when everything after `signed_to` is covered
    by later signatures (always True for the last one that reaches the end of the file).
    `modifications` is pyHanko's verdict on what later revisions changed ("none",
    "form filling", ...); `modifications_ok` False means a change a signature does not allow.
    """

    field_name: str
    signer: str
    signed_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    byte_range: tuple[int, ...]
    signed_to: int
    covers_rest: bool
    modifications: str
    modifications_ok: bool
    reason: str | None = None
    problem: str | None = None  # set when the signature could not be checked at all

    @property
    def ok(self) -> bool:
        """Unchanged and cryptographically valid (trust is reported separately)."""
        return self.problem is None and self.intact and self.valid and self.covers_rest and self.modifications_ok


@dataclass(frozen=True)
class SealReport:
    """Every signature of a PDF, in signing order, and the verdict in plain English."""

    signatures: tuple[SignatureCheck, ...]
    file_size: int
    unsigned_tail: int  # bytes after the end of the last signature's range
    problems: tuple[str, ...]
    trust_checked: bool  # trust roots were given

    @property
    def ok(self) -> bool:
        """Signed, nothing changed: every signature intact, valid and covering the file."""
        return bool(self.signatures) and not self.problems

    @property
    def trusted(self) -> bool:
        return bool(self.signatures) and all(s.trusted for s in self.signatures)

    @property
    def summary(self) -> str:
        if not self.signatures:
            return "This PDF is not signed: nothing shows whether it was changed."
        if self.problems:
            return "This PDF was ALTERED or damaged after it was signed: " + "; ".join(self.problems) + "."
        people = ", ".join(f"{s.field_name} by {s.signer}" for s in self.signatures)
        count = "signature is" if len(self.signatures) == 1 else f"{len(self.signatures)} signatures are"
        text = f"The {count} valid and the file is unchanged since it was signed ({people})."
        if not self.trust_checked:
            text += " The certificate was not checked against a trusted one."
        elif not self.trusted:
            text += " The certificate is NOT one you trust: anyone could have made this signature."
        return text


_LEVELS = {"NONE": "none", "LTA_UPDATES": "signature upkeep", "FORM_FILLING": "form filling",
           "ANNOTATIONS": "annotations", "OTHER": "other changes"}


def _trust_root(item) -> asn1_x509.Certificate:
    if isinstance(item, asn1_x509.Certificate):
        return item
    if isinstance(item, SealSigner):
        return item.certificate
    if isinstance(item, x509.Certificate):
        return _asn1(item)
    if isinstance(item, (bytes, bytearray)):
        data = bytes(item)
        cert = x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)
        return _asn1(cert)
    raise TypeError(f"not a certificate: {type(item).__name__}")


def _check(embedded, context: ValidationContext) -> SignatureCheck:
    byte_range = tuple(int(v) for v in embedded.sig_object["/ByteRange"])
    signed_to = byte_range[2] + byte_range[3] if len(byte_range) == 4 else 0
    reason = embedded.sig_object.get("/Reason")
    base = dict(field_name=embedded.field_name, byte_range=byte_range, signed_to=signed_to,
                reason=str(reason) if reason is not None else None)
    try:
        status = validate_pdf_signature(embedded, context, key_usage_settings=_ACCEPTED_KEY_USAGE)
    except Exception as error:  # noqa: BLE001 - a damaged signature must be reported, not crash
        return SignatureCheck(signer="unknown", signed_at=None, intact=False, valid=False, trusted=False,
                              covers_rest=False, modifications="unknown", modifications_ok=False,
                              problem=f"it cannot be checked ({error})", **base)
    level = status.modification_level
    return SignatureCheck(
        signer=_common_name(status.signing_cert.subject), signed_at=status.signer_reported_dt,
        intact=bool(status.intact), valid=bool(status.valid), trusted=bool(status.trusted),
        covers_rest=False, modifications=_LEVELS.get(level.name, level.name.lower()) if level else "unknown",
        modifications_ok=status.docmdp_ok is not False, **base)


def verify_pdf(pdf: bytes, trust_roots: Sequence = ()) -> SealReport:
    """Check every signature of `pdf`: intact (the covered bytes are unchanged), valid (the
    signature matches the certificate), trusted (the certificate is one of `trust_roots`:
    asn1crypto or cryptography certificates, PEM/DER bytes, or SealSigners), what it covers
    and what was changed after it. SealError if the file is not a readable PDF."""
    pdf = bytes(pdf)
    reader = _reader(pdf)
    try:
        found = list(reader.embedded_signatures)
    except Exception as error:  # noqa: BLE001
        raise SealError(f"The signatures of this PDF cannot be read ({error}).") from None
    roots = [_trust_root(item) for item in trust_roots]
    context = ValidationContext(trust_roots=roots)
    checks = [_check(embedded, context) for embedded in found]
    last_end = max((c.signed_to for c in checks), default=0)
    covered = last_end == len(pdf)
    checks = [SignatureCheck(**{**c.__dict__, "covers_rest": covered}) for c in checks]
    checks.sort(key=lambda c: c.signed_to)
    problems = []
    for check in checks:
        if check.problem:
            problems.append(f"{check.field_name}: {check.problem}")
        elif not check.intact:
            problems.append(f"{check.field_name}: the signed bytes were changed")
        elif not check.valid:
            problems.append(f"{check.field_name}: the signature does not match its certificate")
        elif not check.modifications_ok:
            problems.append(f"{check.field_name}: later changes go beyond what a signature allows "
                            f"({check.modifications})")
    if checks and not covered:
        problems.append(f"{len(pdf) - last_end} bytes at the end of the file are not covered by any signature")
    return SealReport(signatures=tuple(checks), file_size=len(pdf), unsigned_tail=len(pdf) - last_end if checks else 0,
                      problems=tuple(problems), trust_checked=bool(roots))
