"""In a right-to-left consent every time keeps its own order: "2026-12-04 04:31:32 +00:00
Europe/London", not "Europe/London 00:00+ 04:31:32 04-12-2026" (the bidi algorithm runs the
parts of a Latin and digit run right to left inside Arabic unless it is embedded)."""

from __future__ import annotations

import random
import re
import subprocess
import unicodedata

from kiosk.content import load_pack
from kiosk.documents import render_consent
from kiosk.finalise import freeze_record
from kiosk.flow.clock import make_clock
from kiosk.flow.walk import walk_session
from kiosk.settings import Settings

TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+00:00 Europe/London")
REVERSED = re.compile(r"Europe/London 00:00\+")


def test_every_time_in_an_arabic_consent_reads_left_to_right(tmp_path):
    pack = load_pack("ar")
    settings = Settings(time_zone="Europe/London", staff_language="ar")
    session = walk_session(pack, name="فاطمة الزهراء", outcome="consented", representative=None, wrong_once=("q_leak",),
                           wrong_twice=(), clock=make_clock("Europe/London"), rng=random.Random(2))
    record = freeze_record(session, pack, settings)
    path = tmp_path / "ar.pdf"
    path.write_bytes(render_consent(record, hospital_name="St Elsewhere", labels=pack.pdf_labels).pdf)
    text = unicodedata.normalize("NFKC", subprocess.run(["pdftotext", "-layout", str(path), "-"],
                                                         capture_output=True, text=True, check=True).stdout)
    times = TIME.findall(text)
    assert len(times) >= len(pack.statements_for("patient")) + len(pack.questions), "each confirmation and try"
    assert not REVERSED.search(text)
    assert "\ufffd" not in text
