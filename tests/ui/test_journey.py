"""The whole patient journey through the real main window, then the database row and the PDF."""

from __future__ import annotations

import re

import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.store import get_consent, list_consents
from kiosk.ui.pages.ending import DonePage
from tests.ui.conftest import page, tap
from tests.ui.journey import Patient, walk


def pdf_text(path) -> str:
    reader = PdfReader(str(path))
    return "\n".join(p.extract_text() for p in reader.pages)


def only_row(window):
    rows = list_consents(window.db_for_tests)
    assert len(rows) == 1
    return get_consent(window.db_for_tests, rows[0]["document_id"])


def test_consent_from_welcome_to_signed_pdf(window, real_pack):
    patient = Patient(name="Margaret Obrien", dob=("07", "03", "1948"))
    walk(window, patient, real_pack)
    assert isinstance(page(window), DonePage)

    row = only_row(window)
    record = row["record"]
    assert row["outcome"] == "consented" and record["outcome"] == "consented"
    assert row["patient_name"] == "Margaret Obrien" and row["patient_dob"] == "1948-03-07"
    assert record["content"]["sha256"] == real_pack.sha256 == row["content_sha256"]
    assert all(a["status"] == "understood" for a in record["answers"])
    assert len(record["answers"]) == len(real_pack.questions) >= 6
    assert [s["id"] for s in record["statements"]] == [s.id for s in real_pack.statements_for("patient")]
    assert all(p["seen_at"] for s in record["sections"] for p in s["pages"])
    assert record["sections"][0]["pages"][0]["more_opened"] in (True, False)
    signature = record["signature"]
    assert signature["signer_name"] == "Margaret Obrien" and signature["signer_role"] == "patient"
    assert re.search(r"[+-]\d\d:\d\d$", signature["signed_at"])
    assert len(signature["strokes"]) == 1 and len(signature["strokes"][0]) > 20

    text = pdf_text(row["pdf_path"])
    flat = " ".join(text.split())
    for expected in ["Margaret Obrien", "1948-03-07", record["document_id"], real_pack.sha256,
                     " ".join(real_pack.ui("signature_meaning", procedure=real_pack.procedure).split())]:
        assert expected in flat, expected
    for answer in record["answers"]:
        assert " ".join(answer["prompt"].split())[:40] in flat
    for statement in record["statements"]:
        assert " ".join(statement["text"].split())[:40] in flat
    assert signature["signed_at"][:10] in flat and signature["signed_at"][11:16] in flat

    reader = PdfReader(row["pdf_path"])
    signature_ops = b"".join(p.get_contents().get_data() for p in reader.pages)
    assert re.search(rb"\d c\b", signature_ops) and b" S" in signature_ops, "signature must be vector curves"


def test_wrong_answers_lead_to_the_explaining_page_then_a_flag(window, real_pack):
    questions = [q.id for q in real_pack.questions]
    patient = Patient(wrong_once={questions[0]}, wrong_twice={questions[1]})
    walk(window, patient, real_pack)
    record = only_row(window)["record"]
    status = {a["question_id"]: a["status"] for a in record["answers"]}
    assert status[questions[0]] == "understood_after_review"
    assert status[questions[1]] == "needs_doctor"
    assert f"needs_doctor:{questions[1]}" in record["flags"]
    assert record["answers"][1]["reviewed_page"] == real_pack.question(questions[1]).explained_by
    assert [a["correct"] for a in record["answers"][1]["attempts"]] == [False, False]
    flat = " ".join(pdf_text(only_row(window)["pdf_path"]).split()).lower()
    assert "doctor" in flat and "attention" in flat


@pytest.mark.parametrize("outcome, flag", [("questions", "questions_for_doctor"), ("declined", "declined")])
def test_questions_or_no_are_recorded_without_a_signature(window, real_pack, qtbot, outcome, flag):
    walk(window, Patient(outcome=outcome), real_pack, qtbot)
    assert isinstance(page(window), DonePage)
    row = only_row(window)
    assert row["outcome"] == outcome and flag in row["record"]["flags"]
    assert row["record"]["signature"] is None
    assert row["pdf_path"] and "Margaret Obrien" in pdf_text(row["pdf_path"])


def test_a_representative_signs_for_the_patient(window, real_pack):
    walk(window, Patient(name="Edith Clarke", representative="Tom Clarke"), real_pack)
    record = only_row(window)["record"]
    assert record["patient"]["full_name"] == "Edith Clarke"
    assert record["representative"] == {"full_name": "Tom Clarke", "relationship": "Son or daughter", "relationship_code": {
        "system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "CHILD", "display": "child"}}
    assert record["signature"]["signer_name"] == "Tom Clarke"
    assert record["signature"]["signer_role"] == "representative"
    flat = " ".join(pdf_text(only_row(window)["pdf_path"]).split())
    assert "Tom Clarke" in flat and "Son or daughter" in flat and "Edith Clarke" in flat


def test_done_returns_to_welcome_with_nothing_left(window, real_pack, qtbot):
    walk(window, Patient(name="Agnes Whitaker"), real_pack)
    done = page(window)
    QApplication.processEvents()  # Done is on screen
    QTest.mouseClick(done.next_button, Qt.LeftButton)  # Finish at once: the second half of a double tap on Sign
    assert page(window) is done, "the news that it is saved is not skipped"
    tap(done.next_button)  # Finish, calmly (tap moves the window's tap clock on)
    assert page(window) is window.welcome
    assert window.session is None
    from tests.ui.conftest import visible_texts

    assert not any("Agnes" in t for t in visible_texts())
    qtbot.waitUntil(lambda: window.pages_left_to_delete() == 0, timeout=2000)  # destroyed just after
    assert not any("Agnes" in t or "Whitaker" in t for t in visible_texts()) and not shiboken6.isValid(done)


def test_call_a_nurse_is_stored_at_once_and_flagged_in_the_record(window, real_pack, qtbot):
    from kiosk.store import list_help_requests
    from tests.ui.journey import answer_questions, decide, enter_identity, read_education, sign, start

    patient = Patient()
    start(window)
    enter_identity(window, patient)
    assert window.help_button.isVisible()
    tap(window.help_button)
    qtbot.waitUntil(lambda: window.help_banner.text() == real_pack.ui("call_nurse_done"), timeout=5000)
    assert window.help_banner.isVisible()
    requests = list_help_requests(window.db_for_tests, open_only=True)
    assert len(requests) == 1 and requests[0]["session_id"] == window.session.id
    assert requests[0]["step_id"].startswith("info.")
    read_education(window)
    answer_questions(window, patient, real_pack)
    decide(window, patient)
    sign(window)
    record = only_row(window)["record"]
    assert "help_requested" in record["flags"] and len(record["help_requests"]) == 1
    assert "help" in " ".join(pdf_text(only_row(window)["pdf_path"]).split()).lower()


def test_the_language_picker_lists_the_translations_and_switches(window, real_pack):
    from kiosk.content import available_languages

    codes = [code for code, _ in available_languages()]
    assert list(window.welcome.language_buttons) == ["en"] + [c for c in codes if c != "en"]  # the default first
    tap(window.welcome.language_buttons["en"])
    assert window.pack.language == "en" and window.welcome.language_buttons["en"].isChecked()
    assert window.welcome.start_button.text() == real_pack.ui("welcome_start")
