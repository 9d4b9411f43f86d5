"""The nurse station pointed at the central PostgreSQL database (``kiosk nurse --central``),
offscreen at 1920x1080 and 1280x800: the queue shows every kiosk's consents with the kiosk's
id, search finds "Müller" by "muller", a consent opens with its PDF from the central bytes
(a private copy, gone when the page closes), and with PostgreSQL stopped the queue says so
kindly and comes back at the nurse's next tap (the live poll, a few seconds later). A real cluster, real kiosks delivering real sealed PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.review.central import CentralLink
from kiosk.store import open_database
from tests.central.conftest import cluster, fresh_database  # noqa: F401 - the cluster fixture
from tests.central.test_station_setup import PACK, PATIENTS, SETTINGS, deliver_fleet
from tests.ui.conftest import tap
from tests.ui.test_nurse_screens import _pdf_drawn
from tests.ui.test_nurse_station import Clock, create_admin

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
KIOSK_COLUMN = 6


@pytest.fixture(scope="module")
def fleet(cluster, tmp_path_factory):  # noqa: F811
    with fresh_database(cluster) as dsn:
        yield dsn, deliver_fleet(tmp_path_factory.mktemp("fleet"), dsn)


def open_station(qtbot, folder: Path, dsn: str, size):
    from kiosk.ui import theme
    from kiosk.ui.nurse.station import NurseStation
    from kiosk.ui.theme import screen_scale

    folder.mkdir()
    db = open_database(folder / "kiosk.db")
    theme.install(QApplication.instance(), scale=screen_scale(size[1]))
    link = CentralLink(dsn, station_id=f"station:desk-{size[0]}", data_dir=folder)
    station = NurseStation(settings=SETTINGS, data_dir=folder, db=db, pdf_labels=PACK.pdf_labels, clock=Clock(),
                           central=link)
    qtbot.addWidget(station)
    station.resize(*size)
    station.show()
    qtbot.waitExposed(station)
    create_admin(station)  # accounts stay on this computer: a new desk starts with its first administrator
    return station, db, link


def shown_rows(queue) -> list[tuple[str, str]]:
    model = queue.model
    return [(model.data(model.index(r, 1)), model.data(model.index(r, KIOSK_COLUMN))) for r in range(model.rowCount())]


def shoot(widget, name: str) -> None:
    QApplication.processEvents()
    if SHOTS.is_dir():
        widget.grab().save(str(SHOTS / name))


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_central_queue_shows_every_kiosk_and_opens_a_consent_with_its_pdf(qtbot, fleet, tmp_path, size):
    dsn, ids = fleet
    station, db, link = open_station(qtbot, tmp_path / "desk", dsn, size)
    try:
        queue = station.queue
        assert station.stack.currentWidget() is queue
        assert queue.model.headerData(KIOSK_COLUMN, Qt.Horizontal) == "Kiosk"
        assert sorted(shown_rows(queue)) == sorted((name, kiosk) for kiosk, patients in PATIENTS.items()
                                                   for name, _ in patients)
        assert "all kiosks" in station.who.text() and not station.dashboard_button.isVisible()
        assert station.width() <= size[0] and station.height() <= size[1]
        suffix = "" if size == (1920, 1080) else f"-{size[0]}x{size[1]}"
        shoot(station, f"nurse-central{suffix}.png")

        queue.search.setText("muller")
        tap(queue.search_button)
        assert shown_rows(queue) == [("Hans Müller", "ward-3-kiosk")]
        assert queue.count_label.text() == "1 consent"

        qtbot.mouseClick(queue.table.viewport(), Qt.LeftButton, pos=queue.table.visualRect(queue.model.index(0, 1)).center())
        page = station.consent
        assert station.stack.currentWidget() is page
        assert page.detail.document_id == ids["Hans Müller"][0]
        assert page.document.pageCount() >= 1 and page.viewer.isVisible()
        qtbot.waitUntil(lambda: _pdf_drawn(page.pdf_view), timeout=10_000)  # the central bytes, rendered
        assert "From kiosk ward-3-kiosk" in page.summary.text()
        copy = page.detail.pdf_path
        assert copy.exists() and link.views_root in copy.parents
        shoot(station, f"nurse-central-consent{suffix}.png")
        page.close_record()  # "Back to the queue"
        assert not copy.exists() and station.stack.currentWidget() is queue
    finally:
        station.sign_out()
        db.close()
        link.close()


def test_postgresql_down_the_queue_says_so_and_comes_back(qtbot, fleet, tmp_path, cluster):  # noqa: F811
    dsn, ids = fleet
    station, db, link = open_station(qtbot, tmp_path / "desk", dsn, (1280, 800))
    try:
        queue = station.queue
        assert len(shown_rows(queue)) == 6
        cluster.stop()
        try:
            queue.refresh()
            assert queue.problem.isVisible()
            assert "The central database cannot be reached" in queue.problem.text()
            assert len(shown_rows(queue)) == 6  # what was on screen stays
            station.open_consent(ids["Ann Lee"][0])  # refused kindly, no crash
            assert station.notice.isVisible() and "cannot be reached" in station.notice.text()
            assert station.stack.currentWidget() is queue
            shoot(station, "nurse-central-down.png")
        finally:
            cluster.start()
        queue.check_for_changes()  # the live poll waits a few seconds before it tries the server again
        assert queue.problem.isVisible()
        tap(queue.search_button)  # "try again": the nurse's own tap reads at once
        assert not queue.problem.isVisible() and len(shown_rows(queue)) == 6
    finally:
        station.sign_out()
        db.close()
        link.close()
