"""The header's Language button: another language mid-journey keeps every answer and the step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.content import load_pack
from kiosk.flow.results import NameResult, QuestionResult, StatementsResult
from kiosk.store import get_consent, list_consents
from kiosk.ui.pages.decision import SignaturePage, StatementsPage
from kiosk.ui.pages.education import InfoPage
from kiosk.ui.pages.identity import BirthDatePage, NamePage
from kiosk.ui.pages.language import LanguagePage
from kiosk.ui.pages.questions import QuestionPage
from tests.ui.conftest import draw_signature, page, tap, type_on_keyboard
from tests.ui.journey import Patient, choose, enter_identity, read_education, start


@pytest.fixture(scope="module")
def spanish():
    return load_pack("es")


def switch(window, code: str):
    tap(window.language_button)
    chooser = page(window)
    assert isinstance(chooser, LanguagePage)
    tap(chooser.language_buttons[code])
    assert window.pack.language == code
    assert window.language_page is None


def test_the_language_button_is_in_the_header_of_every_session_page_not_on_welcome(window):
    assert not window.language_button.isVisible()
    start(window)
    assert window.language_button.isVisible() and window.language_button.text() == window.pack.ui("language_button")


def test_switching_on_a_question_keeps_every_answer_and_the_step(window, real_pack, spanish):
    start(window)
    patient = Patient(name="Margaret Obrien")
    enter_identity(window, patient)
    read_education(window)
    q_page = page(window)
    assert isinstance(q_page, QuestionPage)
    question = real_pack.question(q_page.question.id)
    tap(q_page.choices[question.correct])
    results_before = dict(window.session.results.by_step)
    history_before = window.session.history
    step = window.session.current.id

    switch(window, "es")

    now = page(window)
    assert isinstance(now, QuestionPage) and now is not q_page
    assert window.session.current.id == step and window.session.history == history_before
    assert window.session.results.by_step == results_before, "no answer is lost or changed"
    assert now.question.prompt == spanish.question(question.id).prompt
    assert now.feedback.isVisible() and now.feedback.text() == spanish.ui("answer_right")
    assert now.next_button.isEnabled()
    assert window.help_button.text() == spanish.ui("call_nurse")
    result = window.session.results.get(step)
    assert isinstance(result, QuestionResult) and len(result.attempts) == 1

    # Back through the pages made again: each shows what was entered, in Spanish.
    while not isinstance(page(window), NamePage):
        shown = page(window)
        if isinstance(shown, BirthDatePage):
            assert shown.pad.values == {"day": "07", "month": "03", "year": "1948"}
            assert shown.title.text() == spanish.ui("dob_title_own")
        if isinstance(shown, InfoPage):
            assert shown.step.page_id and spanish.page(shown.step.page_id).title in [
                w.text() for w in shown.findChildren(type(window.progress_label))]
        tap(shown.back_button)
    assert page(window).field.text() == "Margaret Obrien"
    assert isinstance(window.session.results.get(window.session.current.id), NameResult)


def test_a_half_typed_name_and_a_half_drawn_signature_are_carried_over(window, real_pack):
    start(window)
    tap(page(window).choices["patient"])
    name_page = page(window)
    type_on_keyboard(name_page.keyboard, "Marg")
    switch(window, "es")
    assert isinstance(page(window), NamePage) and page(window).field.text() == "Marg"
    switch(window, "en")
    assert page(window).field.text() == "Marg"

    # and on the signature page, a signature drawn but not yet signed
    type_on_keyboard(page(window).keyboard, "aret Obrien")
    tap(page(window).next_button)
    enter_date_page = page(window)
    from tests.ui.conftest import enter_date

    enter_date(enter_date_page.pad, "07", "03", "1948")
    tap(enter_date_page.next_button)
    read_education(window)
    from tests.ui.journey import answer_questions

    answer_questions(window, Patient(), real_pack)
    statements = page(window)
    for tick in statements.ticks.values():
        tap(tick)
    tap(statements.next_button)
    choose(window, "consented")
    signature = page(window)
    assert isinstance(signature, SignaturePage)
    draw_signature(signature.pad)
    drawn = signature.pad.strokes()
    switch(window, "es")
    again = page(window)
    assert isinstance(again, SignaturePage) and again is not signature
    assert again.pad.strokes() == drawn
    tap(again.next_button)  # Sign, in Spanish: the consent is stored

    rows = list_consents(window.db_for_tests)
    assert len(rows) == 1
    record = get_consent(window.db_for_tests, rows[0]["document_id"])["record"]
    assert record["language"] == "es"
    assert [c["language"] for c in record["language_changes"]] == ["es", "en", "es"]
    assert record["signature"]["signer_name"] == "Margaret Obrien"


def test_statements_keep_their_ticks_through_a_switch(window, real_pack):
    from tests.ui.journey import to_the_statements

    statements = to_the_statements(window, real_pack, Patient())
    first, second = list(statements.ticks)[:2]
    tap(statements.ticks[first])
    tap(statements.ticks[second])
    switch(window, "es")
    again = page(window)
    assert isinstance(again, StatementsPage)
    assert {sid for sid, tick in again.ticks.items() if tick.isChecked()} == {first, second}
    result = window.session.results.get(window.session.current.id)
    assert isinstance(result, StatementsResult) and {s for s, _ in result.confirmed} == {first, second}


def test_back_from_the_language_page_changes_nothing(window):
    start(window)
    signer = page(window)
    tap(window.language_button)
    chooser = page(window)
    assert chooser.language_buttons["en"].isChecked()
    tap(chooser.back_button)
    assert page(window) is signer and window.pack.language == "en"


def test_the_second_tap_of_a_double_tap_on_language_chooses_nothing(window):
    from PySide6.QtTest import QTest

    start(window)
    tap(window.language_button)
    chooser = page(window)
    QTest.mouseClick(chooser.language_buttons["es"], Qt.LeftButton)  # at once: not yet painted and settled
    assert page(window) is chooser and window.pack.language == "en"
    assert chooser.language_buttons["en"].isChecked()


def test_the_next_patient_starts_in_the_default_language_with_nothing_left(window, qtbot):
    start(window)
    tap(page(window).choices["patient"])
    type_on_keyboard(page(window).keyboard, "Ana")
    switch(window, "es")
    window.end_session()
    assert window.pack.language == "en" and window.language_page is None
    assert window.welcome.title.text() == window.pack.ui("welcome_title")
    qtbot.waitUntil(lambda: not window._doomed, timeout=5000)
    texts = [w.text() for w in window.findChildren(type(window.progress_label)) if hasattr(w, "text")]
    assert not any("Ana" in t for t in texts)


def test_the_languages_setting_chooses_what_welcome_offers_in_its_order(make_window):
    window = make_window(languages=("ar", "en", "zh"))
    assert list(window.welcome.language_buttons) == ["ar", "en", "zh"]
    assert window.welcome.language_buttons["ar"].text() == "العربية"
    start(window)
    tap(window.language_button)
    assert list(page(window).language_buttons) == ["ar", "en", "zh"]


def test_one_language_only_has_no_language_button(make_window):
    window = make_window(languages=("en",))
    start(window)
    assert not window.language_button.isVisible()
