"""The consent is rendered, sealed and stored off the UI thread, behind "Saving your form…";
Done only once its PDF is on disk and its row committed; a failed save keeps everything."""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtTest import QTest

from kiosk.finalise import PendingConsent
from kiosk.store import get_consent, list_consents
from kiosk.ui.pages.decision import SignaturePage
from kiosk.ui.pages.ending import DonePage, SaveFailedPage
from kiosk.ui.pages.ending import SavingPage
from tests.ui import conftest
from tests.ui.conftest import draw_signature, page, tap, wait_for_saves
from tests.ui.journey import Patient, answer_questions, decide, enter_identity, read_education, start

ROOT = Path(__file__).resolve().parents[2]


def to_signed(window, pack, patient):
    start(window)
    enter_identity(window, patient)
    read_education(window, open_more_on_first=False)
    answer_questions(window, patient, pack)
    decide(window, patient)
    signature = page(window)
    assert isinstance(signature, SignaturePage)
    draw_signature(signature.pad)
    return signature


def press(widget):
    """Tap `widget` without waiting for the save it starts (tap() waits)."""
    getattr(conftest, "look_first", lambda _widget: None)(widget)  # as tap() does, where it does
    QTest.mouseClick(widget, Qt.LeftButton)


class Heartbeat:
    """A 10 ms timer on the UI thread: how often it ran, and the longest gap between runs."""

    def __init__(self):
        self.beats, self.longest_gap_ms = 0, 0
        self._clock = QElapsedTimer()
        self._clock.start()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._beat)
        self._timer.start()

    def _beat(self):
        self.beats += 1
        self.longest_gap_ms = max(self.longest_gap_ms, self._clock.restart())

    def stop(self):
        self._timer.stop()


def hold_write_lock(db_path: Path) -> sqlite3.Connection:
    """Another connection takes the database's write lock, as a busy nurse station can."""
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_the_save_waits_for_the_write_lock_off_the_ui_thread(window, real_pack, data_dir, qtbot):
    signature = to_signed(window, real_pack, Patient(name="Olive Penrose"))
    seen_at_done = []

    def on_page_change(_index):
        if isinstance(page(window), DonePage):  # at the very moment Done appears
            rows = list_consents(window.db_for_tests)
            seen_at_done.append([(r["document_id"], Path(get_consent(window.db_for_tests, r["document_id"])
                                                         ["pdf_path"]).is_file()) for r in rows])

    window.stack.currentChanged.connect(on_page_change)
    lock = hold_write_lock(data_dir / "kiosk.db")
    try:
        press(signature.next_button)  # Sign
        saving = page(window)
        assert isinstance(saving, SavingPage) and window.saving
        assert saving.findChild(type(signature.next_button)) is None, "nothing to tap while saving"
        assert real_pack.ui("saving_title") in [w.text() for w in saving.findChildren(type(window.progress_label))
                                                if w.isVisible()]
        beat = Heartbeat()
        # The UI thread runs its event loop while the worker waits for the lock: 20 beats come
        # while the save is still waiting. Saving on the UI thread, not one beat would come
        # before the lock is let go. (How long a stall may be is a figure of
        # bench/bench_save_stall.py, in a kiosk process, not a timed test.)
        qtbot.waitUntil(lambda: beat.beats >= 20, timeout=10_000)
        beat.stop()
        assert window.saving and isinstance(page(window), SavingPage), "the save did not wait for the lock"
        assert page(window) is saving and list_consents(window.db_for_tests) == []
        assert window.store_worker.thread_ident != threading.get_ident()
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    qtbot.waitUntil(lambda: isinstance(page(window), DonePage), timeout=20000)
    assert not window.saving
    assert len(seen_at_done) == 1 and len(seen_at_done[0]) == 1 and seen_at_done[0][0][1] is True
    row = get_consent(window.db_for_tests, seen_at_done[0][0][0])
    assert row["patient_name"] == "Olive Penrose" and row["outcome"] == "consented"


def test_a_failed_save_keeps_everything_and_the_retry_saves_in_the_background(make_window, data_dir, real_pack,
                                                                               qtbot):
    blocker = data_dir / "blocked"
    blocker.write_text("a file where the consents folder should be")
    window = make_window(consents_folder="blocked/consents")
    signature = to_signed(window, real_pack, Patient(name="Ida Marsh"))
    press(signature.next_button)
    assert isinstance(page(window), SavingPage)
    wait_for_saves()
    failed = page(window)
    assert isinstance(failed, SaveFailedPage) and "blocked" in failed.detail.text()
    assert window.session is not None and isinstance(window.pending, PendingConsent)
    assert window.pending.pdf.startswith(b"%PDF") and window.pending.record["patient"]["full_name"] == "Ida Marsh"
    assert list_consents(window.db_for_tests) == []
    kept = window.pending

    blocker.unlink()
    lock = hold_write_lock(data_dir / "kiosk.db")
    try:
        press(failed.retry_button)
        assert isinstance(page(window), SavingPage)
        beat = Heartbeat()  # a few turns of the event loop while the worker waits for the lock
        qtbot.waitUntil(lambda: beat.beats >= 5, timeout=10_000)
        beat.stop()
        assert isinstance(page(window), SavingPage) and list_consents(window.db_for_tests) == []
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    qtbot.waitUntil(lambda: isinstance(page(window), DonePage), timeout=20000)
    row = get_consent(window.db_for_tests, kept.record["document_id"])
    assert Path(row["pdf_path"]).read_bytes() == kept.pdf, "the retry stores the very PDF made the first time"


def test_after_the_session_nothing_of_the_patient_is_held_by_the_save(window, real_pack, qtbot):
    name = "Quentin Halloway"
    signature = to_signed(window, real_pack, Patient(name=name))
    tap(signature.next_button)
    done = page(window)
    assert isinstance(done, DonePage)
    qtbot.waitUntil(lambda: done.ready, timeout=5000)
    tap(done.next_button)  # Finish
    assert window.session is None and window.pending is None and not window.store_worker.busy
    gc.collect()
    # this patient's: a window an earlier test closed on its Done page may still hold its own
    # (tests/ui/test_language_journeys.py; one window per process in a kiosk)
    assert not [o for o in gc.get_objects()
                if isinstance(o, PendingConsent) and (o.record.get("patient") or {}).get("full_name") == name]
    holders = [o for o in gc.get_objects() if isinstance(o, dict) and name in o.values()]
    assert holders == [], holders[:1]
    # once the pages are destroyed (just after Welcome, a few per turn), still nothing
    qtbot.waitUntil(lambda: window.pages_left_to_delete() == 0, timeout=2000)
    gc.collect()
    holders = [o for o in gc.get_objects() if isinstance(o, dict) and name in o.values()]
    assert holders == [] and not shiboken6.isValid(done), holders[:1]


PROBE = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kiosk.settings import Settings
from kiosk.ui import theme
from kiosk.ui.window import KioskWindow
theme.install(app)
seen = {}
window = KioskWindow(settings=Settings(hospital_name="St Elsewhere"), data_dir=Path(sys.argv[1]))
window.resize(1280, 800)
window.show()
seen["reportlab_when_shown"] = "reportlab" in sys.modules
def poll():
    if window.welcome.start_button.isEnabled() and not window.store_worker.busy:
        seen.update(reportlab=("reportlab" in sys.modules), svglib=("svglib" in sys.modules))
        app.quit()
    else:
        QTimer.singleShot(20, poll)
QTimer.singleShot(0, poll)
QTimer.singleShot(30000, app.quit)
app.exec()
print(json.dumps(seen))
"""


def test_reportlab_and_svglib_are_warmed_after_the_first_paint(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"reportlab_when_shown": False, "reportlab": True, "svglib": True}, seen
    assert not list(tmp_path.rglob("*.pdf")), "the warm-up stores nothing"
