"""Bad input gets a clear, kind message and loses nothing."""

from __future__ import annotations

import subprocess
import unicodedata

import pytest

from kiosk.store import get_consent, list_consents
from kiosk.ui.pages.decision import SignaturePage
from kiosk.ui.pages.ending import DonePage, SaveFailedPage
from kiosk.ui.pages.identity import BirthDatePage, NamePage
from tests.ui.conftest import draw_dot, draw_signature, enter_date, page, tap, type_on_keyboard
from tests.ui.journey import Patient, answer_questions, decide, enter_identity, read_education, start, walk


def to_name_page(window):
    start(window)
    tap(page(window).choices["patient"])
    assert isinstance(page(window), NamePage)
    return page(window)


@pytest.mark.parametrize("text, key", [("", "name_empty"), ("      ", "name_empty"),
                                       ("A" * 500, "name_too_long"), ("Rose 🌹 Smith", "name_bad_characters")])
def test_bad_names_are_refused_kindly(window, real_pack, text, key):
    name_page = to_name_page(window)
    name_page.field.setText(text)  # as if pasted or typed on another keyboard
    tap(name_page.next_button)
    assert page(window) is name_page, "must stay on the name page"
    assert name_page.error.text() == real_pack.ui(key) and name_page.error.isVisible()
    assert name_page.field.text() == text, "nothing the patient typed is lost"


def test_spaces_typed_on_the_keys_are_tidied(window):
    name_page = to_name_page(window)
    type_on_keyboard(name_page.keyboard, "Ann  Lee ")
    tap(name_page.next_button)
    assert isinstance(page(window), BirthDatePage)
    assert window.session.results.get("patient_name").full_name == "Ann Lee"


@pytest.mark.parametrize("dob, key", [(("01", "01", "2030"), "dob_in_future"), (("01", "01", "1890"), "dob_too_old"),
                                      (("31", "02", "1950"), "dob_not_a_date"), (("07", "03", "19"), "dob_incomplete")])
def test_bad_dates_of_birth_are_refused_kindly(window, real_pack, dob, key):
    name_page = to_name_page(window)
    type_on_keyboard(name_page.keyboard, "Ann Lee")
    tap(name_page.next_button)
    dob_page = page(window)
    enter_date(dob_page.pad, *dob)
    tap(dob_page.next_button)
    assert page(window) is dob_page and dob_page.error.text() == real_pack.ui(key)


def to_signature(window, pack, patient=None):
    patient = patient or Patient()
    start(window)
    enter_identity(window, patient)
    read_education(window, open_more_on_first=False)
    answer_questions(window, patient, pack)
    decide(window, patient)
    assert isinstance(page(window), SignaturePage)
    return page(window)


def test_a_dot_is_not_a_signature(window, real_pack):
    pad_page = to_signature(window, real_pack)
    draw_dot(pad_page.pad)
    tap(pad_page.next_button)
    assert page(window) is pad_page and pad_page.error.text() == real_pack.ui("signature_too_small")
    tap(pad_page.clear_button)
    draw_signature(pad_page.pad)
    tap(pad_page.next_button)
    assert isinstance(page(window), DonePage)


@pytest.mark.parametrize("name", ["Zoë Ångström", "Αλέξανδρος Παπαδόπουλος", "Наталья Иванова",
                                  "فاطمة الزهراء", "שרה כהן"])
def test_names_in_other_scripts_reach_the_pdf_as_text(window, real_pack, name):
    walk(window, Patient(name=name), real_pack)
    row = get_consent(window.db_for_tests, list_consents(window.db_for_tests)[0]["document_id"])
    assert row["patient_name"] == name
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", row["pdf_path"], "-"], capture_output=True,
                          text=True, check=True).stdout
    text = unicodedata.normalize("NFKC", text)  # Arabic is shaped into presentation forms
    letters = {ch for ch in name if ch.isalpha()}
    assert letters <= set(text), f"missing in the PDF: {letters - set(text)}"
    words = name.split()
    assert any(w in text or w[::-1] in text for w in words)


def test_unwritable_consents_folder_keeps_everything_and_retry_works(make_window, data_dir, real_pack):
    blocker = data_dir / "blocked"
    blocker.write_text("a file where the consents folder should be")
    window = make_window(consents_folder="blocked/consents")
    pad_page = to_signature(window, real_pack, Patient(name="Ivy Norton"))
    draw_signature(pad_page.pad)
    tap(pad_page.next_button)

    failed = page(window)
    assert isinstance(failed, SaveFailedPage)
    assert failed.retry_button.isVisible() and "blocked" in failed.detail.text()
    assert list_consents(window.db_for_tests) == []
    assert window.session is not None and window.pending is not None
    tap(failed.retry_button)  # still broken: still kept
    assert page(window) is failed

    blocker.unlink()
    tap(failed.retry_button)
    assert isinstance(page(window), DonePage)
    row = get_consent(window.db_for_tests, list_consents(window.db_for_tests)[0]["document_id"])
    assert row["patient_name"] == "Ivy Norton" and row["record"]["signature"]["signer_name"] == "Ivy Norton"
    assert row["pdf_path"].startswith(str(data_dir / "blocked" / "consents"))
