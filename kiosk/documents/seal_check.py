"""Reading a sealed PDF back: its attachments, its metadata, and whether its signatures hold.

    report = verify_pdf(pdf, [signer.certificate])  # report.ok, report.trusted, report.summary
    embedded_files(pdf)      # {"consent-record.json": b"...", "countersignature.json": b"..."}
    document_metadata(pdf)   # {"Title": ..., "KioskAuditHead": "41:9f2c..."}
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

from kiosk.documents.placement import ReservedField
from kiosk.documents.seal_identity import SealError, SealSigner, asn1_certificate, common_name

_ACCEPTED_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"},
                                          match_all_key_usages=False)


def read_pdf(pdf: bytes) -> PdfFileReader:
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
    reader = read_pdf(pdf)
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
    reader = read_pdf(pdf)
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
        return asn1_certificate(item)
    if isinstance(item, (bytes, bytearray)):
        data = bytes(item)
        cert = x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)
        return asn1_certificate(cert)
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
        signer=common_name(status.signing_cert.subject), signed_at=status.signer_reported_dt,
        intact=bool(status.intact), valid=bool(status.valid), trusted=bool(status.trusted),
        covers_rest=False, modifications=_LEVELS.get(level.name, level.name.lower()) if level else "unknown",
        modifications_ok=status.docmdp_ok is not False, **base)


def verify_pdf(pdf: bytes, trust_roots: Sequence = ()) -> SealReport:
    """Check every signature of `pdf`: intact (the covered bytes are unchanged), valid (the
    signature matches the certificate), trusted (the certificate is one of `trust_roots`:
    asn1crypto or cryptography certificates, PEM/DER bytes, or SealSigners), what it covers
    and what was changed after it. SealError if the file is not a readable PDF."""
    pdf = bytes(pdf)
    reader = read_pdf(pdf)
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



def signature_field(pdf: bytes, field_name: str) -> ReservedField | None:
    """Where the signature field `field_name` is: page and box (None if the PDF has no such field)."""
    reader = read_pdf(pdf)
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


