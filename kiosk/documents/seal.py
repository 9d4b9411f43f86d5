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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pyhanko.pdf_utils import content, embed, generic, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.stamp import StaticStampStyle
from pyhanko.stamp.static import StaticContentStamp

from kiosk.documents.placement import ReservedField
from kiosk.documents.seal_check import (
    SealReport, SignatureCheck, document_metadata, embedded_files, read_pdf, signature_field, verify_pdf,
)
from kiosk.documents.seal_identity import SealError, SealSigner, new_seal_identity, self_signed_certificate

__all__ = [
    "ReservedField", "SealError", "SealReport", "SealSigner", "SignatureCheck", "countersign_pdf",
    "document_metadata", "embedded_files", "new_seal_identity", "seal_pdf", "self_signed_certificate",
    "signature_field", "verify_pdf",
]

SEAL_FIELD = "Kiosk seal"
COUNTERSIGNATURE_FIELD = "Clinician countersignature"
SEAL_REASON = "Consent record sealed by the consent kiosk when it was saved"
COUNTERSIGNATURE_REASON = "Clinician's countersignature"
_METADATA_KEY = re.compile(r"[A-Za-z][A-Za-z0-9]{0,62}")


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
    filled = [value for _name, value, _ref in fields.enumerate_sig_fields(read_pdf(sealed), with_name=field_name)]
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


