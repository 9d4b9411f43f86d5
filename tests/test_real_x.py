"""The kiosk on a real X server with NO window manager, driven with real pointer events.

For each screen size an Xvfb server is started (a free display number, no window manager),
then `kiosk --data-dir DIR run` in kiosk mode (not windowed) with QT_QPA_PLATFORM=xcb. One
whole journey is walked with `xdotool`: taps on buttons found by their place on the screen,
the statements scrolled with a pointer drag, a signature drawn with the pointer (button down,
many moves, button up). The places come from the kiosk's KIOSK_REPORT_GEOMETRY lines on
stderr (kiosk.ui.geometry_report: what is visible and where, nothing else). On every page the
window's geometry is read from the X server (`xwininfo -root -tree`) and must cover the screen,
with Back and Next inside it; root-window screenshots (`import -window root`) must show the
kiosk's own colours across the whole screen. The journey ends with a saved consent: its row
and its PDF are checked.

Every button that moves the journey on (Start, "I am the patient", each Next, "I agree", Sign,
Finish) and every answer and statement is tapped TWICE, 60 ms apart, at the same spot, as a
shaky finger does (`xdotool click --repeat 2 --delay 60`: two real button presses and
releases). After each such tap the page that settles must be exactly the next step of the
route the flow itself gives (`kiosk.flow.walk.walk_session` with the same answers); the steps
the kiosk reported, in order, must be that route and nothing else; the stored record must
list as seen exactly the education pages that were shown, one signature stroke, one attempt
per question, every statement confirmed; the second tap on Finish must start nothing.

Both sizes run at the same time (each page ignores taps for 0.9 s after it appears, which
a calm patient never notices but a test would wait 40 times over); each size is its own test.
Set KIOSK_SCREENSHOTS=DIR to keep a few screenshots of each size.
"""

from __future__ import annotations

import json
import math
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

SIZES = [(1280, 800), (1920, 1080)]
TOOLS = ("Xvfb", "xdotool", "xwininfo", "import")
PREFIX = "kiosk-geometry: "
GAP_MS = 60  # the second tap of a double tap
KEEP = {"WelcomePage", "NamePage", "InfoPage", "QuestionPage", "StatementsPage", "SignaturePage", "DonePage"}

pytestmark = pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS),
                                reason=f"needs {', '.join(TOOLS)} (.ci/run installs them)")


def _free_display() -> int:
    for number in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


class Kiosk:
    """One Xvfb server and one kiosk on it; `report()` is the latest geometry line."""

    def __init__(self, size: tuple[int, int], folder: Path, display: int):
        self.size, self.folder = size, folder
        self.display = f":{display}"
        self.env = {**os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb",
                    "KIOSK_REPORT_GEOMETRY": "1"}
        self.env.pop("QT_SCALE_FACTOR", None)
        self.data = folder / "data"
        self.data.mkdir(parents=True)
        self.xvfb = subprocess.Popen(["Xvfb", self.display, "-screen", "0", f"{size[0]}x{size[1]}x24",
                                      "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.kiosk = None
        self.lines: queue.Queue = queue.Queue()
        self.stderr: list[str] = []
        self.latest: dict | None = None
        self.steps: list[str | None] = []  # each step reported, once per change
        self.ready_for_patients = False
        wait_until(lambda: Path(f"/tmp/.X11-unix/X{display}").exists(), 10, "Xvfb did not start")

    def start(self) -> None:
        self.kiosk = subprocess.Popen([sys.executable, "-m", "kiosk", "--data-dir", str(self.data), "run"],
                                      env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                      text=True, cwd=Path(__file__).resolve().parents[1])
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.kiosk.stderr:
            self.stderr.append(line)
            if line.startswith(PREFIX):
                self.latest = json.loads(line[len(PREFIX):])
                if not self.steps or self.steps[-1] != self.latest["step"]:
                    self.steps.append(self.latest["step"])
            elif "ready for patients" in line:
                self.ready_for_patients = True

    def stop(self) -> None:
        for process in (self.kiosk, self.xvfb):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)
        if self.kiosk is not None and self.kiosk.stderr is not None:
            self.kiosk.stderr.close()

    # ----- what the X server says -------------------------------------------------------------
    def x(self, *args: str) -> str:
        return subprocess.run(args, env=self.env, capture_output=True, text=True, check=True, timeout=10).stdout

    def kiosk_window(self) -> tuple[int, int, int, int]:
        """The kiosk's top-level window as the X server has it: (x, y, width, height)."""
        for line in self.x("xwininfo", "-root", "-tree").splitlines():
            if '"Consent kiosk"' in line:
                geometry = line.split(")")[-1].split()[0]  # 1280x800+0+0
                size, x, y = geometry.split("+")[:3]
                width, height = size.split("x")
                return int(x), int(y), int(width), int(height)
        raise AssertionError("no kiosk window on the X server")

    def screenshot(self, name: str) -> Path:
        path = self.folder / f"{name}.png"
        self.x("import", "-window", "root", str(path))
        return path

    # ----- a patient's hand ---------------------------------------------------------------
    def page(self, kind: str, timeout: float = 20) -> dict:
        """Wait until `kind` is on screen and takes taps; its report."""
        wait_until(lambda: self.latest and self.latest["page"] == kind and self.latest["ready"]
                   and not self.latest["prompt"], timeout, lambda: f"{kind} not shown; last {self.latest}")
        return self.latest

    def control(self, text: str | None = None, *, char: str | None = None, kind: str | None = None) -> dict:
        for control in self.latest["controls"]:
            if (text is None or control["text"] == text) and (char is None or control["char"] == char) \
                    and (kind is None or control["kind"] == kind) and control["enabled"]:
                return control
        raise AssertionError(f"no {text or char or kind!r} on screen: {[c['text'] for c in self.latest['controls']]}")

    def tap(self, text: str | None = None, **how) -> None:
        x, y, w, h = self.control(text, **how)["rect"]
        before = self.latest
        self.x("xdotool", "mousemove", str(x + w // 2), str(y + h // 2), "click", "1")
        wait_until(lambda: self.latest is not before, 5, f"nothing changed after tapping {text or how}")

    def double_tap(self, text: str | None = None, **how) -> None:
        """Two taps GAP_MS apart at the same spot: real X presses and releases."""
        x, y, w, h = self.control(text, **how)["rect"]
        before = self.latest
        self.x("xdotool", "mousemove", str(x + w // 2), str(y + h // 2),
               "click", "--repeat", "2", "--delay", str(GAP_MS), "1")
        wait_until(lambda: self.latest is not before, 5, f"nothing changed after double-tapping {text or how}")

    def settled(self, leaving: str | None, timeout: float = 20) -> dict:
        """Wait until a page of another step than `leaving` is on screen and takes taps (by
        then the second tap of a double tap, 60 ms after the first, has long been handled)."""
        wait_until(lambda: self.latest["step"] != leaving and self.latest["ready"] and not self.latest["prompt"],
                   timeout, lambda: f"still on {leaving}; last {self.latest}")
        return self.latest

    def drag(self, points: list[tuple[int, int]]) -> None:
        """Button down, many moves, button up: a finger on the glass."""
        args = ["xdotool", "mousemove", str(points[0][0]), str(points[0][1]), "mousedown", "1"]
        for px, py in points[1:]:
            args += ["sleep", "0.03", "mousemove", str(px), str(py)]
        args += ["mouseup", "1"]
        self.x(*args)


def wait_until(condition, timeout: float, message) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message() if callable(message) else message)
        time.sleep(0.02)


def _inside(rect, screen) -> bool:
    x, y, w, h = rect
    return x >= 0 and y >= 0 and x + w <= screen[0] and y + h <= screen[1]


def expected_route(pack) -> list[str]:
    """The step ids the flow gives this journey (the patient signs, every answer right)."""
    import random

    from kiosk.flow.clock import make_clock
    from kiosk.flow.walk import walk_session

    return list(walk_session(pack, name="Ann Lee", clock=make_clock(None), rng=random.Random(0)).history)


def journey(kiosk: Kiosk, pack) -> dict:
    """Welcome to Done and back to Welcome as a patient; returns what was seen on each page."""
    from kiosk.flow.task import question_step_id

    seen, shots = [], []
    width, height = kiosk.size
    route = expected_route(pack)

    def move(text: str | None = None, *, timeout: float = 20, **how) -> dict:
        """Double-tap what moves the journey on: exactly one step is taken."""
        leaving = kiosk.latest["step"]
        kiosk.double_tap(text, **how)
        report = kiosk.settled(leaving, timeout)
        expected = route[route.index(leaving) + 1] if leaving in route else route[0]
        assert report["step"] == expected, \
            f"a double tap on {text or how} on {leaving} went to {report['step']}, not one step on to {expected}"
        return report

    def check(report: dict) -> None:
        window = kiosk.kiosk_window()
        entry = {"page": report["page"], "step": report["step"], "x_window": window, "window": report["window"]}
        entry["outside"] = [c["text"] for c in report["controls"] if not _inside(c["rect"], kiosk.size)]
        entry["nav"] = [c["text"] for c in report["controls"] if c["text"] in (pack.ui("back"), pack.ui("next"))]
        seen.append(entry)
        if report["page"] in KEEP and report["page"] not in {s["page"] for s in shots}:
            shots.append({"page": report["page"], "path": str(kiosk.screenshot(
                f"real-x-{width}x{height}-{len(shots) + 1:02d}-{report['page']}"))})

    wait_until(lambda: kiosk.ready_for_patients, 30, lambda: "".join(kiosk.stderr[-20:]))
    check(kiosk.page("WelcomePage"))
    check(move(pack.ui("welcome_start")))
    check(move(pack.ui("signer_patient")))
    assert kiosk.latest["page"] == "NamePage"
    for char in "ann lee":
        kiosk.tap(pack.ui("key_space")) if char == " " else kiosk.tap(char=char)
    check(kiosk.latest)
    check(move(pack.ui("next")))
    assert kiosk.latest["page"] == "BirthDatePage"
    for digit in "07031948":
        kiosk.tap(digit)
    move(pack.ui("next"))
    shown_pages = []
    while kiosk.latest["page"] == "InfoPage":
        shown_pages.append(kiosk.latest["step"])
        check(kiosk.latest)
        move(pack.ui("next"))
    while kiosk.latest["page"] == "QuestionPage":
        step = kiosk.latest["step"]
        question = next(q for q in pack.questions if question_step_id(q.id) == step)
        check(kiosk.latest)
        kiosk.double_tap(next(c.text for c in question.choices if c.id == question.correct))
        move(pack.ui("next"))
    statements = kiosk.latest
    assert statements["page"] == "StatementsPage", statements
    check(statements)
    texts = [s.text_for("patient") for s in pack.statements_for("patient")]
    ticked, scrolled = set(), 0
    while len(ticked) < len(texts):
        visible = [c for c in kiosk.latest["controls"] if c["text"] in texts and c["text"] not in ticked
                   and c["rect"][3] >= 60]  # wholly enough in sight to tap
        if visible:
            kiosk.double_tap(visible[0]["text"])  # a second tap leaves it ticked
            ticked.add(visible[0]["text"])
            continue
        assert scrolled < 10, f"statements out of reach: {sorted(set(texts) - ticked)}"
        lowest = max((c for c in kiosk.latest["controls"] if c["text"] in texts), key=lambda c: c["rect"][1])
        x, y, w, h = lowest["rect"]
        before = kiosk.latest
        kiosk.drag([(x + w // 2, y + h // 2 - 10 * i) for i in range(26)])  # a finger pushes the list up
        wait_until(lambda: kiosk.latest is not before, 5,
                   lambda: f"a drag from {lowest['rect']} did not scroll the statements: {before}")
        scrolled += 1
    check(move(pack.ui("next")))
    assert kiosk.latest["page"] == "DecisionPage"
    pad = move(pack.ui("decision_consented"))  # the second tap lands where the pad will be
    assert pad["page"] == "SignaturePage"
    check(pad)
    x, y, w, h = kiosk.control(kind="SignaturePad")["rect"]
    kiosk.drag([(int(x + w * (0.15 + 0.6 * i / 40)), int(y + h * (0.5 + 0.25 * math.sin(i / 3))))
                for i in range(41)])
    done = move(pack.ui("signature_sign"), timeout=60)  # Saving (no step), then Done
    assert done["page"] == "DonePage"
    check(done)
    kiosk.double_tap(pack.ui("done_finish"))
    welcome = kiosk.settled("done")  # taps count again here 0.9 s after Welcome is drawn
    assert welcome["page"] == "WelcomePage", f"the second tap on Finish started a session: {welcome}"
    return {"seen": seen, "shots": shots, "scrolled": scrolled, "route": route, "shown_pages": shown_pages}


@pytest.fixture(scope="module")
def journeys(tmp_path_factory):
    from kiosk.content import load_pack

    pack = load_pack("en")
    kiosks = {}
    try:
        for size in SIZES:
            kiosks[size] = Kiosk(size, tmp_path_factory.mktemp(f"x{size[0]}x{size[1]}"), _free_display())
            kiosks[size].start()
        with ThreadPoolExecutor(len(SIZES)) as pool:
            futures = {size: pool.submit(journey, kiosk, pack) for size, kiosk in kiosks.items()}
            results = {}
            for size, future in futures.items():
                try:
                    results[size] = future.result(timeout=120)
                except Exception as error:  # noqa: BLE001 - reported by that size's test
                    results[size] = error
        yield {size: (kiosks[size], results[size]) for size in SIZES}
    finally:
        for kiosk in kiosks.values():
            kiosk.stop()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_whole_journey_on_a_bare_x_server(journeys, size):
    from PIL import Image

    from kiosk.flow.task import info_step_id
    from kiosk.store import get_consent, list_consents, open_database

    kiosk, result = journeys[size]
    if isinstance(result, Exception):
        raise result
    width, height = size
    assert len(result["seen"]) > 30, "every page was visited"
    for entry in result["seen"]:
        assert entry["x_window"] == (0, 0, width, height), entry  # the X server's own word
        assert entry["window"] == [0, 0, width, height], entry
        assert not entry["outside"], entry
        if entry["page"] not in ("WelcomePage", "DonePage"):
            assert entry["nav"], f"no Back or Next on screen: {entry}"
    assert result["scrolled"] >= (1 if height <= 800 else 0)
    for shot in result["shots"]:
        image = Image.open(shot["path"]).convert("RGB")
        assert image.size == size
        corners = [image.getpixel(p) for p in ((2, height - 3), (width - 3, height - 3), (width // 2, height - 3))]
        assert all(c != (0, 0, 0) for c in corners), f"{shot}: black at the screen's edge {corners}"
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        for shot in result["shots"]:
            shutil.copy(shot["path"], Path(folder) / Path(shot["path"]).name)
    db = open_database(kiosk.data / "kiosk.db")
    rows = list_consents(db, limit=10, offset=0)
    assert len(rows) == 1, rows
    assert rows[0]["outcome"] == "consented", rows[0]
    pdfs = list(kiosk.data.rglob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdfs[0]), "-"], capture_output=True, text=True).stdout
    assert "Ann Lee" in text

    # The steps shown, in order, are the flow's route, none skipped or doubled; the record lists
    # as seen exactly the education pages shown.
    shown_steps = [step for step in kiosk.steps if step is not None]  # Welcome and Saving have none
    assert shown_steps == result["route"], f"steps as reported (None: Welcome, Saving): {kiosk.steps}"
    record = get_consent(db, rows[0]["document_id"])["record"]
    seen = [info_step_id(p["id"]) for s in record["sections"] for p in s["pages"] if p["seen_at"]]
    assert seen == result["shown_pages"] and seen, f"seen in the record {seen}, shown {result['shown_pages']}"
    assert len(record["signature"]["strokes"]) == 1, "the second tap on 'I agree' drew no dot"
    assert [len(a["attempts"]) for a in record["answers"]] == [1] * len(record["answers"])
    assert all(a["attempts"][0]["correct"] for a in record["answers"])
    assert record["statements"] and all(s["confirmed_at"] for s in record["statements"])

