"""The typed consent record (kiosk.flow.typed_record) and its codes (kiosk.flow.codes).

Every record here comes from a real journey walked on the model (tests.flow.sample), for each
outcome, signed by the patient and by a representative. Stored ones go through the kiosk's
own prepare_consent (a real sealed PDF) and archive_consent into a real SQLite file, and come
back with get_consent; the countersignature is made by the nurse station's own countersign.
"""

from __future__ import annotations

import copy
import json
import tomllib
from dataclasses import fields, is_dataclass
from datetime import datetime, timezone

import pytest

from kiosk.content import DEFAULT_TRANSLATIONS_DIR, load_pack
from kiosk.content.interface_text import installed_languages
from kiosk.finalise import prepare_consent, save_consent
from kiosk.flow.codes import (
    CLINICIAN_ROLES,
    CONSENT_STATE,
    FLAGS,
    KIOSK_OUTCOME,
    RELATIONSHIPS,
    ROLE_CODE,
    SIGNER_ROLES,
    SNOMED_CT,
    Coded,
    consent_status,
    flag_code,
    outcome_code,
)
from kiosk.flow.record import blank_form_data, build_record, coded_relationship, strokes_sha256
from kiosk.flow.typed_record import ConsentRecord, Countersignature, Person, Signature, with_codes
from kiosk.outcomes import OUTCOMES
from kiosk.review import Account, ReviewContext
from kiosk.review.actions import countersign
from kiosk.review.codes import ROLES
from kiosk.seal_key import load_seal_signer
from kiosk.settings import Settings
from kiosk.store import open_database
from kiosk.store.consents import archive_consent, get_consent
from kiosk.store.nurses import account_id, create_nurse
from tests.flow.sample import complete_session
from tests.store.records import PDF, consent_record

PACK = load_pack("en")
SETTINGS = Settings(hospital_name="St Elsewhere Hospital", time_zone="UTC")
SIGNERS = {"patient": None, "representative": "Tom Obrien"}
JOURNEYS = [(outcome, signer) for outcome in OUTCOMES for signer in SIGNERS]
NEW_KEYS = {"outcome_code", "flag_codes"}  # top-level keys schema 3 added


def journey(outcome: str, signer: str, *, pack=PACK, seed: int = 1, **walk):
    """A real session: wrong answers, help and "Tell me more" along the way; an abandoned one
    walks away before the decision. `signer` "representative" signs for the patient."""
    abandoned = outcome == "abandoned"
    walk = {"wrong_once": {"q_cause"}, "wrong_twice": {"q_leak"}, "help_at": ("info.risks_leak",),
            "representative": SIGNERS[signer], "abandon_at": "decision" if abandoned else None, **walk}
    if signer == "representative":
        walk.setdefault("relationship", pack.ui("relationship_son_daughter"))
    return complete_session(pack, outcome="consented" if abandoned else outcome, seed=seed, **walk)


def record_of(outcome: str, signer: str, **walk) -> dict:
    return build_record(journey(outcome, signer, **walk), PACK, time_zone="Europe/London",
                        outcome="abandoned" if outcome == "abandoned" else None)


def untyped(value, path="record") -> list[str]:
    """Where a typed part keeps something in `extra` (a key no field models)."""
    found = []
    if is_dataclass(value):
        if getattr(value, "extra", None):
            found.append(f"{path}: {sorted(value.extra)}")
        for f in fields(value):
            found += untyped(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            found += untyped(item, f"{path}[{i}]")
    return found


# ----- round trip --------------------------------------------------------------------------------
@pytest.mark.parametrize("outcome, signer", JOURNEYS)
def test_every_field_round_trips(outcome, signer):
    record = record_of(outcome, signer)
    typed = ConsentRecord.from_dict(record)
    assert typed.to_dict() == record
    # and as the store serialises it: the same JSON text
    assert json.dumps(typed.to_dict(), ensure_ascii=False, sort_keys=True) == \
        json.dumps(record, ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize("outcome, signer", JOURNEYS)
def test_every_field_the_kiosk_writes_is_typed(outcome, signer):
    assert untyped(ConsentRecord.from_dict(record_of(outcome, signer))) == []


def test_the_typed_values_are_the_records():
    record = record_of("consented", "representative")
    typed = ConsentRecord.from_dict(record)
    answer = next(a for a in typed.answers if a.question_id == "q_leak")
    stored = next(a for a in record["answers"] if a["question_id"] == "q_leak")
    assert [(a.choice, a.text, a.correct, a.at) for a in answer.attempts] == \
        [(a["choice"], a["text"], a["correct"], a["at"]) for a in stored["attempts"]]
    assert [c.id for c in answer.choices] == [c["id"] for c in stored["choices"]]
    assert answer.status == "needs_doctor"
    assert typed.patient == Person("Margaret Obrien", "1948-03-07")
    assert typed.signer.full_name == "Tom Obrien"
    assert typed.signature.strokes[0][0] == tuple(record["signature"]["strokes"][0][0])
    assert [s.id for s in typed.statements] == [s["id"] for s in record["statements"]]
    assert [(h.at, h.step_id) for h in typed.help_requests] == [(h["at"], h["step_id"]) for h in record["help_requests"]]
    assert typed.content.sha256 == PACK.sha256 and typed.content.approval["approved"] is False


def test_the_typed_record_cannot_be_changed():
    typed = ConsentRecord.from_dict(record_of("consented", "patient"))
    with pytest.raises(AttributeError):
        typed.outcome = "declined"
    with pytest.raises(TypeError):
        typed.content.approval["approved"] = True


def test_a_language_change_round_trips():
    session = journey("consented", "patient")
    session.note_language("es")
    record = build_record(session, PACK, time_zone="UTC")
    typed = ConsentRecord.from_dict(record)
    assert [(c.language, c.at) for c in typed.language_changes] == [("es", record["language_changes"][0]["at"])]
    assert typed.to_dict() == record


def test_keys_the_kiosk_does_not_model_come_back_as_they_were():
    record = {**record_of("consented", "patient"), "sample": True}
    record["answers"][0]["future_field"] = {"kept": [1, 2]}
    assert ConsentRecord.from_dict(record).to_dict() == record


def test_the_blank_form_round_trips():
    blank = blank_form_data(PACK)
    assert ConsentRecord.from_dict(blank).to_dict() == blank


# ----- codes beside the text ---------------------------------------------------------------------
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_outcome_is_stored_as_its_code(outcome):
    record = record_of(outcome, "patient")
    assert record["outcome"] == outcome
    assert record["outcome_code"] == {"system": KIOSK_OUTCOME, "code": outcome, "display": outcome_code(outcome).display}
    assert ConsentRecord.from_dict(record).consent_status == consent_status(outcome)


@pytest.mark.parametrize("outcome, status", [("consented", "active"), ("declined", "rejected"),
                                             ("questions", "proposed"), ("abandoned", "draft")])
def test_each_outcome_has_its_fhir_consent_status(outcome, status):
    assert consent_status(outcome) == Coded(CONSENT_STATE, status, consent_status(outcome).display)


def test_an_unknown_outcome_has_no_code():
    with pytest.raises(ValueError, match="not an outcome"):
        outcome_code("maybe")


def test_flags_are_stored_as_codes_in_their_order():
    record = record_of("questions", "patient")
    assert record["flags"] == ["needs_doctor:q_leak", "help_requested", "questions_for_doctor"]
    assert record["flag_codes"] == [
        {**FLAGS["needs_doctor"].to_dict(), "question_id": "q_leak"},
        {**FLAGS["help_requested"].to_dict(), "question_id": None},
        {**FLAGS["questions_for_doctor"].to_dict(), "question_id": None},
    ]
    assert [(f.code.code, f.question_id) for f in ConsentRecord.from_dict(record).flag_codes] == \
        [("needs_doctor", "q_leak"), ("help_requested", None), ("questions_for_doctor", None)]


def test_a_flag_without_a_code_is_not_made_up():
    assert flag_code("something_new") is None


@pytest.mark.parametrize("key", RELATIONSHIPS)
def test_relationship_is_stored_as_its_code_beside_the_words(key):
    shown = PACK.ui(f"relationship_{key}")
    record = record_of("consented", "representative", relationship=shown)
    assert record["representative"] == {"full_name": "Tom Obrien", "relationship": shown,
                                        "relationship_code": RELATIONSHIPS[key].to_dict()}
    person = ConsentRecord.from_dict(record).representative
    assert (person.relationship, person.relationship_code) == (shown, RELATIONSHIPS[key])
    assert person.relationship_code.display  # the standard's own words travel with the code


def test_son_or_daughter_is_roleCode_child():
    assert RELATIONSHIPS["son_daughter"] == Coded(ROLE_CODE, "CHILD", "child")


def test_the_coded_relationships_are_the_choices_the_kiosk_offers():
    ui = tomllib.loads((DEFAULT_TRANSLATIONS_DIR / "en" / "ui.toml").read_text(encoding="utf-8"))["ui"]
    offered = [key.removeprefix("relationship_") for key in ui
               if key.startswith("relationship_") and key != "relationship_title"]
    from kiosk.demo import RELATIONSHIPS as DEMO_CHOICES

    assert list(RELATIONSHIPS) == offered == list(DEMO_CHOICES)


@pytest.mark.parametrize("language", [code for code, _ in installed_languages()])
def test_every_language_names_each_relationship_once(language):
    """The code is certain in every installed language: each choice's words are its own."""
    from kiosk.content.interface_text import load_interface_text

    text = load_interface_text(language)
    for key, coded in RELATIONSHIPS.items():
        assert coded_relationship(text.ui(f"relationship_{key}"), languages=[language]) == coded, (language, key)


def test_a_relationship_chosen_in_another_language_is_still_coded():
    """Chosen in Spanish, then the Language button: the record is in English, the words Spanish."""
    spanish = load_pack("es")
    session = journey("consented", "representative", pack=spanish,
                      relationship=spanish.ui("relationship_legal_guardian"))
    session.note_language("en")
    record = build_record(session, PACK, time_zone="UTC")
    assert record["representative"]["relationship"] == spanish.ui("relationship_legal_guardian")
    assert record["representative"]["relationship_code"] == RELATIONSHIPS["legal_guardian"].to_dict()


@pytest.mark.parametrize("signer", SIGNERS)
def test_signer_role_is_stored_as_its_code(signer):
    record = record_of("consented", signer)
    assert record["signature"]["signer_role"] == signer
    assert record["signature"]["signer_role_code"] == SIGNER_ROLES[signer].to_dict()
    signature = ConsentRecord.from_dict(record).signature
    assert isinstance(signature, Signature) and signature.role == SIGNER_ROLES[signer]
    assert signature.drawing_intact()


def test_the_drawings_hash_changes_with_the_drawing():
    signature = record_of("consented", "patient")["signature"]
    moved = {**signature, "strokes": [[[x + 1, y] for x, y in s] for s in signature["strokes"]]}
    assert signature["strokes_sha256"] == strokes_sha256(signature) != strokes_sha256(moved)
    assert not Signature.from_dict({**moved, "strokes_sha256": signature["strokes_sha256"]}).drawing_intact()


def test_every_clinician_role_of_the_nurse_station_has_a_snomed_code():
    assert set(CLINICIAN_ROLES) == set(ROLES)
    assert {coded.system for coded in CLINICIAN_ROLES.values()} == {SNOMED_CT}


# ----- stored in real SQLite, read back ----------------------------------------------------------
@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """Every journey prepared the kiosk's way (sealed PDF) and archived into one SQLite file;
    one consent countersigned at the nurse station. Made once: sealing costs a little."""
    data = tmp_path_factory.mktemp("typed") / "data"
    data.mkdir()
    signer = load_seal_signer(data, SETTINGS)
    db = open_database(data / "kiosk.db")
    saved = {}
    for seed, (outcome, who) in enumerate(JOURNEYS):
        pending = prepare_consent(journey(outcome, who, seed=seed), PACK, SETTINGS, signer=signer,
                                  outcome="abandoned" if outcome == "abandoned" else None)
        save_consent(db, SETTINGS.consents_path(data), pending)
        saved[outcome, who] = pending.record
    nurse = create_nurse(db, name="Nora Nurse", pin="2468", is_admin=True, by=None)
    ctx = ReviewContext(db=db, settings=SETTINGS, data_dir=data, account=Account(id=nurse, name="Nora Nurse", is_admin=True),
                        now=lambda: datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc), pdf_labels=PACK.pdf_labels)
    countersigned = saved["consented", "representative"]["document_id"]
    countersign(ctx, countersigned, clinician_name="Dr Kim", role="interventional_radiologist",
                strokes=[[(10.0, 20.0), (200.0, 80.0), (400.0, 40.0)], [(50.0, 120.0), (380.0, 118.0)]],
                width=600.0, height=200.0)
    yield db, saved, countersigned, nurse
    db.close()


@pytest.mark.parametrize("outcome, signer", JOURNEYS)
def test_the_stored_record_round_trips(stored, outcome, signer):
    db, saved, _, _ = stored
    record = saved[outcome, signer]
    row = get_consent(db, record["document_id"])
    assert row["record"] == record
    assert ConsentRecord.from_dict(row["record"]).to_dict() == row["record"]
    assert row["outcome"] == ConsentRecord.from_dict(row["record"]).outcome_code.code


def test_a_countersignature_has_the_patients_signature_shape(stored):
    db, _, document_id, nurse = stored
    row = get_consent(db, document_id)
    actor = db.conn.execute("SELECT actor FROM audit_log WHERE action = 'countersigned' AND document_id = ?",
                            [document_id]).fetchone()[0]
    countersignature = Countersignature.from_row(row, recorded_by=actor)
    assert countersignature.to_dict() == json.loads(row["countersignature_json"])
    signature = countersignature.signature
    assert isinstance(signature, Signature)
    assert (signature.signer_name, signature.role_text) == ("Dr Kim", "Interventional radiologist")
    assert signature.role == CLINICIAN_ROLES["interventional_radiologist"] and signature.role.system == SNOMED_CT
    assert signature.signed_at == row["countersigned_at"] and signature.drawing_intact()
    # who recorded it: the account's id, not its display name
    assert account_id(countersignature.recorded_by) == nurse


def test_a_consent_without_countersignature_has_none(stored):
    db, saved, _, _ = stored
    assert Countersignature.from_row(get_consent(db, saved["consented", "patient"]["document_id"])) is None


# ----- records made before the codes -------------------------------------------------------------
def without_codes(record: dict) -> dict:
    """`record` as schema 2 wrote it: the same texts, no codes."""
    old = {k: v for k, v in copy.deepcopy(record).items() if k not in NEW_KEYS}
    old["schema"] = 2
    if old["representative"]:
        del old["representative"]["relationship_code"]
    if old["signature"]:
        del old["signature"]["signer_role_code"], old["signature"]["strokes_sha256"]
    return old


@pytest.mark.parametrize("outcome, signer", JOURNEYS)
def test_an_older_record_loads_with_its_codes_derived(outcome, signer):
    record = record_of(outcome, signer)
    old = without_codes(record)
    assert ConsentRecord.from_dict(old).to_dict() == {**record, "schema": 2}
    assert "outcome_code" not in old  # the caller's dict is not changed


def test_an_older_record_stored_in_sqlite_loads(tmp_path):
    db = open_database(tmp_path / "old.db")
    old = consent_record()  # schema 1, as tests/store keeps one
    archive_consent(db, tmp_path / "pdfs", old, PDF)
    typed = ConsentRecord.from_dict(get_consent(db, old["document_id"])["record"])
    assert typed.schema == 1 and typed.outcome_code == outcome_code("consented")
    assert typed.signature.role == SIGNER_ROLES["patient"] and typed.signature.drawing_intact()
    assert [(f.code.code, f.question_id) for f in typed.flag_codes] == [("needs_doctor", "q_rest"), ("help_requested", None)]
    assert typed.to_dict() == with_codes(old)
    assert {k: v for k, v in typed.to_dict().items() if k not in NEW_KEYS} == \
        {**old, "signature": typed.to_dict()["signature"]}
    db.close()


def test_an_older_relationship_the_kiosk_never_offered_has_no_code():
    old = without_codes(record_of("consented", "representative"))
    old["representative"]["relationship"] = "Neighbour"
    assert ConsentRecord.from_dict(old).representative.relationship_code is None


def test_an_older_german_relationship_is_coded():
    old = without_codes(record_of("consented", "representative"))
    old["language"], old["representative"]["relationship"] = "de", "Sohn oder Tochter"
    assert ConsentRecord.from_dict(old).representative.relationship_code == RELATIONSHIPS["son_daughter"]
