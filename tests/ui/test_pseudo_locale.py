"""Every screen in a pseudo-locale (tests/ui/pseudo_locale.py) at a 1280x800 tablet: each text
on screen came from the translations (it is bracketed "⟦...⟧"), and the longer words break no
layout (the window stays 1280x800, nothing sticks out past the right edge, no text is cut).

A text shown without "⟦" was written in code: a translator can never reach it. Allowed without
brackets: numbers and signs alone, the names the test typed, the hospital name from settings,
the other languages' own names, a key's single letter and the keyboard's script buttons
(assets/keyboards.toml). Every problem of a screen is collected and all are reported at once.

Screenshots with KIOSK_SCREENSHOTS=DIR: pseudo-<screen>.png.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from kiosk.ui.pages.decision import DecisionPage, SignaturePage, StatementsPage
from kiosk.ui.pages.decision_check import DecisionCheckPage
from kiosk.ui.pages.education import InfoPage
from kiosk.ui.pages.ending import DonePage, SavingPage
from kiosk.ui.pages.identity import BirthDatePage, NamePage, RelationshipPage, SignerPage
from kiosk.ui.pages.questions import QuestionPage
from kiosk.ui.theme import screen_scale
from tests.ui import test_nurse_station as nurse_station
from tests.ui.conftest import draw_dot, draw_signature, enter_date, page, tap, type_on_keyboard
from tests.ui.pseudo_locale import CLOSE, OPEN, pseudo_rtl, write_pseudo_translations
from tests.ui.test_background_save import hold_write_lock, press
from tests.ui.test_fits_screen import misfits
from tests.ui.test_nurse_fits_screen import lock_a_second_nurse, overflow_problems
from tests.ui.test_nurse_station import create_admin, enter_pin

filled_template, filled = nurse_station.filled_template, nurse_station.filled  # the station's fixtures

SIZE = (1280, 800)
CODE = "qps"
PATIENT, REPRESENTATIVE = "Margaret Obrien", "Tom Obrien"
HOSPITAL = "St Elsewhere Hospital"  # make_window's settings
NURSES = ("Nora Nurse", "Sam Staff")
FILLED_PATIENTS = ("Margaret Obrien", "José Pérez", "Edith Clarke", "Ann Lee")  # test_nurse_station._fill
BUTTON_BORDER_PX = 3  # the theme's QPushButton border


# --------------------------------------------------------------------------- the pseudo folder

def _use_translations(monkeypatch, folder: Path) -> None:
    """Point every loader of translations/ at `folder` and forget what was read before."""
    import kiosk.content as content
    import kiosk.content.interface_text as interface_text
    import kiosk.content.pack as pack
    import kiosk.content.translation_check as translation_check
    import kiosk.review.texts as nurse_texts
    import kiosk.settings as settings

    monkeypatch.setattr(interface_text, "DEFAULT_TRANSLATIONS_DIR", folder)
    monkeypatch.setattr(pack, "DEFAULT_TRANSLATIONS_DIR", folder)
    monkeypatch.setattr(translation_check, "DEFAULT_TRANSLATIONS_DIR", folder)
    monkeypatch.setattr(nurse_texts, "TRANSLATIONS_DIR", folder)
    monkeypatch.setattr(content, "DEFAULT_TRANSLATIONS_DIR", folder, raising=False)  # cached by __getattr__
    nurse_texts.load_texts.cache_clear()
    settings._installed_languages.cache_clear()


@pytest.fixture
def pseudo_translations(tmp_path, monkeypatch):
    """translations/en and translations/qps in tmp_path, used by every loader for this test."""
    folder = write_pseudo_translations(tmp_path / "translations", CODE)
    _use_translations(monkeypatch, folder)
    yield folder
    import kiosk.review.texts as nurse_texts
    import kiosk.settings as settings

    nurse_texts.load_texts.cache_clear()  # no pseudo text outlives the test
    settings._installed_languages.cache_clear()


@pytest.fixture
def data_dir(filled):  # make_window (tests/ui/conftest) opens the kiosk on a folder with 4 consents
    return filled[0]


@pytest.fixture
def pseudo_window(pseudo_translations, make_window):
    """The kiosk in the pseudo-locale (patient and staff), sized for a 1280x800 tablet."""
    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(SIZE[1]),
                         default_language=CODE, staff_language=CODE)
    window.resize(*SIZE)
    QApplication.processEvents()
    return window


# --------------------------------------------------------------------------- the checks

def _allowed_plain() -> set[str]:
    from kiosk.content.interface_text import installed_languages
    from kiosk.ui.widgets.keyboard import load_layouts

    names = {name for code, name in installed_languages() if code != CODE}  # "English": its own words
    scripts = {layout["label"] for layout in load_layouts().values()}
    return {PATIENT, REPRESENTATIVE, HOSPITAL, *NURSES, *FILLED_PATIENTS, *names, *scripts}


_TAG = re.compile(r"<[^>]*>")


def _rich(text: str) -> bool:
    return bool(re.search(r"<[A-Za-z/!][^>]*>", text))
_BRACKETED = re.compile(f"{re.escape(OPEN)}[^{re.escape(OPEN + CLOSE)}]*{re.escape(CLOSE)}")  # innermost first
_ELIDED = re.compile(f"{re.escape(OPEN)}[^{re.escape(CLOSE)}]*…$")
_DOCUMENT_ID = re.compile(r"\b[0-9A-Fa-f]{4,}(?:-[0-9A-Fa-f]{2,})+\b|\b[0-9a-f]{8,}\b")


def code_words(text: str, allowed: set[str]) -> str:
    """What of `text` is not from the translations: the letters left after removing the
    bracketed texts, the allowed names, document ids and markup ('' when none)."""
    if _rich(text):
        text = html.unescape(_TAG.sub(" ", text))
    rest, before = text, None
    while rest != before:  # a text filled into another ("{explanation}") is bracketed inside it
        before, rest = rest, _BRACKETED.sub(" ", rest)
    rest = _ELIDED.sub(" ", rest)  # "⟦Whaat iis thee…": a translated text cut short, its end elided
    for name in sorted(allowed, key=len, reverse=True):
        rest = rest.replace(name, " ")
    rest = _DOCUMENT_ID.sub(" ", rest)
    rest = " ".join(rest.split())
    letters = [c for c in rest if c.isalpha()]
    if not letters or len(rest) == 1:  # numbers and signs; a key's one letter
        return ""
    return rest


def _name(widget: QWidget) -> str:
    kind = type(widget).__name__
    return f"{kind}#{widget.objectName()}" if widget.objectName() else kind


def _texts_of(widget: QWidget) -> list[tuple[str, str]]:
    """(what, text) for each text `widget` shows: its text, a field's placeholder too."""
    from kiosk.ui.widgets.wrap_button import WrapButton

    found = []
    if isinstance(widget, QLabel):
        if isinstance(widget.parentWidget(), WrapButton):
            return []  # reported as the button's text
        found.append(("text", widget.text()))
    elif isinstance(widget, QPushButton):
        found.append(("text", widget.text()))
    elif isinstance(widget, QLineEdit):
        found.append(("text", widget.text()))
        found.append(("placeholder", widget.placeholderText()))
    return [(what, text) for what, text in found if text.strip()]


def _item_view_texts(view: QAbstractItemView) -> list[tuple[str, str]]:
    """A table's headers and the cells it shows (DisplayRole)."""
    model = view.model()
    if model is None:
        return []
    found = []
    for column in range(model.columnCount()):
        if hasattr(view, "isColumnHidden") and view.isColumnHidden(column):
            continue
        header = model.headerData(column, Qt.Horizontal, Qt.DisplayRole)
        if isinstance(header, str) and header.strip():
            found.append((f"header {column}", header))
        for row in range(min(model.rowCount(), 40)):
            value = model.data(model.index(row, column), Qt.DisplayRole)
            if isinstance(value, str) and value.strip():
                found.append((f"cell {row},{column}", value))
    return found


def _chart_texts(root: QWidget) -> list[tuple[str, str, str]]:
    try:
        from PySide6.QtCharts import QBarCategoryAxis, QChartView
    except ImportError:  # pragma: no cover - the station needs QtCharts anyway
        return []
    found = []
    for view in root.findChildren(QChartView):
        if not view.isVisible():
            continue
        chart = view.chart()
        where = _name(view)
        if chart.title().strip():
            found.append((where, "chart title", chart.title()))
        for series in chart.series():
            if series.name().strip():
                found.append((where, "series", series.name()))
            for set_ in getattr(series, "barSets", lambda: [])():
                if set_.label().strip():
                    found.append((where, "bar set", set_.label()))
        for axis in chart.axes():
            if axis.titleText().strip():
                found.append((where, "axis title", axis.titleText()))
            if isinstance(axis, QBarCategoryAxis):
                found += [(where, "category", c) for c in axis.categories() if c.strip()]
    return found


def text_problems(root: QWidget, allowed: set[str]) -> list[str]:
    """Every visible text under `root` that is not (all) from the translations."""
    QApplication.processEvents()
    problems, seen = [], set()
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractItemView):
            texts = _item_view_texts(widget)
        else:
            texts = _texts_of(widget)
        for what, text in texts:
            rest = code_words(text, allowed)
            key = (_name(widget), what, text)
            if rest and key not in seen:
                seen.add(key)
                problems.append(f"text in code: {_name(widget)} {what} {text[:90]!r}"
                                + (f" (not from translations: {rest[:60]!r})" if rest != text else ""))
    for where, what, text in _chart_texts(root):
        rest = code_words(text, allowed)
        if rest:
            problems.append(f"text in code: {where} {what} {text[:90]!r}")
    return problems


def _scroll_viewport(widget: QWidget) -> QWidget | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent.viewport()
        parent = parent.parentWidget()
    return None


def overflow(window: QWidget, root: QWidget | None = None) -> list[str]:
    """Horizontal overflow: a visible control past the window's right edge (or its scroll area's
    viewport, which does not scroll sideways), a one-line label or a button whose text is wider
    than it is (cut or elided)."""
    from kiosk.ui.widgets.wrap_button import WrapButton

    QApplication.processEvents()
    problems = []
    right_edge = window.width()
    for widget in (root or window).findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, (QLabel, QPushButton, QLineEdit)):
            continue
        if isinstance(widget.parentWidget(), WrapButton):
            continue
        text = getattr(widget, "text", lambda: "")()
        name = f"layout breaks: {_name(widget)} {text[:40]!r}"
        right = widget.mapTo(window, QPoint(widget.width(), 0)).x()
        left = widget.mapTo(window, QPoint(0, 0)).x()
        if right > right_edge:
            problems.append(f"{name} ends at x={right}, past the window's right edge {right_edge}"
                            f" (it is {widget.width()} px wide from x={left})")
        viewport = _scroll_viewport(widget)
        if viewport is not None and viewport.isVisible():
            edge = viewport.mapTo(window, QPoint(viewport.width(), 0)).x()
            if edge < right <= right_edge:
                problems.append(f"{name} ends at x={right}, past its scroll area's visible edge {edge}")
        if isinstance(widget, QLabel) and not widget.wordWrap() and text.strip() \
                and widget.textFormat() != Qt.RichText and not _rich(text):
            need = max(QFontMetrics(widget.font()).horizontalAdvance(line) for line in text.split("\n"))
            room = widget.contentsRect().width() - 2 * widget.margin() - 2 * widget.indent() \
                if widget.indent() > 0 else widget.contentsRect().width() - 2 * widget.margin()
            if need > room:
                problems.append(f"{name} is cut: its one line needs {need} px, the label has {room}")
        if isinstance(widget, QPushButton) and not isinstance(widget, WrapButton) and text.strip():
            need = QFontMetrics(widget.font()).horizontalAdvance(text.replace("&&", "&"))
            room = widget.contentsRect().width() - 2 * BUTTON_BORDER_PX
            if widget.icon() is not None and not widget.icon().isNull():
                room -= widget.iconSize().width()
            if need > room:
                problems.append(f"{name} is cut: its text needs {need} px, the button has {room}")
    return problems


class Screens:
    """Checks each screen (texts, size, overflow, and the kiosk's own `misfits`) and saves
    its screenshot; every problem is kept under the screen's name."""

    def __init__(self, window: QWidget, *, fits=misfits):
        self.window, self.fits = window, fits
        self.allowed = _allowed_plain()
        self.seen: dict[str, list[str]] = {}
        self.folder = os.environ.get("KIOSK_SCREENSHOTS")

    def check(self, name: str, root: QWidget | None = None) -> None:
        window = self.window
        QApplication.processEvents()
        problems = []
        if window.width() > SIZE[0] or window.height() > SIZE[1]:
            problems.append(f"layout breaks: the window is {window.width()}x{window.height()}, "
                            f"larger than {SIZE[0]}x{SIZE[1]}")
        problems += [f"layout breaks: {p}" for p in self.fits(window, SIZE)
                     if not p.startswith("the window is")]  # said just above
        problems += overflow(window, root)
        problems += text_problems(root or window, self.allowed)
        self.seen[name] = list(dict.fromkeys(problems))  # each once, in order
        if self.folder:
            Path(self.folder).mkdir(parents=True, exist_ok=True)
            window.grab().save(str(Path(self.folder) / f"pseudo-{name}.png"))

    def report(self) -> str:
        return "\n".join(f"[{name}]\n  " + "\n  ".join(p) for name, p in self.seen.items() if p)


# --------------------------------------------------------------------------- the patient

def test_every_patient_screen_is_translated_and_fits_in_the_pseudo_locale(pseudo_window, qtbot):
    window = pseudo_window
    pack = window.pack
    assert pack.language == CODE and pack.translation == "draft"
    screens = Screens(window)
    check = screens.check

    check("welcome")
    tap(window.welcome.start_button)
    assert isinstance(page(window), SignerPage)
    check("signer")
    window.choose_language()  # the header's Language button, on the first page of the session
    assert window.language_page is not None and window.language_button.isVisible()
    check("language")
    tap(window.language_page.back_button)
    assert isinstance(page(window), SignerPage)
    window.prompt.open()
    check("still-there")
    window.prompt.stay_button.click()
    window.call_nurse()
    qtbot.waitUntil(lambda: window.help_calls.waiting == 0, timeout=5000)
    window._check_help_call()
    assert window.help_banner.isVisible()
    check("nurse-banner")
    tap(page(window).choices["representative"])

    name_page = page(window)
    assert isinstance(name_page, NamePage)
    check("name-empty")
    type_on_keyboard(name_page.keyboard, PATIENT)
    for layout in name_page.keyboard.layouts:
        tap(name_page.keyboard.layout_buttons[layout])
        check(f"name-keyboard-{layout}")
    tap(name_page.keyboard.layout_buttons[next(iter(name_page.keyboard.layouts))])
    tap(name_page.next_button)

    dob = page(window)
    assert isinstance(dob, BirthDatePage)
    check("date-of-birth")
    enter_date(dob.pad, "07", "03", "2048")
    tap(dob.next_button)  # in the future: its message shows
    check("date-of-birth-message")
    enter_date(dob.pad, "07", "03", "1948")
    tap(dob.next_button)

    rep = page(window)
    assert isinstance(rep, NamePage)
    check("representative-name")
    type_on_keyboard(rep.keyboard, REPRESENTATIVE)
    check("representative-name-typed")
    tap(rep.next_button)
    assert isinstance(page(window), RelationshipPage)
    check("relationship")
    tap(page(window).choices["son_daughter"])

    while isinstance(page(window), InfoPage):
        current = page(window)
        check(f"education-{current.step.page_id}")
        if current.more_button is not None:
            tap(current.more_button)  # "Tell me more"
            check(f"education-{current.step.page_id}-more")
        tap(current.next_button)

    first = True
    while isinstance(page(window), QuestionPage):
        q_page = page(window)
        q = pack.question(q_page.question.id)
        check(f"question-{q.id}")
        if first:
            wrong = next(c.id for c in q.choices if c.id != q.correct)
            tap(q_page.choices[wrong])
            check(f"question-{q.id}-wrong")  # the feedback and its explanation
            tap(q_page.next_button)  # "Show me again"
            review = page(window)
            assert isinstance(review, InfoPage) and review.review
            check(f"review-{review.step.page_id}")
            tap(review.next_button)  # "Back to the question"
            assert page(window) is q_page
            first = False
        tap(q_page.choices[q.correct])
        check(f"question-{q.id}-right")
        tap(q_page.next_button)

    statements = page(window)
    assert isinstance(statements, StatementsPage)
    check("statements")
    for tick in statements.ticks.values():
        tap(tick)
    check("statements-ticked")
    tap(statements.next_button)

    decision = page(window)
    assert isinstance(decision, DecisionPage)
    check("decision")
    tap(decision.options["questions"])
    assert isinstance(page(window), DecisionCheckPage)
    check("decision-check")
    tap(page(window).no_button)  # "No, go back"
    assert isinstance(page(window), DecisionPage)
    tap(page(window).options["consented"])

    signature = page(window)
    assert isinstance(signature, SignaturePage)
    check("signature")
    draw_dot(signature.pad)
    tap(signature.next_button)  # too small: its message shows
    check("signature-too-small")
    tap(signature.clear_button)
    draw_signature(signature.pad)
    lock = hold_write_lock(window.data_dir / "kiosk.db")  # the save waits: "Saving your form…" stays
    try:
        press(signature.next_button)
        QApplication.processEvents()
        assert isinstance(page(window), SavingPage) and window.saving
        check("saving")
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    qtbot.waitUntil(lambda: isinstance(page(window), DonePage), timeout=20_000)
    check("done")

    assert len(screens.seen) > 2 * len(pack.pages)
    assert not screens.report(), "\n" + screens.report()


# --------------------------------------------------------------------------- the nurse station

def fit_problems(window, size) -> list[str]:
    """`misfits`, less a table's header (it sits above the table's viewport by design)."""
    return [p for p in misfits(window, size) if not p.startswith("QHeaderView")]


def test_every_nurse_screen_is_translated_and_fits_in_the_pseudo_locale(pseudo_window, filled):
    _data, db, ids = filled
    window = pseudo_window
    screens = Screens(window, fits=fit_problems)

    def check(name):
        station = window.nurse_station
        screens.check(name, root=window)
        current = station.stack.currentWidget() if station is not None else None
        if current is not None:
            screens.seen[name] += [f"layout breaks: {p}" for p in overflow_problems(current)
                                   if not p.startswith("key ")]  # every button's text: `overflow`

    window.open_nurse_station()
    station = window.nurse_station
    assert station is not None and station.texts.language == CODE
    check("nurse-first-use")
    create_admin(station)
    lock_a_second_nurse(station)
    tap(station.sign_out_button)
    assert window.nurse_station is None
    window.open_nurse_station()
    station = window.nurse_station
    check("nurse-sign-in")
    name_button = next(b for b in station.sign_in_page.name_buttons.values() if "Nora" in b.text())
    tap(name_button)
    enter_pin(station.sign_in_page.pad, "1111")
    tap(station.sign_in_page.ok_button)  # a wrong PIN: its message shows
    check("nurse-sign-in-wrong-pin")
    enter_pin(station.sign_in_page.pad, "2468")
    tap(station.sign_in_page.ok_button)
    assert station.nurse is not None

    queue = station.queue
    check("nurse-queue")
    tap(queue.search)
    check("nurse-queue-search-keys")
    tap(queue.clear_button)
    if queue.filters_button.isVisible():
        tap(queue.filters_button)
        check("nurse-queue-filters")
        tap(queue.filters_button)

    station.open_consent(ids["Margaret Obrien"])
    consent = station.consent
    check("nurse-consent")
    for panel, opener in (("identity", consent.identity_button), ("countersign", consent.countersign_button),
                          ("void", consent.void_button), ("print", consent.print_button)):
        tap(opener)
        check(f"nurse-consent-{panel}")
        consent.show_panel(0)
    tap(station.accounts_button)
    check("nurse-accounts")
    tap(station.dashboard_button)
    check("nurse-dashboard")
    assert not screens.report(), "\n" + screens.report()


def test_the_nurse_station_starts_in_staff_language(pseudo_translations, make_window, filled):
    """Settings.staff_language is "the nurse station's default": with the patient side in
    English and staff_language the pseudo-locale, the station speaks the pseudo-locale."""
    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(SIZE[1]), staff_language=CODE)
    window.resize(*SIZE)
    window.open_nurse_station()
    station = window.nurse_station
    screens = Screens(window, fits=fit_problems)
    screens.check("nurse-first-use-staff-language")
    assert station.texts.language == CODE, f"the station is in {station.texts.language!r}, not staff_language"
    assert not screens.report(), "\n" + screens.report()


# --------------------------------------------------------------------------- the locale itself

def test_the_pseudo_locale_is_every_english_text_bracketed_longer_with_its_placeholders(tmp_path):
    import tomllib

    from kiosk.content import load_pack
    from kiosk.content.interface_text import load_interface_text
    from kiosk.review.texts import load_texts

    folder = write_pseudo_translations(tmp_path / "t")
    english, pseudo = load_pack("en", translations_dir=folder), load_pack(CODE, translations_dir=folder)
    assert pseudo.direction == "ltr" and pseudo.translation == "draft"
    assert english.language == "en"
    pairs = []
    for name in ("ui.toml", "vertebroplasty.toml", "nurse.toml"):
        source = tomllib.loads((folder / "en" / name).read_text("utf-8"))
        target = tomllib.loads((folder / CODE / name).read_text("utf-8"))

        def walk(a, b, path):
            for key, value in a.items():
                if path == () and key in ("language", "translation"):
                    continue
                if isinstance(value, dict):
                    walk(value, b[key], (*path, key))
                elif isinstance(value, str) and value.strip():
                    pairs.append((value, b[key]))

        walk(source, target, ())
    assert len(pairs) > 400
    for text, wrapped in pairs:
        assert wrapped.strip().startswith(OPEN) and wrapped.strip().endswith(CLOSE), wrapped
        assert re.findall(r"\{[^{}]*\}", text) == re.findall(r"\{[^{}]*\}", wrapped), wrapped
        assert re.findall(r"\d+", text) == re.findall(r"\d+", wrapped), wrapped
        assert wrapped.count("\n") == text.count("\n"), wrapped
        assert len(wrapped) - 2 >= 1.3 * len(text) - 1, wrapped
    assert load_interface_text(CODE, translations_dir=folder).ui("progress_page", number=3, total=9).startswith(OPEN)
    assert load_texts(CODE, folder)("outcome.consented").startswith(OPEN)
    rtl = pseudo_rtl(tmp_path / "r")
    assert load_pack("qpr", translations_dir=rtl).direction == "rtl"
