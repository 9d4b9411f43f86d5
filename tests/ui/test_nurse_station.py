"""The nurse station driven as a nurse would: PIN pad, queue, one consent, actions, printing."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.content import load_pack
from kiosk.finalise import prepare_consent, save_consent
from kiosk.seal_key import load_seal_signer
from kiosk.settings import Settings
from kiosk.store import get_consent, open_database, record_help_request
from tests.flow.sample import complete_session
from kiosk.ui.widgets.keyboard import OnScreenKeyboard
from tests.ui.conftest import draw_signature, tap, type_on_keyboard

pytestmark = pytest.mark.uses_cups  # one such test at a time across workers (tests/conftest.py)

PACK = load_pack("en")
SETTINGS = Settings(hospital_name="St Elsewhere Hospital", time_zone="UTC")


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture(scope="module")
def filled_template(tmp_path_factory):
    """Made once per module: rendering and sealing four consents costs about a second."""
    data = tmp_path_factory.mktemp("filled") / "data"
    data.mkdir()
    with open_database(data / "kiosk.db") as db:
        ids = _fill(data, db)
    return data, ids


@pytest.fixture
def filled(filled_template, tmp_path):
    """A data folder with four real consents (saved the kiosk's way) and one open call for help:
    a private copy of the module's template, its rows pointing at its own PDFs."""
    template, ids = filled_template
    data = tmp_path / "data"
    shutil.copytree(template, data)
    with sqlite3.connect(data / "kiosk.db") as raw:  # set-up only: the copy's rows name the copy's files
        raw.execute("UPDATE consents SET pdf_path = replace(pdf_path, ?, ?)", [str(template), str(data)])
    raw.close()
    db = open_database(data / "kiosk.db")
    yield data, db, dict(ids)
    db.close()


def _fill(data, db) -> dict:
    signer = load_seal_signer(data, SETTINGS)
    people = [("Margaret Obrien", "consented", {PACK.questions[2].id}), ("José Pérez", "questions", set()),
              ("Edith Clarke", "declined", set()), ("Ann Lee", "consented", set())]
    help_at = {"José Pérez": ("info.procedure_how", "info.risks_leak"), "Edith Clarke": ("info.risks_leak",)}
    ids = {}
    for i, (name, outcome, wrong) in enumerate(people):
        session = complete_session(PACK, name=name, outcome=outcome, wrong_twice=wrong, seed=i,
                                   help_at=help_at.get(name, ()))
        saved = save_consent(db, SETTINGS.consents_path(data), prepare_consent(session, PACK, SETTINGS, signer=signer))
        ids[name] = saved.document_id
    record_help_request(db, session_id="9b2f8a52-1111-4c1c-9a55-000000000001", at="2026-11-25T14:55:00+00:00",
                        step_id="info.risks_leak")
    return ids


@pytest.fixture
def station(qtbot, filled):
    from kiosk.ui import theme
    from kiosk.ui.nurse.station import NurseStation

    data, db, ids = filled
    theme.install(QApplication.instance())
    clock = Clock()
    widget = NurseStation(settings=SETTINGS, data_dir=data, db=db, pdf_labels=PACK.pdf_labels, clock=clock)
    qtbot.addWidget(widget)
    widget.resize(1920, 1080)
    widget.show()
    widget.ids, widget.clock = ids, clock
    return widget


def enter_pin(pad, pin):
    for digit in pin:
        tap(pad.keys[digit])


def create_admin(station, name="Nora Nurse", pin="2468"):
    page = station.first_use
    assert station.stack.currentWidget() is page
    type_on_keyboard(page.keyboard, name)
    enter_pin(page.pad, pin)
    tap(page.ok_button)
    enter_pin(page.pad, pin)
    tap(page.ok_button)


def actions_of(db, action):
    return [row for row in db.query("select * from audit_log where action = ?", [action])]


def test_first_use_creates_the_administrator_and_signs_in(station):
    create_admin(station)
    assert station.nurse["name"] == "Nora Nurse" and station.nurse["is_admin"]
    assert station.stack.currentWidget() is station.queue
    stored = station.db.execute("select pin_hash from nurses").fetchone()[0]
    assert stored.startswith("$argon2") and "2468" not in stored
    assert actions_of(station.db, "nurse_added")


def test_five_wrong_pins_lock_the_account_for_five_minutes(station):
    from kiosk.store.nurses import create_nurse

    create_nurse(station.db, name="Nora Nurse", pin="2468", is_admin=True, by=None)
    station.start()
    page = station.sign_in_page
    tap(next(iter(page.name_buttons.values())))
    for _ in range(5):
        enter_pin(page.pad, "1111")
        tap(page.ok_button)
    assert "locked" in page.message.text()
    enter_pin(page.pad, "2468")
    tap(page.ok_button)
    assert station.nurse is None and "locked" in page.message.text()
    station.clock.now += timedelta(minutes=5, seconds=1)
    enter_pin(page.pad, "2468")
    tap(page.ok_button)
    assert station.nurse is not None
    assert len(actions_of(station.db, "sign_in_failed")) >= 5 and actions_of(station.db, "sign_in_locked")


def signed_in(station):
    create_admin(station)
    return station.queue


def test_queue_filters_and_search(station):
    queue = signed_in(station)
    assert queue.model.total == 4
    tap(queue.outcome_buttons["declined"])
    assert queue.model.total == 1 and queue.model.rows[0].patient_name == "Edith Clarke"
    tap(queue.outcome_buttons[None])
    tap(queue.flag_buttons["needs_doctor"])
    assert [r.patient_name for r in queue.model.rows] == ["Margaret Obrien"]
    tap(queue.flag_buttons[None])
    queue.search.setText("perez")
    tap(next(b for b in queue.findChildren(type(queue.flag_buttons[None])) if b.text() == "Search"))
    assert [r.patient_name for r in queue.model.rows] == ["José Pérez"]


def test_help_request_stands_out_until_acknowledged(station):
    queue = signed_in(station)
    assert len(queue.help_buttons) == 1
    tap(next(iter(queue.help_buttons.values())))
    assert queue.help_buttons == {}
    assert actions_of(station.db, "help_acknowledged")


def open_record(station, name):
    station.open_consent(station.ids[name])
    return station.consent


def test_viewing_a_record_shows_its_pdf_and_flags_and_is_audited(station):
    signed_in(station)
    page = open_record(station, "Margaret Obrien")
    assert page.document.pageCount() >= 3
    assert "doctor's attention" in page.flags.text()
    assert [r["document_id"] for r in actions_of(station.db, "view_record")] == [station.ids["Margaret Obrien"]]


def test_the_flags_count_help_calls_in_plain_words(station):
    signed_in(station)
    page = open_record(station, "José Pérez")
    assert "Asked for help 2 times" in page.flags.text() and "Has questions for the doctor" in page.flags.text()
    page = open_record(station, "Edith Clarke")
    assert "Asked for help 1 time" in page.flags.text() and "time(s)" not in page.flags.text()


def test_identity_check_stores_the_mrn_with_the_nurse(station):
    signed_in(station)
    page = open_record(station, "Ann Lee")
    tap(page.identity_button)
    assert page.current_panel() == "identity"
    for char in "40512":
        tap(page.mrn_keypad.keys[char])
    tap(page.identity_confirm)
    row = get_consent(station.db, station.ids["Ann Lee"])
    account = station.context.account
    assert row["mrn"] == "40512" and row["identity_checked_by"] == account.actor == f"nurse:{account.id}"
    assert "MRN 40512 (checked by Nora Nurse)" in page.summary.text()  # shown by name
    assert actions_of(station.db, "identity_checked")


def test_countersignature_extends_the_sealed_original_and_keeps_it(station, qtbot):
    from kiosk.documents.seal import embedded_files, verify_pdf

    signed_in(station)
    before = get_consent(station.db, station.ids["Margaret Obrien"])
    original = Path(before["pdf_path"]).read_bytes()
    page = open_record(station, "Margaret Obrien")
    tap(page.countersign_button)
    keyboard = page.panels["countersign"].findChildren(OnScreenKeyboard)[0]
    type_on_keyboard(keyboard, "Dr Kim")
    tap(page.role_buttons["interventional_radiologist"])
    draw_signature(page.clinician_pad)
    tap(page.countersign_confirm)
    assert not page.countersign_error.text()
    assert not page.countersign_confirm.isEnabled()  # sealing on the worker: busy, one at a time
    qtbot.waitUntil(lambda: page.message.text() != "", timeout=15_000)
    assert not page.countersign_error.text() and page.countersign_confirm.isEnabled()
    after = get_consent(station.db, station.ids["Margaret Obrien"])
    assert after["review_state"] == "fully_signed"
    assert Path(after["pdf_path"]).read_bytes() == original and after["pdf_sha256"] == before["pdf_sha256"]
    countersigned = Path(after["countersigned_pdf_path"]).read_bytes()
    assert countersigned[:len(original)] == original  # an incremental update of the sealed original
    report = verify_pdf(countersigned, [load_seal_signer(station.data_dir, SETTINGS)])
    assert report.ok and report.trusted, report.summary
    assert [s.field_name for s in report.signatures] == ["Kiosk seal", "Clinician countersignature"]
    text = subprocess.run(["pdftotext", after["countersigned_pdf_path"], "-"], capture_output=True,
                          text=True, check=True).stdout  # poppler draws the signature field's appearance
    assert "Margaret Obrien" in text and "Dr Kim" in text and "Interventional radiologist" in text
    assert b'"clinician_name": "Dr Kim"' in embedded_files(countersigned)["countersignature.json"]
    assert actions_of(station.db, "countersigned")


def test_void_needs_a_reason_and_keeps_the_record(station):
    signed_in(station)
    page = open_record(station, "Edith Clarke")
    tap(page.void_button)
    tap(page.void_confirm)
    assert page.void_error.text()
    keyboard = page.panels["void"].findChildren(OnScreenKeyboard)[0]
    type_on_keyboard(keyboard, "wrong patient")
    tap(page.void_confirm)
    row = get_consent(station.db, station.ids["Edith Clarke"])
    assert row["void"] and row["void_reason"] == "wrong patient" and Path(row["pdf_path"]).exists()
    assert actions_of(station.db, "voided")


def test_sign_out_leaves_nothing_and_is_audited(station, qtbot):
    signed_in(station)
    with qtbot.waitSignal(station.closed, timeout=1000):
        tap(station.sign_out_button)
    assert station.nurse is None and actions_of(station.db, "sign_out")


CUPS_OUT = Path("/tmp/cups-pdf-out")


def choose_printer(page, qtbot, name="PDF"):
    """The printer list is read live on the worker: wait for it, then tap the printer."""
    qtbot.waitUntil(lambda: name in page.printer_buttons and page.print_retry.isEnabled(), timeout=15_000)
    tap(page.printer_buttons[name])


def printed_file(station, document_id) -> Path:
    """The file cups-pdf wrote for the last print of `document_id` (its job from the audit entry)."""
    import json
    from types import SimpleNamespace

    from tests.review.test_printing import _printed_file

    entry = [e for e in actions_of(station.db, "print") if e["document_id"] == document_id][-1]
    return _printed_file(SimpleNamespace(ok=True, job_id=json.loads(entry["detail"])["job"], error=None),
                         document_id[:8])


def cups_ready() -> bool:
    return shutil.which("lpstat") is not None and subprocess.run(
        ["lpstat", "-p", "PDF"], capture_output=True).returncode == 0


@pytest.mark.skipif(not cups_ready(), reason="no CUPS queue named PDF on this machine (.ci/run sets one up)")
def test_printing_a_consent_reaches_the_print_queue(station, qtbot):
    from tests.review.test_printing import page_texts

    signed_in(station)
    page = open_record(station, "Ann Lee")
    tap(page.print_button)
    choose_printer(page, qtbot)
    tap(page.print_confirm)
    qtbot.waitUntil(lambda: bool(page.message.text() or page.print_error.text()), timeout=30_000)
    assert page.message.text() == "Sent to PDF: 2 copies.", page.print_error.text()
    text = "".join(page_texts(printed_file(station, station.ids["Ann Lee"])))
    assert "Ann Lee" in text and station.ids["Ann Lee"] in text.replace("\n", "")


@pytest.mark.skipif(not cups_ready(), reason="no CUPS queue named PDF on this machine (.ci/run sets one up)")
def test_a_stopped_printer_gives_a_clear_message_and_loses_nothing(station, qtbot):
    signed_in(station)
    page = open_record(station, "Ann Lee")
    subprocess.run(["cupsdisable", "PDF"], check=True)
    try:
        tap(page.print_button)
        choose_printer(page, qtbot)
        tap(page.print_confirm)
        qtbot.waitUntil(lambda: page.print_error.text() != "", timeout=30_000)
        assert "stopped" in page.print_error.text().lower() or "paused" in page.print_error.text().lower()
        assert "Nothing is lost" in page.print_error.text()
        assert actions_of(station.db, "print_failed")
    finally:
        subprocess.run(["cupsenable", "PDF"], check=True)


def test_a_long_press_on_the_hospital_name_opens_the_station_and_leaving_returns_to_welcome(make_window, qtbot):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from kiosk.ui.nurse.station import NurseStation

    assert make_window().hospital_label.timer.interval() == 3000  # the kiosk's own hold: 3 s
    window = make_window(nurse_hold_ms=200)  # the same, shortened: the test need not wait 3 s
    centre = QPoint(10, 10)
    QTest.mousePress(window.hospital_label, Qt.LeftButton, Qt.NoModifier, centre)
    QTest.mouseRelease(window.hospital_label, Qt.LeftButton, Qt.NoModifier, centre)  # a tap: nothing
    assert window.nurse_station is None
    QTest.mousePress(window.hospital_label, Qt.LeftButton, Qt.NoModifier, centre)
    qtbot.waitUntil(lambda: window.nurse_station is not None, timeout=5000)
    QTest.mouseRelease(window.hospital_label, Qt.LeftButton, Qt.NoModifier, centre)
    station = window.nurse_station
    assert isinstance(station, NurseStation) and window.current_page() is station
    tap(station.first_use.cancel_button)
    assert window.current_page() is window.welcome and window.nurse_station is None
    assert not [w for w in QApplication.allWidgets() if isinstance(w, NurseStation)]


def test_an_administrator_adds_and_removes_a_nurse(station):
    from kiosk.store.nurses import list_nurses

    signed_in(station)
    assert station.accounts_button.isVisible()
    tap(station.accounts_button)
    page = station.accounts
    type_on_keyboard(page.findChildren(OnScreenKeyboard)[0], "Sam Staff")
    enter_pin(page.pad, "1357")
    tap(page.add_button)
    assert [n["name"] for n in list_nurses(station.db)] == ["Nora Nurse", "Sam Staff"]
    tap(page.remove_buttons["Sam Staff"])
    assert [n["name"] for n in list_nurses(station.db)] == ["Nora Nurse"]
    assert actions_of(station.db, "nurse_added") and actions_of(station.db, "nurse_removed")


def test_the_station_locks_itself_when_left_alone(qtbot, filled):
    from kiosk.ui import theme
    from kiosk.ui.nurse.station import NurseStation

    data, db, _ids = filled
    theme.install(QApplication.instance())
    widget = NurseStation(settings=SETTINGS, data_dir=data, db=db, idle_seconds=1)
    qtbot.addWidget(widget)
    widget.show()
    create_admin(widget)
    assert widget.nurse is not None
    with qtbot.waitSignal(widget.closed, timeout=4000):
        pass
    assert widget.nurse is None
