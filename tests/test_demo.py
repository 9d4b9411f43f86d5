"""`kiosk demo --consents N`: a data folder of SAMPLE consents made the kiosk's own way, as a
trainer would run it: a real process (the other commands in-process), a real folder, the PDFs read back, the seals checked.

One demo folder for the module (about 5 s to make); the refusal and a second run get their
own folders."""

from __future__ import annotations

import hashlib
import random
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.content import load_pack
from kiosk.documents import render_blank_form, render_consent_pdf
from kiosk.documents.seal import verify_pdf
from kiosk.finalise import current_audit_head, prepare_consent, save_consent
from kiosk.flow import build_record
from kiosk.flow.record import blank_form_data
from kiosk.flow.walk import walk_session
from kiosk.seal_key import load_seal_signer
from kiosk.settings import load_settings
from kiosk.store import get_consent, list_help_requests, open_database
from tests.cli_runs import kiosk_in_process, kiosk_process
from tests.documents.consent_records import pdf_pages_text, pdftotext
from tests.flow.sample import complete_session, fixed_clock

PACK = load_pack("en")
SCRIPTS = {"LATIN", "GREEK", "CYRILLIC", "ARABIC", "HEBREW"}


# The module's demo folder is made by a real process; the other commands run the same
# `kiosk.cli.main` in-process (tests/cli_runs.py).
kiosk = kiosk_in_process


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(data folder, the finished process, seconds it took): `kiosk demo --consents 20`."""
    data = tmp_path_factory.mktemp("demo")  # exists, and empty
    started = time.monotonic()
    result = kiosk_process("--data-dir", str(data), "demo", "--consents", "20")
    return data, result, time.monotonic() - started


@pytest.fixture(scope="module")
def rows(demo):
    data, result, _ = demo
    assert result.returncode == 0, result.stderr
    with open_database(data / "kiosk.db", read_only=True) as db:
        ids = [r["document_id"] for r in db.query("SELECT document_id FROM consents ORDER BY rowid")]
        consents = [get_consent(db, document_id) for document_id in ids]
        helps = list_help_requests(db)
    return consents, helps


def script(name: str) -> str:
    return next(unicodedata.name(c).split()[0] for c in name if unicodedata.category(c).startswith("L"))


def test_kiosk_demo_exits_0_and_says_what_it_made(demo):
    data, result, seconds = demo
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Made 20 sample consents" in out
    assert "consented" in out and "abandoned" in out and "countersigned" in out and "voided" in out
    assert f"Open it with: kiosk --data-dir {data} nurse" in out
    print(f"kiosk demo --consents 20: {seconds:.1f} s")
    assert seconds < 60  # a few seconds on the development machine; generous for a busy CI


def test_the_folder_holds_20_samples_of_every_kind(rows):
    consents, helps = rows
    assert len(consents) == 20
    assert all(c["record"].get("sample") is True for c in consents)
    assert {c["outcome"] for c in consents} == {"consented", "questions", "declined", "abandoned"}
    assert any(c["needs_doctor_count"] >= 1 for c in consents)
    assert any(a["status"] == "understood_after_review" for c in consents for a in c["record"]["answers"])
    assert helps and any(h["acknowledged_at"] for h in helps)
    assert all(any(c["document_id"] == h["session_id"] for c in consents) for h in helps)
    representatives = [c for c in consents if c["representative_name"]]
    assert representatives and all(c["representative_relationship"] for c in representatives)
    assert any(c["mrn"] and c["identity_checked_by"] for c in consents)
    assert any(c["void"] and c["void_reason"] and c["review_state"] == "void" for c in consents)
    assert any(c["countersigned_pdf_path"] and c["review_state"] == "fully_signed" for c in consents)
    assert len({script(c["patient_name"]) for c in consents} & SCRIPTS) >= 3
    assert len({c["started_at"][:10] for c in consents}) >= 3  # spread over recent days
    now = datetime.now(UTC)
    assert all(datetime.fromisoformat(c["finished_at"]) < now for c in consents)
    assert all(c["pdf_path"] is None for c in consents if c["outcome"] == "abandoned")


def test_the_records_are_the_kiosks_own(rows):
    consents, _ = rows
    for consent in consents:
        record = consent["record"]
        assert record["content"]["sha256"] == PACK.sha256
        assert len(record["answers"]) == len(PACK.questions)
        if record["outcome"] == "consented":
            assert record["signature"]["strokes"] and len(record["statements"]) == len(
                PACK.statements_for(record["signature"]["signer_role"]))


def test_countersigned_consents_carry_two_valid_signatures(demo, rows):
    data, _, _ = demo
    consents, _ = rows
    certificate = (data / "seal" / "kiosk-seal-cert.pem").read_bytes()
    countersigned = [c for c in consents if c["countersigned_pdf_path"]]
    assert countersigned
    for consent in countersigned:
        original = Path(consent["pdf_path"]).read_bytes()
        pdf = Path(consent["countersigned_pdf_path"]).read_bytes()
        assert pdf.startswith(original)
        assert hashlib.sha256(original).hexdigest() == consent["pdf_sha256"]
        report = verify_pdf(pdf, [certificate])
        assert report.ok, report.problems
        assert [s.field_name for s in report.signatures] == ["Kiosk seal", "Clinician countersignature"]
        assert all(s.intact and s.valid and s.trusted for s in report.signatures)


def test_every_page_of_every_demo_pdf_says_sample(rows):
    consents, _ = rows
    pdfs = [Path(p) for c in consents for p in (c["pdf_path"], c["countersigned_pdf_path"]) if p]
    assert len(pdfs) >= 16
    for path in pdfs:
        data = path.read_bytes()
        pages = pdf_pages_text(data)
        assert len(pages) >= 4
        assert all("SAMPLE" in page for page in pages), path
        assert all("SAMPLE" in page for page in pdftotext(data).split("\f")[:len(pages)]), path
        assert "not a real consent" in pdftotext(data)


def test_the_blank_form_never_says_sample(tmp_path, demo):
    data, _, _ = demo
    out = tmp_path / "form.pdf"
    result = kiosk("--data-dir", str(data), "form", "--blank", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "SAMPLE" not in pdftotext(out.read_bytes())
    marked = {**blank_form_data(PACK), "sample": True}  # even asked to, the paper form is never marked
    assert "SAMPLE" not in pdftotext(render_blank_form(marked, hospital_name="St Mary's", labels=PACK.pdf_labels))


@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_a_sample_record_says_sample_on_every_page_whatever_the_paper(page_size):
    record = {**build_record(complete_session(PACK, representative="Ann Lee"), PACK, time_zone="UTC"),
              "sample": True}
    pdf = render_consent_pdf(record, hospital_name="St Mary's", page_size=page_size, labels=PACK.pdf_labels)
    pages = pdftotext(pdf).split("\f")[:-1]
    assert len(pages) >= 4
    for page in pages:  # the watermark reads as one line, not as letters scattered through the text
        assert page.count("SAMPLE") == 3 and page.count("SAMPLE — not a real consent") == 1
    assert "What is vertebroplasty?" in pages[0]


def test_a_real_consent_pdf_never_says_sample():
    record = build_record(complete_session(PACK), PACK, time_zone="UTC")
    assert "sample" not in record
    assert "SAMPLE" not in pdftotext(render_consent_pdf(record, hospital_name="St Mary's", labels=PACK.pdf_labels))


def test_audit_verify_passes_on_the_demo_folder(demo, rows):
    data, _, _ = demo
    result = kiosk("--data-dir", str(data), "audit", "verify")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Audit trail intact" in result.stdout
    anchor = (data / "audit-anchor.txt").read_text().splitlines()
    assert len(anchor) >= 5  # views, identity checks, countersignatures, the void, answered calls


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def save_real_consents(data: Path, names: list[str]) -> None:
    settings = load_settings(data)
    signer = load_seal_signer(data, settings)
    with open_database(data / "kiosk.db") as db:
        for i, name in enumerate(names):
            pending = prepare_consent(complete_session(PACK, name=name, seed=i), PACK, settings, signer=signer,
                                      audit_head=current_audit_head(db))
            save_consent(db, settings.consents_path(data), pending)


def test_it_refuses_a_folder_with_real_consents_and_changes_nothing(tmp_path):
    data = tmp_path / "ward"
    data.mkdir()
    save_real_consents(data, ["Margaret Obrien"])
    before = snapshot(data)
    result = kiosk("--data-dir", str(data), "demo", "--consents", "5")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "holds 1 real consent;" in result.stderr
    assert "--data-dir" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert snapshot(data) == before  # kiosk.db byte-identical, nothing added or removed


def test_it_counts_the_real_consents_among_samples(tmp_path):
    from kiosk.demo import DemoRefused, make_demo

    data = tmp_path / "mixed"
    make_demo(data, 2, seed=3)
    save_real_consents(data, ["Edith Clarke", "Ann Lee"])
    before = snapshot(data)
    with pytest.raises(DemoRefused, match="holds 2 real consents"):
        make_demo(data, 2, seed=3)
    assert snapshot(data) == before


def test_a_second_run_adds_more_samples(tmp_path):
    from kiosk.demo import make_demo

    data = tmp_path / "not-yet-there"
    first = make_demo(data, 3, seed=5)
    second = make_demo(data, 3, seed=5)
    assert (first.added, second.added, second.samples_in_folder) == (3, 3, 6)
    with open_database(data / "kiosk.db", read_only=True) as db:
        records = [get_consent(db, r["document_id"])["record"] for r in db.query("SELECT document_id FROM consents")]
    assert len({r["document_id"] for r in records}) == 6 and all(r["sample"] is True for r in records)
    assert kiosk("--data-dir", str(data), "audit", "verify").returncode == 0


@pytest.mark.parametrize("count", ["0", "5001", "many"])
def test_the_number_of_consents_is_checked(tmp_path, count):
    result = kiosk("--data-dir", str(tmp_path / "d"), "demo", "--consents", count)
    assert result.returncode == 2 and "--consents" in result.stderr
    assert not (tmp_path / "d").exists()


# ----- the walker, now part of the product ---------------------------------------------------
def test_the_walker_abandons_where_the_patient_walks_away():
    session = walk_session(PACK, name="Ольга Петрова", clock=fixed_clock, rng=random.Random(2),
                           abandon_at="info.risks_leak", help_at=("info.procedure_how",))
    assert session.current.id == "info.risks_leak"
    record = build_record(session, PACK, time_zone="UTC", outcome="abandoned")
    assert record["outcome"] == "abandoned" and record["signature"] is None
    # the statements the patient would have seen, none confirmed (record schema 2)
    assert [s["id"] for s in record["statements"]] == [s.id for s in PACK.statements_for("patient")]
    assert all(s["confirmed_at"] is None for s in record["statements"])
    assert [h["step_id"] for h in record["help_requests"]] == ["info.procedure_how"]
    assert record["flags"] == ["help_requested"]


def test_the_walker_signs_for_a_representative_with_their_relationship():
    session = walk_session(PACK, name="דוד כהן", representative="שרה לוי", relationship="Carer",
                           clock=fixed_clock, rng=random.Random(4), wrong_once={"q_leak"}, wrong_twice={"q_nearby"})
    record = build_record(session, PACK, time_zone="UTC")
    assert record["representative"] == {"full_name": "שרה לוי", "relationship": "Carer", "relationship_code": {
        "system": "http://terminology.hl7.org/CodeSystem/v3-RoleClass", "code": "CAREGIVER", "display": "caregiver"}}
    assert record["signature"]["signer_name"] == "שרה לוי"
    status = {a["question_id"]: a["status"] for a in record["answers"]}
    assert status["q_leak"] == "understood_after_review" and status["q_nearby"] == "needs_doctor"


def test_complete_session_is_the_walker():
    one = build_record(complete_session(PACK, wrong_once={"q_leak"}, seed=9), PACK, time_zone="UTC")
    two = build_record(walk_session(PACK, name="Margaret Obrien", wrong_once={"q_leak"}, clock=fixed_clock,
                                    rng=random.Random(9)), PACK, time_zone="UTC")
    one.pop("document_id"), two.pop("document_id")
    assert one == two


# ----- the nurse station on a demo folder ------------------------------------------------------
def test_the_nurse_station_says_it_shows_sample_data(qtbot, tmp_path, demo, rows):
    import shutil

    from PySide6.QtWidgets import QApplication

    from kiosk.store.nurses import create_nurse, list_nurses
    from kiosk.ui import theme
    from kiosk.ui.nurse.station import NurseStation

    data = tmp_path / "copy"
    shutil.copytree(demo[0], data)  # the module's folder stays as the demo made it
    theme.install(QApplication.instance())
    settings = load_settings(data)
    with open_database(data / "kiosk.db") as db:
        create_nurse(db, name="Nora Nurse", pin="2468", is_admin=True, by=None)
        station = NurseStation(settings=settings, data_dir=data, db=db, pdf_labels=PACK.pdf_labels)
        qtbot.addWidget(station)
        station.show()
        assert "SAMPLE" in station.windowTitle()
        assert not station.sample_banner.isVisible()  # nothing shows before signing in
        from kiosk.review.session import sign_in_as

        signed = sign_in_as(station.station_context, list_nurses(db)[0]["id"], "2468")
        assert signed.context is not None, signed.message
        station._signed_in(signed.context)
        assert station.sample_banner.isVisible() and "SAMPLE data for training" in station.sample_banner.text()
        assert station.queue.model.total == 20
        station.sign_out()


def test_a_real_folder_shows_no_sample_banner(qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication

    from kiosk.store.samples import holds_samples
    from kiosk.ui import theme
    from kiosk.ui.nurse.station import NurseStation

    data = tmp_path / "ward"
    data.mkdir()
    save_real_consents(data, ["Ann Lee"])
    theme.install(QApplication.instance())
    with open_database(data / "kiosk.db") as db:
        assert not holds_samples(db)
        station = NurseStation(settings=load_settings(data), data_dir=data, db=db)
        qtbot.addWidget(station)
        assert "SAMPLE" not in station.windowTitle()
        station.sign_out()
