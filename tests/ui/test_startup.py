"""Start-up as the kiosk really does it: database opened after the first paint."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.settings import Settings
from kiosk.ui.pages.ending import OutOfServicePage
from tests.ui.conftest import tap


def make(qtbot, data_dir):
    from PySide6.QtWidgets import QApplication

    from kiosk.ui import theme
    from kiosk.ui.window import KioskWindow

    theme.install(QApplication.instance())
    window = KioskWindow(settings=Settings(), data_dir=data_dir)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    return window


def test_database_opens_after_the_first_paint_then_start_works(qtbot, data_dir):
    window = make(qtbot, data_dir)
    qtbot.waitUntil(lambda: window.welcome.start_button.isEnabled(), timeout=5000)
    assert (data_dir / "kiosk.db").exists()
    tap(window.welcome.start_button)
    assert window.session is not None


def test_a_corrupt_database_shows_out_of_service_and_is_left_untouched(qtbot, data_dir, real_pack):
    corrupt = bytes(range(256)) * 64
    (data_dir / "kiosk.db").write_bytes(corrupt)
    window = make(qtbot, data_dir)
    qtbot.waitUntil(lambda: isinstance(window.current_page(), OutOfServicePage), timeout=5000)
    page = window.current_page()
    assert page.isVisible() and real_pack.ui("out_of_service_title") in [w.text() for w in page.findChildren(type(page.detail))]
    assert "kiosk.db" in page.detail.text()
    assert not window.welcome.start_button.isEnabled()
    assert (data_dir / "kiosk.db").read_bytes() == corrupt


import pytest  # noqa: E402

from tests.store.damaged import KINDS, make_damaged_database, snapshot  # noqa: E402


@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_database_points_the_patient_to_a_paper_form_and_is_left_as_it_was(
        qtbot, data_dir, real_pack, kind):
    path = make_damaged_database(data_dir / "kiosk.db", kind)
    before = snapshot(path)
    window = make(qtbot, data_dir)
    qtbot.waitUntil(lambda: isinstance(window.current_page(), OutOfServicePage), timeout=5000)
    texts = [w.text() for w in window.current_page().findChildren(type(window.current_page().detail))]
    assert real_pack.ui("out_of_service_body") in texts and "paper form" in real_pack.ui("out_of_service_body")
    assert "kiosk.db" in window.current_page().detail.text()
    assert "Traceback" not in window.current_page().detail.text()
    assert not window.welcome.start_button.isEnabled()
    assert snapshot(path) == before


def test_a_start_takes_back_a_pdf_whose_row_a_crash_lost_and_removes_unfinished_files(qtbot, data_dir, real_pack):
    import os

    from kiosk.finalise import prepare_consent
    from kiosk.seal_key import load_seal_signer
    from kiosk.settings import load_settings
    from kiosk.store import get_consent, open_database, write_file_durably
    from kiosk.store.consents import pdf_path_for
    from tests.flow.sample import complete_session

    settings = load_settings(data_dir)
    open_database(data_dir / "kiosk.db").close()
    pending = prepare_consent(complete_session(real_pack), real_pack, settings,
                              signer=load_seal_signer(data_dir, settings))
    consents = settings.consents_path(data_dir)
    orphan = pdf_path_for(consents, pending.record)
    write_file_durably(orphan, pending.pdf)  # the PDF is on disk; the kiosk died before its commit
    unfinished = orphan.parent / f".{orphan.name}.{'0' * 32}.tmp"
    unfinished.write_bytes(pending.pdf[:1000])
    os.utime(unfinished, (1, 1))
    window = make(qtbot, data_dir)
    qtbot.waitUntil(lambda: window.welcome.start_button.isEnabled(), timeout=10000)
    row = get_consent(window.db, pending.record["document_id"])
    assert row is not None and row["record"] == pending.record and row["pdf_path"] == str(orphan)
    assert not unfinished.exists()


# ----- what waits until after the first paint, measured in a fresh process --------------------
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
# Not needed to paint the Welcome screen (bench/bench_startup.py): tomllib when the parsed TOML
# is cached (kiosk.toml_cache), datetime (the clock and today's date are read later), the
# wrapping button of answers and statements.
AFTER_PAINT = ["tomllib", "datetime", "kiosk.ui.widgets.wrap_button", "kiosk.content.entries"]

START = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from kiosk.app import create_kiosk
import kiosk.ui.idle as idle
watch = json.loads(sys.argv[2])
to_idle = []  # what the idle watch's application-wide filter was given
looked = idle.IdleWatch.eventFilter
idle.IdleWatch.eventFilter = lambda self, obj, event: to_idle.append(1) or looked(self, obj, event)
app, window = create_kiosk(Path(sys.argv[1]), windowed=True)
seen = {}
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint and "at_paint" not in seen:
            seen.update(at_paint=[name for name in watch if name in sys.modules], idle_at_paint=len(to_idle))
        return False
catcher = FirstPaint()
window.installEventFilter(catcher)
def when_ready():  # the database open, the warm-up done: what a first Start finds loaded
    if window.welcome.start_button.isEnabled() and not window.store_worker.busy and "when_ready" not in seen:
        seen.update(when_ready=[name for name in watch if name in sys.modules], hospital=window.hospital_label.text(),
                    idle_when_ready=len(to_idle))
        app.quit()
ticker = QTimer(interval=20, timeout=when_ready)
ticker.start()
QTimer.singleShot(30000, app.quit)
app.exec()
print(json.dumps(seen))
"""


def start_kiosk(data_dir: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", START, str(data_dir), json.dumps(AFTER_PAINT)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_second_start_paints_welcome_before_tomllib_datetime_and_the_answer_buttons_load(tmp_path):
    first = start_kiosk(tmp_path)  # parses the settings, translation and structure, and keeps them
    assert first["at_paint"] == ["tomllib", "datetime"]  # tomllib imports datetime
    assert sorted((tmp_path / "cache").iterdir())
    again = start_kiosk(tmp_path)
    assert again["at_paint"] == [], again
    assert again["idle_at_paint"] == 0 and again["idle_when_ready"] > 0  # its filter: after the paint
    assert "kiosk.ui.widgets.wrap_button" in again["when_ready"]  # warmed up before the first Start
    assert "datetime" in again["when_ready"]


def test_welcome_is_painted_from_its_screen_texts_before_the_content_pack_is_built(tmp_path):
    """The content pack's pages, questions and statements (frozen dataclasses, about a tenth of
    start-up) are built just after the first paint, and before a patient can tap Start."""
    for start in (start_kiosk(tmp_path), start_kiosk(tmp_path)):  # parsing the TOML, then from its cache
        assert "kiosk.content.entries" not in start["at_paint"], start
        assert "kiosk.content.entries" in start["when_ready"]


def test_pages_read_today_from_the_computer_clock_unless_given_a_day(qtbot, data_dir):
    from datetime import date

    window = make(qtbot, data_dir)
    assert window._context().today() == date.today()


def test_an_edited_settings_file_is_read_again_at_the_next_start(tmp_path):
    assert start_kiosk(tmp_path)["hospital"] == "Your hospital"
    settings = tmp_path / "settings.toml"
    text = settings.read_text()
    assert 'hospital_name = "Your hospital"' in text
    settings.write_text(text.replace('hospital_name = "Your hospital"', 'hospital_name = "St Elsewhere"'))
    assert start_kiosk(tmp_path)["hospital"] == "St Elsewhere"


def test_the_header_banner_and_start_styles_come_from_the_application_style_sheet(qtbot, data_dir):
    window = make(qtbot, data_dir)
    assert [w for w in [window, *window.findChildren(QWidget)] if w.styleSheet()] == []
    assert window.welcome.start_button.font().pixelSize() == 40
    window.help_banner.setText("A nurse is on the way.")
    window.help_banner.show()
    margins = window.help_banner.contentsMargins()  # its 2 px border, then 2 px by 12 px of padding
    assert (margins.left(), margins.top(), margins.right(), margins.bottom()) == (14, 4, 14, 4)
    header = window.findChild(QWidget, "header")
    assert header.grab().toImage().pixelColor(2, 2).name() == "#e9e5dc"


def test_the_kiosk_mode_still_swallows_a_closing_key_before_the_idle_watch_sees_it(qtbot, data_dir, monkeypatch):
    """The idle watch's filter goes in at the first paint, after kiosk mode's: kiosk mode is put
    back in front, so a blocked key never reaches the idle watch (as before); any other key does."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import kiosk.ui.idle as idle
    from kiosk.ui import theme
    from kiosk.ui.kiosk_mode import KioskMode
    from kiosk.ui.window import KioskWindow

    keys = []  # the key presses the idle watch was given
    looked = idle.IdleWatch.eventFilter
    monkeypatch.setattr(idle.IdleWatch, "eventFilter", lambda self, obj, event: (
        event.type() == QEvent.KeyPress and keys.append(event.key())) or looked(self, obj, event))
    theme.install(QApplication.instance())
    window = KioskWindow(settings=Settings(), data_dir=data_dir)
    qtbot.addWidget(window)
    window.kiosk_mode = KioskMode(window)  # as kiosk.app.create_kiosk does, before the first paint
    try:
        window.kiosk_mode.apply()
        qtbot.waitUntil(lambda: window._idle_watched and window.welcome.start_button.isEnabled(), timeout=5000)
        tap(window.welcome.start_button)
        assert window.idle.timer.isActive()
        QTest.keyClick(window, Qt.Key_Escape)
        QTest.keyClick(window, Qt.Key_A)
        assert keys == [Qt.Key_A]
    finally:
        window.kiosk_mode.release()


BROKEN_START = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from kiosk.app import create_kiosk
app, window = create_kiosk(Path(sys.argv[1]), windowed=True)
seen = {}
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint and "painted" not in seen:
            seen.update(painted=type(window.current_page()).__name__)
        return False
catcher = FirstPaint()
window.installEventFilter(catcher)
def out_of_service():
    page = window.current_page()
    if type(page).__name__ == "OutOfServicePage" and "page" not in seen:
        seen.update(page=type(page).__name__, detail=page.detail.text())
        QTimer.singleShot(0, app.quit)  # after the database's turn, queued at the first paint too
ticker = QTimer(interval=20, timeout=out_of_service)
ticker.start()
QTimer.singleShot(30000, app.quit)
app.exec()
seen.update(start_enabled=window.welcome.start_button.isEnabled(), db_open=window.db is not None)
print(json.dumps(seen))
"""


def test_a_broken_content_pack_puts_the_kiosk_out_of_service_right_after_the_first_paint(tmp_path):
    """Welcome needs only the [ui] texts; the whole pack is checked just after it is painted."""
    import shutil

    copy = tmp_path / "kiosk_copy"
    for folder in ("kiosk", "assets", "translations"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    english = copy / "translations" / "en" / "vertebroplasty.toml"
    text = english.read_text(encoding="utf-8")
    assert 'title = "A broken bone in your back"' in text
    english.write_text(text.replace('title = "A broken bone in your back"', 'title = ""'), encoding="utf-8")
    data_dir = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", BROKEN_START, str(data_dir)], cwd=copy, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["painted"] == "WelcomePage" and seen["page"] == "OutOfServicePage", seen
    assert "en/vertebroplasty.toml: [pages.fracture_what] needs text for 'title'" in seen["detail"]
    assert not seen["start_enabled"] and not seen["db_open"]
    assert "needs text for 'title'" in result.stderr and "Traceback" not in result.stderr
