"""A real screen reader's view: the kiosk on Xvfb, driven through AT-SPI by another process.

An Xvfb server on a free display; one private D-Bus session (`dbus-run-session`) holding the
kiosk (`kiosk run --windowed`, 1280x800, QT_QPA_PLATFORM=xcb, QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1,
a fresh data folder) and tests/ui/atspi_client.py on Debian's /usr/bin/python3 with
python3-pyatspi. The client finds every control by role and name (the patient's words) and
presses it with doAction, from Welcome to the first question; this test reads its JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.content import load_pack

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "tests" / "ui" / "atspi_client.py"
SYSTEM_PYTHON = "/usr/bin/python3"


def _has_pyatspi() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("Xvfb", "dbus-run-session")) or not _has_pyatspi(),
    reason="needs Xvfb, dbus-run-session and Debian's python3-pyatspi (.ci/run installs them)")


def _free_display() -> int:
    for number in range(200, 300):  # apart from tests/test_real_x.py's 90-199
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture(scope="module")
def heard(tmp_path_factory):
    import time

    pack = load_pack("en")
    first = pack.questions[0]
    words = {"window": "Consent kiosk", "start": pack.ui("welcome_start"), "patient": pack.ui("signer_patient"),
             "field": pack.ui("a11y_name_field"), "space": pack.ui("key_space"), "next": pack.ui("next"),
             "name": "Ann Lee", "date": "07031948",
             "day_box": f"{pack.ui('dob_day')}: {pack.ui('a11y_date_empty')}",
             "question": first.prompt, "choices": [c.text for c in first.choices]}
    folder = tmp_path_factory.mktemp("atspi")
    data = folder / "data"
    data.mkdir()
    display = _free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{display}").exists():
            assert time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.02)
        # The socket file is there from bind(), before the server listens and answers: a client
        # that connected in between was refused ("no Qt platform plugin could be initialized",
        # seen twice on a loaded machine). Wait until the server answers a real client.
        while subprocess.run(["xdpyinfo", "-display", f":{display}"], capture_output=True).returncode != 0:
            assert time.monotonic() < deadline, "Xvfb did not answer"
            time.sleep(0.05)
        env = {**os.environ, "DISPLAY": f":{display}", "QT_QPA_PLATFORM": "xcb",
               "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "KIOSK_PYTHON": sys.executable,
               "KIOSK_DATA": str(data), "CLIENT": str(CLIENT), "WORDS": json.dumps(words)}
        env.pop("QT_SCALE_FACTOR", None)
        script = ('"$KIOSK_PYTHON" -m kiosk --data-dir "$KIOSK_DATA" run --windowed 2>"$KIOSK_DATA/kiosk.log" & '
                  'kiosk=$!; ' + SYSTEM_PYTHON + ' "$CLIENT" "$WORDS"; status=$?; '
                  'kill $kiosk; wait $kiosk 2>/dev/null; exit $status')
        started = time.monotonic()
        run = subprocess.run(["dbus-run-session", "--", "bash", "-c", script], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        elapsed = time.monotonic() - started
    finally:
        xvfb.terminate()
        xvfb.wait(5)
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    log = (data / "kiosk.log").read_text(errors="replace")[-2000:] if (data / "kiosk.log").exists() else ""
    assert lines, f"the client said nothing: {run.returncode}\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}\n{log}"
    result = json.loads(lines[-1])
    result["elapsed_s"] = round(elapsed, 1)
    result["words"] = words
    print(json.dumps(result, ensure_ascii=False)[:3000])
    return result


def test_a_screen_reader_reaches_the_first_question_by_role_and_name(heard):
    assert "error" not in heard, heard
    assert heard["reached_question"], heard
    pressed = [entry["pressed"] for entry in heard["done"]]
    words = heard["words"]
    assert pressed[:2] == [words["start"], words["patient"]]
    assert heard["typed"] == words["name"], "the name typed with the keyboard's keys, found by name"
    assert heard["field"]["name"] == words["field"] and heard["field"]["role"] in ("entry", "text")
    assert [p for p in pressed if p.isdigit()] == list(words["date"])
    assert heard["education_pages"] >= 10, heard["education_pages"]
    assert sorted(heard["question_choices"]) == sorted(words["choices"]), "the answers are named buttons"


def test_the_date_boxes_are_read_with_what_was_typed(heard):
    assert heard["date_boxes"][:3] == ["Day: 07", "Month: 03", "Year: 1948"], heard["date_boxes"]


def test_the_kiosk_appears_to_a_screen_reader_quickly(heard):
    assert heard["appeared_s"] < 15, heard["appeared_s"]
