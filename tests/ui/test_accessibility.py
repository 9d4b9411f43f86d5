"""What a screen reader is told, screen by screen, through a whole journey in English and in
Arabic: the window's accessibility tree walked in the process (`kiosk.ui.accessibility.tree`,
QAccessible's own interfaces, offscreen), from Welcome through the signer, the name typed on
the keyboard, the date, every education page, a question answered wrong (its feedback and
picture) and then right, the statements, the decision and the signature, to Done.

On every screen: no button, check box, field or signature pad without a name; the names are
the patient's words (none of English's own words in Arabic); the signature pad says what to
do; every picture is named with what it shows (the pack's [descriptions]); no label carries an
accessible name (a named QLabel hides its live text from AT-SPI). The real AT-SPI client is
tests/ui/test_atspi.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.content import load_pack
from kiosk.ui.accessibility import tree
from kiosk.ui.pages.decision import DecisionPage, SignaturePage, StatementsPage
from kiosk.ui.pages.ending import DonePage
from kiosk.ui.pages.education import InfoPage
from kiosk.ui.pages.identity import BirthDatePage, NamePage, SignerPage
from kiosk.ui.pages.questions import QuestionPage
from kiosk.ui.widgets.picture import PictureView
from kiosk.ui.widgets.signature_pad import SignaturePad
from tests.ui.conftest import draw_signature, enter_date, page, tap, type_on_keyboard

NAMES = {"en": "Ann Lee", "ar": "فاطمة الزهراء"}
FOLDER = os.environ.get("KIOSK_SCREENSHOTS")


@dataclass(frozen=True)
class Heard:
    """One node of the tree as read on one screen (plain data: the window is gone by the tests)."""

    role: str
    name: str
    description: str
    kind: str  # the widget's class
    control: bool  # pressed, ticked, typed into or drawn on
    label_named: bool  # a QLabel with an accessible name of its own
    picture: str | None  # a PictureView's illustration


def heard_from(node) -> Heard:
    widget = node.object
    return Heard(node.role.name, node.name, node.description, type(widget).__name__,
                 node.interactive or isinstance(widget, SignaturePad),
                 isinstance(widget, QLabel) and bool(widget.accessibleName()),
                 widget.name if isinstance(widget, PictureView) else None)


def screens_heard(window, language: str) -> dict[str, list[Heard]]:
    """Walk the journey in `language`; {screen: the visible tree's nodes} for every screen."""
    pack = load_pack(language)
    heard: dict[str, list] = {}

    def listen(name: str) -> None:
        QApplication.processEvents()
        heard[name] = [heard_from(node) for node in tree(window)]
        if FOLDER:
            Path(FOLDER).mkdir(parents=True, exist_ok=True)
            window.grab().save(str(Path(FOLDER) / f"a11y-{language}-{len(heard):02d}-{name.split()[0]}.png"))

    tap(window.welcome.language_buttons[language])
    listen("welcome")
    tap(window.welcome.start_button)
    assert isinstance(page(window), SignerPage)
    listen("signer")
    tap(page(window).choices["patient"])
    name_page = page(window)
    assert isinstance(name_page, NamePage)
    listen("name empty")
    type_on_keyboard(name_page.keyboard, NAMES[language])
    listen("name typed")
    tap(name_page.next_button)
    dob = page(window)
    assert isinstance(dob, BirthDatePage)
    listen("date empty")
    enter_date(dob.pad, "07", "03", "1948")
    listen("date filled")
    tap(dob.next_button)
    first = True
    while isinstance(page(window), InfoPage):
        current = page(window)
        if first and current.more_button is not None:
            tap(current.more_button)
        first = False
        listen(f"education {current.step.page_id}")
        tap(current.next_button)
    wrong_done = False
    while isinstance(page(window), QuestionPage):
        current = page(window)
        question = pack.question(current.question.id)
        listen(f"question {question.id}")
        if not wrong_done:
            wrong_done = True
            tap(current.choices[next(c.id for c in question.choices if c.id != question.correct)])
            assert current.feedback_picture.isVisible()
            listen(f"feedback {question.id}")
            tap(current.next_button)  # "Show me again"
            review = page(window)
            assert isinstance(review, InfoPage)
            listen(f"review {review.step.page_id}")
            tap(review.next_button)
            assert page(window) is current
        tap(current.choices[question.correct])
        tap(current.next_button)
    statements = page(window)
    assert isinstance(statements, StatementsPage)
    listen("statements")
    for tick in statements.ticks.values():
        tap(tick)
    listen("statements ticked")
    tap(statements.next_button)
    decision = page(window)
    assert isinstance(decision, DecisionPage)
    listen("decision")
    tap(decision.options["consented"])
    signature = page(window)
    assert isinstance(signature, SignaturePage)
    listen("signature")
    draw_signature(signature.pad)
    tap(signature.next_button)
    assert isinstance(page(window), DonePage)
    listen("done")
    return heard


WALKED: dict[str, dict[str, list[Heard]]] = {}  # each language's journey, walked once per module


@pytest.fixture
def walked(make_window):
    def walk(language: str) -> dict[str, list[Heard]]:
        if language not in WALKED:
            window = make_window(idle_timeout_seconds=3600)
            window.resize(1280, 800)
            QApplication.processEvents()
            WALKED[language] = screens_heard(window, language)
        return WALKED[language]

    return walk


@pytest.mark.parametrize("language", sorted(NAMES))
def test_every_control_on_every_screen_has_a_name(walked, language):
    screens = walked(language)
    assert len(screens) > 30, "the whole journey was walked"
    missing = {screen: [f"{n.role} {n.kind}" for n in nodes if n.control and not n.name.strip()]
               for screen, nodes in screens.items()}
    missing = {screen: nodes for screen, nodes in missing.items() if nodes}
    assert missing == {}, f"{language}: controls without a name: {missing}"
    counts = [sum(n.control for n in nodes) for nodes in screens.values()]
    assert min(counts) >= 1 and sum(counts) > 300, counts  # the walk did find the controls


def test_the_names_are_in_the_patients_language(walked):
    """Arabic against English: no English [ui] word, picture description or key name is read out."""
    screens = walked("ar")
    english, own = load_pack("en"), load_pack("ar")
    keys = [k for k in english._ui if "{" not in english._ui[k]]
    english_words = {english.ui(k) for k in keys} - {own.ui(k) for k in keys}
    english_words |= {english.description(p.illustration) for p in english.pages}
    english_words |= {"full name", "signature pad", "Shift", "Space", "Delete", "Clear"}
    said = {n.name for nodes in screens.values() for n in nodes if n.control or n.picture}
    assert not said & english_words, f"English read out in Arabic: {sorted(said & english_words)}"
    assert own.ui("a11y_keyboard_layout", layout="عربي") in said
    assert own.ui("a11y_name_field") in said and own.ui("key_shift") in said


@pytest.mark.parametrize("language", sorted(NAMES))
def test_the_signature_pad_says_what_it_is_and_what_to_do(walked, language):
    pack = load_pack(language)
    [pad] = [n for n in walked(language)["signature"] if n.kind == "SignaturePad"]
    assert pad.name == pack.ui("a11y_signature_pad")
    assert pad.description == pack.ui("a11y_signature_pad_help")


@pytest.mark.parametrize("language", sorted(NAMES))
def test_every_picture_is_named_by_what_it_shows(walked, language):
    pack = load_pack(language)
    pictures = [(screen, n) for screen, nodes in walked(language).items() for n in nodes if n.picture]
    assert len(pictures) >= len(pack.pages) - 1, "a picture on each education page (one animation)"
    for screen, node in pictures:
        assert node.name == pack.description(node.picture), f"{screen}: {node.name!r}"
    assert [n for screen, n in pictures if screen.startswith("feedback")], "the wrong answer's picture"


@pytest.mark.parametrize("language", sorted(NAMES))
def test_the_date_boxes_say_which_part_and_what_is_in_them(walked, language):
    pack = load_pack(language)
    empty = {n.name for n in walked(language)["date empty"]}
    filled = {n.name for n in walked(language)["date filled"]}
    assert f"{pack.ui('dob_day')}: {pack.ui('a11y_date_empty')}" in empty
    assert f"{pack.ui('dob_year')}: 1948" in filled and f"{pack.ui('dob_day')}: 07" in filled


@pytest.mark.parametrize("language", sorted(NAMES))
def test_no_label_hides_its_live_text_behind_a_name(walked, language):
    named = {screen: [n.name for n in nodes if n.label_named] for screen, nodes in walked(language).items()}
    assert {screen: names for screen, names in named.items() if names} == {}


def test_every_illustration_and_animation_has_a_description_in_every_language():
    from tests.content.test_translations import SHIPPED

    english = load_pack("en")
    shown = {p.illustration for p in english.pages} | {p.animation for p in english.pages if p.animation}
    for language in SHIPPED:
        pack = load_pack(language)
        assert {name for name in shown if not pack._descriptions.get(name)} == set(), language
