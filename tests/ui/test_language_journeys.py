"""A whole journey in each of the 11 languages, at 1280x800, in the real window: every page
in the language's direction and on the screen, then its consent PDF and blank form read back
(fonts embedded, its words extracted, the translation's status printed).

With KIOSK_SCREENSHOTS=DIR set, each language's Welcome, an education page with its labelled
picture, a question with the explanation of a wrong answer, the statements, the signature and
Done are saved as DIR/<lang>-<screen>.png, and the PDFs as DIR/<lang>-consent.pdf and
DIR/<lang>-blank.pdf (docs/languages/ holds the set, rendered and looked at).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.content import load_pack
from kiosk.documents import render_blank_form
from kiosk.flow.record import blank_form_data
from kiosk.store import get_consent, list_consents
from kiosk.ui.pages.decision import DecisionPage, SignaturePage, StatementsPage
from kiosk.ui.pages.ending import DonePage
from kiosk.ui.pages.education import InfoPage
from kiosk.ui.pages.identity import NamePage
from kiosk.ui.pages.questions import QuestionPage
from kiosk.ui.theme import screen_scale
from tests.content.test_translations import SHIPPED
from tests.ui.conftest import draw_signature, enter_date, page, tap, type_on_keyboard
from tests.ui.test_fits_screen import misfits

SIZE = (1280, 800)
NAMES = {"zh": "张伟", "ar": "فاطمة الزهراء", "uk": "Олена Коваль", "tr": "Ayşe Yılmaz", "pl": "Łucja Nowak"}
FOLDER = os.environ.get("KIOSK_SCREENSHOTS")


def shot(window, language: str, name: str) -> None:
    if FOLDER:
        Path(FOLDER).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(FOLDER) / f"{language}-{name}.png"))


BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def normal(text: str) -> str:
    """Text as pdftotext gives it, compared as a reader would: NFKC (Arabic presentation forms
    become letters), without the bidi marks pdftotext puts around each run, white space folded."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(BIDI_CONTROLS).split())


def in_logical_order(expected: str, text: str, count: int = 8) -> bool:
    """The first `count` words of `expected` appear, one after another, in `text`: a line of
    right-to-left text extracted in reading order, not reversed."""
    want = re.findall(r"[^\W\d_]+", normal(expected))[:count]
    have = re.findall(r"[^\W\d_]+", normal(text))
    return any(have[i:i + len(want)] == want for i in range(len(have) - len(want) + 1))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def walk_in(window, language: str) -> tuple[dict, list[str]]:
    """Welcome to Done in `language`; (the stored consent, problems seen on the way)."""
    pack = load_pack(language)
    problems: list[str] = []
    rtl = pack.direction == "rtl"

    def check(name: str) -> None:
        QApplication.processEvents()
        direction = QApplication.instance().layoutDirection()
        if (direction == Qt.RightToLeft) != rtl:
            problems.append(f"{name}: the layout is {direction}, the language {pack.direction}")
        current = page(window)
        if current is not None and current.layoutDirection() != (Qt.RightToLeft if rtl else Qt.LeftToRight):
            problems.append(f"{name}: the page is not {pack.direction}")
        problems.extend(f"{name}: {p}" for p in misfits(window, SIZE))

    tap(window.welcome.language_buttons[language])
    assert window.pack.language == language
    assert window.welcome.start_button.text() == pack.ui("welcome_start")
    check("welcome")
    shot(window, language, "1-welcome")
    tap(window.welcome.start_button)
    tap(page(window).choices["patient"])
    name_page = page(window)
    assert isinstance(name_page, NamePage)
    name = NAMES.get(language, "Ana María Muñoz")
    if language == "zh":
        name_page.field.setText(name)  # as on the hospital's record, from a physical keyboard
    else:
        type_on_keyboard(name_page.keyboard, name)
    check("name")
    tap(name_page.next_button)
    enter_date(page(window).pad, "07", "03", "1948")
    tap(page(window).next_button)
    pictured = False
    while isinstance(page(window), InfoPage):
        current = page(window)
        check(f"education {current.step.page_id}")
        if not pictured and current.step.page_id == "procedure_how":
            shot(window, language, "2-education")
            pictured = True
        tap(current.next_button)
    wrong_shown = False
    while isinstance(page(window), QuestionPage):
        current = page(window)
        question = pack.question(current.question.id)
        if not wrong_shown:
            tap(current.choices[next(c.id for c in question.choices if c.id != question.correct)])
            assert current.feedback.isVisible() and question.explanation[:20] in current.feedback.text()
            check(f"question {question.id} wrong")
            shot(window, language, "3-question-wrong")
            wrong_shown = True
            tap(current.next_button)  # the page again
            tap(page(window).next_button)  # back to the question
        tap(current.choices[question.correct])
        check(f"question {question.id}")
        tap(current.next_button)
    statements = page(window)
    assert isinstance(statements, StatementsPage)
    for tick in statements.ticks.values():
        tap(tick)
    check("statements")
    shot(window, language, "4-statements")
    tap(statements.next_button)
    decision = page(window)
    assert isinstance(decision, DecisionPage)
    check("decision")
    tap(decision.options["consented"])
    signature = page(window)
    assert isinstance(signature, SignaturePage)
    draw_signature(signature.pad)
    check("signature")
    shot(window, language, "5-signature")
    tap(signature.next_button)
    assert isinstance(page(window), DonePage)
    check("done")
    shot(window, language, "6-done")
    [row] = list_consents(window.db_for_tests)
    return get_consent(window.db_for_tests, row["document_id"]), problems


@pytest.fixture(params=SHIPPED)
def journey(request, make_window, tmp_path):
    language = request.param
    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(SIZE[1]))
    window.resize(*SIZE)
    QApplication.processEvents()
    consent, problems = walk_in(window, language)
    return language, consent, problems, window


def test_every_page_of_the_journey_is_in_the_languages_direction_and_fits(journey):
    language, _consent, problems, _window = journey
    assert problems == [], f"{language}:\n" + "\n".join(problems)


def test_the_consent_pdf_is_in_the_language_with_its_fonts_embedded(journey, tmp_path):
    language, consent, _problems, _window = journey
    pack = load_pack(language)
    path = Path(consent["pdf_path"])
    fonts = pdf_fonts(path)
    assert fonts and all(line[-5] == "yes" for line in fonts), fonts  # the "emb" column
    if language == "zh":
        assert any("DroidSansFallback" in line[0] for line in fonts)
    text = normal(pdf_text(path))
    record = consent["record"]
    assert record["language"] == language and record["patient"]["full_name"] == NAMES.get(language, "Ana María Muñoz")
    assert "\ufffd" not in text, "no character lost"
    for expected in (pack.title, pack.statements_for("patient")[0].text, pack.pdf_labels["consent_kind"],
                     record["patient"]["full_name"]):
        words = normal(expected)
        if pack.direction == "rtl":
            assert in_logical_order(expected, text), f"{expected!r} is not in reading order"
            assert not in_logical_order(" ".join(reversed(words.split())), text), "reversed"
        else:
            assert words[:40] in text.replace("- ", "") or words[:25] in text, expected
    status = pack.pdf_labels["translation_not_reviewed"] if language != "en" else None
    if status:
        assert normal(status)[:30] in text, "a draft says it is not reviewed"
    if FOLDER:
        shutil.copy(path, Path(FOLDER) / f"{language}-consent.pdf")


def test_the_blank_form_is_in_the_language(journey, tmp_path):
    language, _consent, _problems, _window = journey
    pack = load_pack(language)
    pdf = render_blank_form(blank_form_data(pack), hospital_name="St Elsewhere Hospital", labels=pack.pdf_labels)
    path = tmp_path / f"{language}-blank.pdf"
    path.write_bytes(pdf)
    assert all(line[-5] == "yes" for line in pdf_fonts(path))
    text = normal(pdf_text(path))
    assert "\ufffd" not in text
    first = normal(pack.questions[0].prompt)
    assert (first[:30] in text) if pack.direction == "ltr" else in_logical_order(first, text)
    if FOLDER:
        shutil.copy(path, Path(FOLDER) / f"{language}-blank.pdf")
