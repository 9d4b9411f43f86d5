"""The consent record as typed, frozen data: `ConsentRecord`, read from and written back to the
plain dict that `kiosk.flow.record.build_record` makes and the store keeps (docs/consent-record.md).

The dict stays the legal record (record_json, the PDF's attachment); this is how code outside
the kiosk's own pages reads it: the hand-off to the health record, the central database. So
the promise is exact: `ConsentRecord.from_dict(record).to_dict() == record` for every record
the kiosk makes now, every field, including keys this module does not model (kept in `extra`,
such as a sample's `"sample": true`). A record made before the codes existed (schema 1 and 2)
still loads: each missing code is derived from the text or id beside it where that is certain
(the outcome, the flags, the signer's role, a relationship in one of the installed languages,
the drawing's hash) and None where it is not; `to_dict` then writes those codes too.

One shape for every signature (ResearchKit's ORKConsentSignature): the patient's (or their
representative's) in the record, and the clinician's countersignature the nurse station stores
beside it (consents.countersignature_json), each a `Signature` with its role as a code.

    record = ConsentRecord.from_dict(get_consent(db, document_id)["record"])
    record.outcome_code.code, record.consent_status.code   # "consented", "active"
    record.representative.relationship_code                # Coded(v3-RoleCode, "CHILD", "child")
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Callable, ClassVar, Mapping

from kiosk.flow.codes import (
    Coded,
    clinician_role_code,
    consent_status,
    outcome_code,
    signer_role_code,
)
from kiosk.flow.record import coded_relationship, flag_codes, strokes_sha256
from kiosk.outcomes import OUTCOMES


def _freeze(value: Any) -> Any:
    """JSON data made immutable: lists become tuples, objects read-only mappings."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    return value


def _thaw(value: Any) -> Any:
    """Back to the JSON data the record holds (lists and dicts)."""
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    return value


Converter = tuple[Callable[[Any], Any], Callable[[Any], Any]]
PLAIN: Converter = (_freeze, _thaw)


def _one(cls) -> Converter:
    return (lambda v: None if v is None else cls.from_dict(v),
            lambda v: None if v is None else v.to_dict())


def _many(cls) -> Converter:
    return (lambda v: tuple(cls.from_dict(x) for x in v or ()),
            lambda v: [x.to_dict() for x in v])


@dataclass(frozen=True)
class _Part:
    """A part of the record whose fields are its dict's keys: each field is read from the key
    of its name (`_KEY` names the others), through `_CONVERT`'s converter or as plain data.

    `keys` are the dict's keys as read, so a key an older record lacks is not written back;
    `extra` holds the keys no field models, written back as they were."""

    keys: tuple[str, ...] = field(default=(), kw_only=True, repr=False, compare=False)
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), kw_only=True, repr=False)

    _CONVERT: ClassVar[Mapping[str, Converter]] = {}  # field -> (load, dump), when not plain data
    _KEY: ClassVar[Mapping[str, str]] = {}  # field -> its key in the dict, when not its own name

    @classmethod
    def _spec(cls) -> dict[str, tuple[str, Converter]]:
        """{dict key: (field, converter)}."""
        return {cls._KEY.get(f.name, f.name): (f.name, cls._CONVERT.get(f.name, PLAIN))
                for f in fields(cls) if f.name not in ("keys", "extra")}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]):
        spec = cls._spec()
        args = {name: load(value.get(key)) for key, (name, (load, _)) in spec.items()}
        return cls(**args, keys=tuple(value), extra=_freeze({k: v for k, v in value.items() if k not in spec}))

    def to_dict(self) -> dict[str, Any]:
        spec = self._spec()
        return {key: spec[key][1][1](getattr(self, spec[key][0])) if key in spec else _thaw(self.extra[key])
                for key in self.keys}


CODED: Converter = (Coded.from_dict, lambda v: None if v is None else v.to_dict())


@dataclass(frozen=True)
class Choice(_Part):
    id: str
    text: str


@dataclass(frozen=True)
class Attempt(_Part):
    """One try at a question: the choice, its text as shown, right or not, when."""

    choice: str
    text: str
    correct: bool
    at: str


@dataclass(frozen=True)
class Answer(_Part):
    """One comprehension question as asked: the choices in the order shown, every attempt."""

    question_id: str
    prompt: str
    choices: tuple[Choice, ...]
    correct_choice: str | None
    attempts: tuple[Attempt, ...]
    reviewed_page: str | None
    status: str | None
    _CONVERT = {"choices": _many(Choice), "attempts": _many(Attempt)}


@dataclass(frozen=True)
class Statement(_Part):
    id: str
    text: str
    confirmed_at: str | None


@dataclass(frozen=True)
class PageSeen(_Part):
    """An education page: what it was called and showed, when it was seen."""

    id: str
    title: str
    illustration: str | None
    seen_at: str | None
    more_opened: bool


@dataclass(frozen=True)
class Section(_Part):
    id: str
    title: str
    pages: tuple[PageSeen, ...]
    _CONVERT = {"pages": _many(PageSeen)}


@dataclass(frozen=True)
class Risk(_Part):
    id: str
    name: str
    summary: str


@dataclass(frozen=True)
class HelpRequest(_Part):
    at: str
    step_id: str


@dataclass(frozen=True)
class LanguageChange(_Part):
    language: str
    at: str


@dataclass(frozen=True)
class Content(_Part):
    """Which content was shown; `approval` and `translation` as the record keeps them."""

    id: str
    version: str
    sha256: str
    title: str
    key_pictures: tuple[str, ...] | None
    approval: Mapping[str, Any] | None
    translation: Mapping[str, Any] | None


@dataclass(frozen=True)
class Flag(_Part):
    """A flag as a code (urn:kiosk:flag), with the question it is about for needs_doctor."""

    code: Coded
    question_id: str | None

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Flag:
        rest = {k: v for k, v in value.items() if k not in ("system", "code", "display", "question_id")}
        return cls(Coded.from_dict(value), value.get("question_id"), keys=tuple(value), extra=_freeze(rest))

    def to_dict(self) -> dict[str, Any]:
        out = {**self.code.to_dict(), "question_id": self.question_id, **_thaw(self.extra)}
        return {key: out[key] for key in self.keys}


@dataclass(frozen=True)
class Person(_Part):
    """The patient ({full_name, date_of_birth}) or their representative ({full_name,
    relationship as shown, relationship_code}); a field the dict lacks is None."""

    full_name: str
    date_of_birth: str | None = None
    relationship: str | None = None  # in the patient's language, as tapped
    relationship_code: Coded | None = None  # HL7 v3 RoleCode (kiosk.flow.codes.RELATIONSHIPS)
    _CONVERT = {"relationship_code": CODED}


Strokes = tuple[tuple[tuple[float, float], ...], ...]


@dataclass(frozen=True)
class Signature(_Part):
    """Who signed, in what role (a code, with the text the kiosk stored), when, what signing
    meant, and the drawing: strokes in a `width` × `height` pad (y down) and their SHA-256
    (`kiosk.flow.record.strokes_sha256`). The drawing is the signature's image; the PDF draws
    it, no separate image file is kept. `meaning` is None where none was shown (a clinician's
    countersignature)."""

    signer_name: str
    role: Coded | None
    role_text: str | None
    signed_at: str
    meaning: str | None
    width: float
    height: float
    strokes: Strokes
    strokes_sha256: str
    # as the record keeps the patient's (Countersignature maps the clinician's)
    _KEY = {"role_text": "signer_role", "role": "signer_role_code"}
    _CONVERT = {"role": CODED}

    def drawing_intact(self) -> bool:
        """True when `strokes_sha256` is the hash of the strokes and pad size held here."""
        return self.strokes_sha256 == strokes_sha256(
            {"width": self.width, "height": self.height, "strokes": _thaw(self.strokes)})


@dataclass(frozen=True)
class Countersignature:
    """The clinician's countersignature as the nurse station stores it (consents.countersignature_json):
    a `Signature` (role: SNOMED CT, `kiosk.flow.codes.CLINICIAN_ROLES`), the station's role code,
    the hospital number checked, if any, and who recorded it.

    `recorded_by` is the nurse's account as an actor ("nurse:<id>", `kiosk.store.nurses.actor_for`):
    the stored JSON does not hold it yet, so pass it from the ``countersigned`` audit entry.
    `to_dict()` gives back exactly the stored JSON."""

    signature: Signature
    role_code: str | None  # the nurse station's code (kiosk.review.codes.ROLES)
    recorded_by: str | None = None
    mrn: str | None = None
    identity_checked_by: str | None = None  # as the station wrote it (today: the nurse's name)
    keys: tuple[str, ...] = field(default=(), repr=False, compare=False)
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), repr=False)

    _KEYS: ClassVar[tuple[str, ...]] = ("clinician_name", "role", "role_code", "signed_at", "width", "height",
                                        "strokes", "strokes_sha256", "meaning", "mrn", "identity_checked_by",
                                        "recorded_by")

    @classmethod
    def from_dict(cls, value: Mapping[str, Any], *, recorded_by: str | None = None) -> Countersignature:
        drawing = {"width": value.get("width"), "height": value.get("height"), "strokes": value.get("strokes")}
        signature = Signature(
            signer_name=value.get("clinician_name"), role=clinician_role_code(value.get("role_code")),
            role_text=value.get("role"), signed_at=value.get("signed_at"), meaning=value.get("meaning"),
            width=value.get("width"), height=value.get("height"), strokes=_freeze(value.get("strokes") or []),
            strokes_sha256=value.get("strokes_sha256") or strokes_sha256(drawing))
        return cls(signature, value.get("role_code"), value.get("recorded_by", recorded_by), value.get("mrn"),
                   value.get("identity_checked_by"), keys=tuple(value),
                   extra=_freeze({k: v for k, v in value.items() if k not in cls._KEYS}))

    @classmethod
    def from_row(cls, row: Mapping[str, Any], *, recorded_by: str | None = None) -> Countersignature | None:
        """The countersignature of a stored consent row (`get_consent`), or None if it has none."""
        stored = row.get("countersignature_json")
        return None if not stored else cls.from_dict(json.loads(stored), recorded_by=recorded_by)

    def to_dict(self) -> dict[str, Any]:
        s = self.signature
        known = {"clinician_name": s.signer_name, "role": s.role_text, "role_code": self.role_code,
                 "signed_at": s.signed_at, "width": s.width, "height": s.height, "strokes": _thaw(s.strokes),
                 "strokes_sha256": s.strokes_sha256, "meaning": s.meaning, "mrn": self.mrn,
                 "identity_checked_by": self.identity_checked_by, "recorded_by": self.recorded_by}
        return {key: known[key] if key in known else _thaw(self.extra[key]) for key in self.keys}


@dataclass(frozen=True)
class ConsentRecord(_Part):
    """A consent record (docs/consent-record.md), typed. Build it with `from_dict`."""

    schema: int
    document_id: str | None
    started_at: str | None
    finished_at: str | None
    time_zone: str | None
    language: str
    language_name: str | None
    direction: str
    language_changes: tuple[LanguageChange, ...]
    outcome: str | None
    outcome_code: Coded | None
    patient: Person | None
    representative: Person | None
    content: Content
    sections: tuple[Section, ...]
    risks: tuple[Risk, ...]
    answers: tuple[Answer, ...]
    statements: tuple[Statement, ...]
    signature: Signature | None
    help_requests: tuple[HelpRequest, ...]
    flags: tuple[str, ...]
    flag_codes: tuple[Flag, ...]
    _CONVERT = {"language_changes": _many(LanguageChange), "outcome_code": CODED, "patient": _one(Person),
                "representative": _one(Person), "content": _one(Content), "sections": _many(Section),
                "risks": _many(Risk), "answers": _many(Answer), "statements": _many(Statement),
                "signature": _one(Signature), "help_requests": _many(HelpRequest), "flag_codes": _many(Flag)}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> ConsentRecord:
        """The record `value` (as build_record made it, or as stored), typed; codes an older
        record lacks are derived (see the module's docstring). `value` is not changed."""
        return super().from_dict(with_codes(value))

    @property
    def consent_status(self) -> Coded | None:
        """The FHIR R4 Consent.status for the outcome (kiosk.flow.codes.CONSENT_STATUS)."""
        return consent_status(self.outcome) if self.outcome in OUTCOMES else None

    @property
    def signer(self) -> Person | None:
        """Whoever decided: the representative if there is one, else the patient."""
        return self.representative or self.patient


def with_codes(record: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `record` with every code the kiosk now writes: a code already there is kept,
    a missing one derived where that is certain, else None."""
    out = copy.deepcopy(dict(record))
    if "outcome_code" not in out:
        outcome = out.get("outcome")
        out["outcome_code"] = outcome_code(outcome).to_dict() if outcome in OUTCOMES else None
    if "flag_codes" not in out:
        out["flag_codes"] = flag_codes([f for f in out.get("flags") or [] if isinstance(f, str)])
    representative = out.get("representative")
    if isinstance(representative, dict) and "relationship_code" not in representative:
        languages = [out.get("language")] + [c.get("language") for c in out.get("language_changes") or []]
        coded = coded_relationship(representative.get("relationship") or "",
                                   languages=[lang for lang in languages if isinstance(lang, str)])
        representative["relationship_code"] = None if coded is None else coded.to_dict()
    signature = out.get("signature")
    if isinstance(signature, dict):
        if "signer_role_code" not in signature:
            coded = signer_role_code(signature.get("signer_role") or "")
            signature["signer_role_code"] = None if coded is None else coded.to_dict()
        if "strokes_sha256" not in signature and all(k in signature for k in ("width", "height", "strokes")):
            signature["strokes_sha256"] = strokes_sha256(signature)
    return out


__all__ = ["Answer", "Attempt", "Choice", "Coded", "ConsentRecord", "Content", "Countersignature", "Flag",
           "HelpRequest", "LanguageChange", "PageSeen", "Person", "Risk", "Section", "Signature", "Statement",
           "with_codes"]
