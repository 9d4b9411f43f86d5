"""The nurse pages over the review layer, driven through their widgets on a real data folder,
real SQLite and (where marked) the real CUPS queue "PDF": what each nurse-facing defect of
issue 11 looked like, and that it is gone."""

from __future__ import annotations

import json
import string
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.finalise import prepare_consent, save_consent
from kiosk.review.texts import load_texts
from kiosk.seal_key import load_seal_signer
from kiosk.store import get_consent
from kiosk.store.nurses import create_nurse, list_nurses
from kiosk.store.nurses import sign_in as store_sign_in
from kiosk.ui.widgets.keyboard import OnScreenKeyboard
from tests.flow.sample import complete_session
from tests.ui.conftest import tap, type_on_keyboard
from tests.ui import test_nurse_station as nurse_station
from tests.ui.test_nurse_station import (
    PACK, SETTINGS, Clock, actions_of, choose_printer, create_admin, cups_ready, enter_pin, open_record, printed_file)

pytestmark = pytest.mark.uses_cups  # one such test at a time across workers (tests/conftest.py)

# The station's fixtures, shared with tests/ui/test_nurse_station.py (a copy of one data folder per test).
filled_template, filled, station = nurse_station.filled_template, nurse_station.filled, nurse_station.station

TEXTS = load_texts("en")
needs_cups = pytest.mark.skipif(not cups_ready(), reason="no CUPS queue named PDF (see .ci/run)")


@pytest.fixture
def printer():
    """The PDF queue, enabled and accepting again after the test whatever it did."""
    yield "PDF"
    subprocess.run(["cupsenable", "PDF"], check=True)
    subprocess.run(["cupsaccept", "PDF"], check=True)


def sign_in(station, name, pin):
    page = station.sign_in_page
    tap(next(b for b in page.name_buttons.values() if b.text() == name))
    enter_pin(page.pad, pin)
    tap(page.ok_button)
    assert station.context is not None and station.context.account.name == name


def print_now(page, qtbot):
    tap(page.print_button)
    choose_printer(page, qtbot)
    tap(page.print_confirm)
    qtbot.waitUntil(lambda: bool(page.message.text() or page.print_error.text()), timeout=30_000)


def void_on_page(page, reason):
    tap(page.void_button)
    type_on_keyboard(page.panels["void"].findChildren(OnScreenKeyboard)[0], reason)
    tap(page.void_confirm)
    assert page.message.text() == TEXTS("message.voided")


# ----- (b) nothing of one patient or one nurse travels to the next ------------------------------

def test_a_message_goes_when_another_consent_is_opened(station):
    create_admin(station)
    page = open_record(station, "Ann Lee")
    tap(page.identity_button)
    for char in "40512":
        tap(page.mrn_keypad.keys[char])
    tap(page.identity_confirm)
    assert page.message.isVisible() and page.message.text() == TEXTS("message.identity_stored")
    page = open_record(station, "Edith Clarke")
    assert not page.message.isVisible() and page.message.text() == ""
    assert "Edith Clarke" in page.title.text()


@needs_cups
def test_a_print_message_goes_with_another_consent_and_at_sign_out(station, qtbot, printer):
    create_admin(station)
    page = open_record(station, "Ann Lee")
    print_now(page, qtbot)
    assert page.message.text() == "Sent to PDF: 2 copies.", page.print_error.text()  # (k) the plural
    assert open_record(station, "Edith Clarke").message.text() == ""
    page = open_record(station, "Ann Lee")
    print_now(page, qtbot)
    assert page.message.isVisible()
    tap(station.sign_out_button)
    assert station.consent is None and not page.isVisible()  # the page itself is gone at sign-out


def test_the_next_nurse_inherits_no_search_filter_selection_or_message(station, qtbot):
    create_admin(station)
    create_nurse(station.db, name="Sam Staff", pin="1357", by=f"nurse:{station.context.account.id}")
    queue = station.queue
    tap(queue.outcome_buttons["consented"])
    queue.search.setText("ann")
    tap(queue.search_button)
    queue.table.selectRow(0)
    assert queue.table.selectionModel().hasSelection() and queue.filter.search
    page = open_record(station, "Ann Lee")
    tap(page.identity_button)
    for char in "777":
        tap(page.mrn_keypad.keys[char])
    tap(page.identity_confirm)
    assert page.message.text()
    station.say("A message for Nora")
    tap(station.sign_out_button)
    station.start()  # the next nurse at the same station
    sign_in(station, "Sam Staff", "1357")
    queue = station.queue
    assert queue.search.text() == "" and not queue.filter.search and queue.filter.outcome is None
    assert not queue.table.selectionModel().hasSelection()
    assert queue.model.total == 4
    assert not station.notice.isVisible() and station.notice.text() == ""
    assert station.who.text().endswith("Sam Staff")
    page = open_record(station, "Ann Lee")
    assert page.message.text() == "" and page.mrn.text() == ""
    assert not station.accounts_button.isVisible()  # Sam is not an administrator


# ----- (c) a voided consent prints as a copy marked VOID, on every page -------------------------

@needs_cups
def test_print_on_a_voided_consent_prints_the_void_marked_copy(station, qtbot, printer):
    from tests.review.test_printing import page_texts

    create_admin(station)
    page = open_record(station, "Edith Clarke")
    original = get_consent(station.db, station.ids["Edith Clarke"])
    void_on_page(page, "wrong patient")
    assert page.print_button.isEnabled()
    print_now(page, qtbot)
    assert page.message.text() == "Sent to PDF: 2 copies, marked VOID.", page.print_error.text()
    pages = page_texts(printed_file(station, station.ids["Edith Clarke"]))
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert "VOID" in text, f"page {number} of the printed copy does not say VOID"
    assert "Reason: wrong patient" in " ".join(" ".join(pages).split())
    entry = actions_of(station.db, "print")[-1]
    assert json.loads(entry["detail"])["void_copy"] is True
    after = get_consent(station.db, station.ids["Edith Clarke"])
    assert after["pdf_sha256"] == original["pdf_sha256"]  # the archive is never changed by printing


# ----- (d) Print on an abandoned record: refused with its reason, no traceback ------------------

def add_abandoned(station) -> str:
    signer = load_seal_signer(station.data_dir, SETTINGS)
    session = complete_session(PACK, name="Walter Away", outcome="consented", seed=9, abandon_at="info.risks_leak")
    pending = prepare_consent(session, PACK, SETTINGS, signer=signer, outcome="abandoned")
    return save_consent(station.db, SETTINGS.consents_path(station.data_dir), pending).document_id


def test_print_on_an_abandoned_record_is_refused_with_its_reason(station, capfd):
    create_admin(station)
    document_id = add_abandoned(station)
    station.open_consent(document_id)
    page = station.consent
    assert page.detail.outcome.code == "abandoned" and not page.viewer.isVisible()  # no PDF to show
    tap(page.print_button)
    assert page.actions_error.text() == TEXTS("message.print_no_pdf")
    assert page.current_panel() == "actions"
    assert "Traceback" not in capfd.readouterr().err


# ----- (e) the MRN keypad offers only what mrn_pattern allows ---------------------------------

def test_the_mrn_keypad_offers_only_what_the_pattern_allows(station):
    create_admin(station)
    page = open_record(station, "Ann Lee")
    tap(page.identity_button)
    assert "".join(page.mrn_keypad.keys) == string.digits + string.ascii_uppercase + "-"
    assert "/" not in page.mrn_keypad.keys and " " not in page.mrn_keypad.keys
    QTest.keyClicks(page.mrn, "AB/12 3")  # a physical keyboard: "/" and space do not go in
    assert page.mrn.text() == "AB123"
    tap(page.identity_confirm)
    assert get_consent(station.db, station.ids["Ann Lee"])["mrn"] == "AB123"


def test_a_digits_only_pattern_gives_a_digits_only_keypad(qtbot, filled):
    from dataclasses import replace

    from kiosk.ui.nurse.station import NurseStation

    data, db, ids = filled
    widget = NurseStation(settings=replace(SETTINGS, mrn_pattern=r"\d{6}"), data_dir=data, db=db, clock=Clock())
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    widget.ids = ids
    create_admin(widget)
    page = open_record(widget, "Ann Lee")
    assert "".join(page.mrn_keypad.keys) == string.digits


# ----- (f) administrators grant administrator and unlock a locked account -----------------------

def test_an_administrator_unlocks_a_locked_account_and_makes_a_nurse_administrator(station):
    create_admin(station)
    admin = station.context.account
    sam = create_nurse(station.db, name="Sam Staff", pin="1357", by=admin.actor)
    for _ in range(5):
        store_sign_in(station.db, sam, "0000", now=station.now())
    tap(station.accounts_button)
    page = station.accounts
    assert "Sam Staff" in page.unlock_buttons and "locked until" in _row_text(page, "Sam Staff")
    tap(page.unlock_buttons["Sam Staff"])
    assert page.message.text() == "Sam Staff can sign in again."
    assert "Sam Staff" not in page.unlock_buttons
    assert store_sign_in(station.db, sam, "1357", now=station.now()).ok
    tap(page.admin_buttons["Sam Staff"])
    assert page.message.text() == "Sam Staff is now an administrator."
    assert [n["is_admin"] for n in list_nurses(station.db) if n["name"] == "Sam Staff"] == [True]
    assert "Sam Staff" not in page.admin_buttons
    for action in ("nurse_unlocked", "nurse_made_admin"):
        assert [e["actor"] for e in actions_of(station.db, action)] == [admin.actor]


def _row_text(page, name) -> str:
    from PySide6.QtWidgets import QLabel

    return next(w.text() for w in page.findChildren(QLabel) if w.text().startswith(name))


# ----- (g) printer state read live; the printer's error goes after a good print ----------------

@needs_cups
def test_the_printer_state_is_read_live_and_its_error_goes_after_a_good_print(station, qtbot, printer):
    create_admin(station)
    page = open_record(station, "Ann Lee")
    subprocess.run(["cupsdisable", "PDF"], check=True)
    print_now(page, qtbot)
    assert "Nothing is lost" in page.print_error.text()
    qtbot.waitUntil(lambda: page.print_retry.isEnabled() and "PDF" in page.printer_buttons
                    and "stopped" in page.printer_buttons["PDF"].text(), timeout=15_000)  # read again after the failure
    subprocess.run(["cupsenable", "PDF"], check=True)
    tap(page.print_retry)
    qtbot.waitUntil(lambda: "PDF" in page.printer_buttons and "stopped" not in page.printer_buttons["PDF"].text(),
                    timeout=15_000)
    tap(page.printer_buttons["PDF"])
    tap(page.print_confirm)
    qtbot.waitUntil(lambda: page.message.text() != "", timeout=30_000)
    assert page.print_error.text() == "" and page.message.text() == "Sent to PDF: 2 copies."
    station.say("Printing failed before")  # the station's banner too: a good print clears it
    tap(page.print_button)
    choose_printer(page, qtbot)
    tap(page.print_confirm)
    qtbot.waitUntil(lambda: page.message.text() != "", timeout=30_000)
    assert not station.notice.isVisible()


# ----- one print per double tap -------------------------------------------------------------------

@needs_cups
def test_a_double_tap_on_print_starts_one_job_and_shows_printing(station, qtbot, printer):
    create_admin(station)
    page = open_record(station, "Ann Lee")
    tap(page.print_button)
    choose_printer(page, qtbot)
    own_text = page.print_confirm.text()
    tap(page.print_confirm)
    assert page.print_confirm.text() == "Printing\u2026" and not page.print_confirm.isEnabled()
    page.confirm_print()  # the second tap of a double tap (the button itself is disabled by now)
    qtbot.waitUntil(lambda: page.message.text() != "", timeout=30_000)
    assert not page.page.operations.busy
    assert len(actions_of(station.db, "print")) == 1
    assert page.print_confirm.text() == own_text


# ----- (h) a physical keyboard on the PIN pads ----------------------------------------------------

def test_a_physical_keyboard_types_the_pin_deletes_and_signs_in_with_enter(station):
    create_admin(station)
    tap(station.sign_out_button)
    station.start()
    page = station.sign_in_page
    tap(next(iter(page.name_buttons.values())))
    QTest.keyClicks(page.pad, "24699")
    QTest.keyClick(page.pad, Qt.Key_Backspace)
    QTest.keyClick(page.pad, Qt.Key_Backspace)
    QTest.keyClicks(page.pad, "8x")  # a letter does nothing
    assert page.pad.value == "2468"
    QTest.keyClick(page.pad, Qt.Key_Return)
    assert station.context is not None and station.stack.currentWidget() is station.queue


def test_the_first_use_pad_takes_the_keyboard_too(station):
    page = station.first_use
    type_on_keyboard(page.keyboard, "Nora Nurse")
    QTest.keyClicks(page.pad, "2468")
    QTest.keyClick(page.pad, Qt.Key_Enter)
    QTest.keyClicks(page.pad, "2468")
    QTest.keyClick(page.pad, Qt.Key_Enter)
    assert station.context is not None and station.context.account.is_admin


# ----- (i) zoom in the PDF viewer -----------------------------------------------------------------

def test_the_pdf_viewer_zooms_in_out_and_fits_the_width(station):
    create_admin(station)
    page = open_record(station, "Margaret Obrien")
    view = page.pdf_view
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    tap(page.zoom_in_button)
    bigger = view.zoomFactor()
    assert view.zoomMode() == QPdfView.ZoomMode.Custom
    tap(page.zoom_out_button)
    tap(page.zoom_out_button)
    assert view.zoomFactor() < bigger
    tap(page.fit_width_button)
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth


# ----- (j) panels open at their top, success messages in view -----------------------------------

@pytest.mark.parametrize("panel", ["identity", "countersign", "void"])
def test_each_panel_opens_scrolled_to_its_top(station, qtbot, panel):
    station.resize(1280, 800)
    create_admin(station)
    page = open_record(station, "Margaret Obrien")
    bar = page.side_scroll.verticalScrollBar()
    tap(getattr(page, f"{panel}_button"))
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=2000)  # the panel is taller than the screen
    bar.setValue(bar.maximum())
    page.show_panel("actions")
    bar.setValue(bar.maximum())
    tap(getattr(page, f"{panel}_button"))
    QApplication.processEvents()
    qtbot.waitUntil(lambda: bar.value() == 0, timeout=2000)
    assert page.title.visibleRegion().boundingRect().height() > 0


def test_a_success_message_is_in_view(station, qtbot):
    station.resize(1280, 800)
    create_admin(station)
    page = open_record(station, "Ann Lee")
    tap(page.identity_button)
    bar = page.side_scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=2000)
    bar.setValue(bar.maximum())
    for char in "40512":
        tap(page.mrn_keypad.keys[char])
    tap(page.identity_confirm)
    qtbot.waitUntil(lambda: bar.value() == 0, timeout=2000)
    region = page.message.visibleRegion().boundingRect()
    assert page.message.isVisible() and region.height() == page.message.height()


# ----- (k) history in words ---------------------------------------------------------------------

def test_history_shows_words_and_names_not_codes(station):
    create_admin(station)
    page = open_record(station, "Edith Clarke")
    void_on_page(page, "wrong patient")
    history = page.history.text()
    assert "Nora Nurse: Opened the consent" in history
    assert "Nora Nurse: Marked the consent void: wrong patient" in history
    assert "view_record" not in history and "voided" not in history and "nurse:" not in history


# ----- CSV export: all or the filtered list, saying which and how many ---------------------------

def test_export_says_its_filter_and_row_count_and_is_written_off_the_ui_thread(station, qtbot):
    import csv

    from kiosk.ui.nurse.export_bar import ExportBar

    create_admin(station)
    queue = station.queue
    queue.search.setText("ann")
    tap(queue.search_button)
    bar = ExportBar(station.page)
    qtbot.addWidget(bar)
    bar.show()
    tap(bar.filtered_button)
    assert not bar.filtered_button.isEnabled() and bar.filtered_button.text() == "Exporting\u2026"
    qtbot.waitUntil(lambda: bar.message.text() != "", timeout=15_000)
    assert bar.message.text().startswith("Saved 1 consent (search: \u201cann\u201d) to ")
    tap(bar.all_button)
    qtbot.waitUntil(lambda: bar.message.text() != "" and bar.all_button.isEnabled(), timeout=15_000)
    assert bar.message.text().startswith("Saved 4 consents (all consents)"), bar.message.text()
    path = bar.message.text().split(" to ", 1)[1].rstrip(".")
    with open(path, newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 4
    entries = actions_of(station.db, "export_csv")
    assert len(entries) == 2 and {e["actor"] for e in entries} == {station.context.account.actor}
    assert [json.loads(e["detail"])["scope"] for e in entries] == ["filtered", "all"]
