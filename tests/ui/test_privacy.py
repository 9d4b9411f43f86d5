"""After a session ends or times out, nothing of that patient is visible or reachable."""

from __future__ import annotations

from kiosk.store import get_consent, list_consents
from kiosk.ui.pages.identity import SignerPage
from tests.ui.conftest import page, tap, visible_texts
from tests.ui.journey import Patient, enter_identity, read_education, start


def test_idle_timeout_asks_then_wipes_the_session(make_window, qtbot, real_pack):
    window = make_window(idle_timeout_seconds=1, idle_countdown_seconds=1)
    start(window)
    enter_identity(window, Patient(name="Beatrice Longbottom"))
    assert any("Beatrice" in t for t in visible_texts())
    qtbot.waitUntil(lambda: window.prompt.isVisible(), timeout=4000)
    qtbot.waitUntil(lambda: window.session is None, timeout=4000)

    assert page(window) is window.welcome
    assert not window.prompt.isVisible()
    assert not any("Beatrice" in t or "Longbottom" in t for t in visible_texts()), "a widget still holds the name"
    # its pages are destroyed just after Welcome is shown, a few per turn of the event loop
    qtbot.waitUntil(lambda: window.pages_left_to_delete() == 0, timeout=2000)
    assert not any("Beatrice" in t or "Longbottom" in t for t in visible_texts())
    # Back is not a way back to the patient: a new start begins from nothing.
    tap(window.welcome.start_button)
    assert isinstance(page(window), SignerPage)
    tap(page(window).choices["patient"])
    assert page(window).field.text() == ""
    assert not any("Beatrice" in t for t in visible_texts())

    qtbot.waitUntil(lambda: list_consents(window.db_for_tests) != [], timeout=10_000)  # stored in the background
    rows = list_consents(window.db_for_tests)
    assert [r["outcome"] for r in rows] == ["abandoned"]
    saved = get_consent(window.db_for_tests, rows[0]["document_id"])
    assert saved["record"]["patient"]["full_name"] == "Beatrice Longbottom" and saved["pdf_path"] is None


def test_still_here_keeps_the_session(make_window, qtbot, real_pack):
    window = make_window(idle_timeout_seconds=1, idle_countdown_seconds=3)
    start(window)
    enter_identity(window, Patient(name="Cora Dunn"))
    qtbot.waitUntil(lambda: window.prompt.isVisible(), timeout=4000)
    tap(window.prompt.stay_button)
    assert window.session is not None and not window.prompt.isVisible()
    read_education(window, open_more_on_first=False)
    assert window.session is not None


def test_back_from_the_first_step_returns_to_welcome_and_forgets(window):
    start(window)
    tap(page(window).back_button)
    assert page(window) is window.welcome and window.session is None
