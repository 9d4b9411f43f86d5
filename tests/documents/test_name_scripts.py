"""A name in any script the PDF fonts draw prints as itself, in a consent of any language: each
character is drawn in the first shipped font that has it (DejaVu Sans, then Droid Sans Fallback)."""

from __future__ import annotations

import random
import subprocess
import unicodedata

import pytest

from kiosk.content import load_pack
from kiosk.documents import render_consent
from kiosk.finalise import freeze_record
from kiosk.flow.clock import make_clock
from kiosk.flow.walk import walk_session
from kiosk.settings import Settings


@pytest.mark.parametrize("language, name", [
    ("en", "王秀英"), ("en", "Zhang Wei 张伟"), ("es", "李小龙"), ("ar", "王秀英"), ("en", "Ελένη Παπαδοπούλου"),
    ("zh", "Margaret O'Brien"), ("uk", "فاطمة الزهراء"),
])
def test_a_name_prints_in_its_own_script_whatever_the_consent_language(language, name, tmp_path):
    pack = load_pack(language)
    settings = Settings(time_zone="Europe/London", staff_language=language)
    session = walk_session(pack, name=name, outcome="consented", representative=None, wrong_once=(),
                           wrong_twice=(), clock=make_clock("Europe/London"), rng=random.Random(5))
    record = freeze_record(session, pack, settings)
    path = tmp_path / "consent.pdf"
    path.write_bytes(render_consent(record, hospital_name="St Elsewhere", labels=pack.pdf_labels).pdf)
    text = unicodedata.normalize("NFKC", subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                                         text=True, check=True).stdout)
    assert "\ufffd" not in text
    if any(unicodedata.bidirectional(c) == "AL" for c in name):
        assert all(word in text for word in name.split())
    else:
        assert name in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())
    if any("\u4e00" <= c <= "\u9fff" for c in name):
        assert "DroidSansFallback" in fonts
