"""The seal key loads after the first paint, with the database, never on the start-up path; a
seal certificate that cannot be used puts the kiosk out of service before a patient starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kiosk.settings import Settings
from kiosk.ui import theme
from kiosk.ui.window import KioskWindow
theme.install(app)
seen = {}
window = KioskWindow(settings=Settings(**json.loads(sys.argv[2])), data_dir=Path(sys.argv[1]))
window.resize(1280, 800)
window.show()
seen["pyhanko_when_shown"] = any(name.startswith("pyhanko") for name in sys.modules)
def poll():
    page = type(window.current_page()).__name__
    if window.welcome.start_button.isEnabled() or page == "OutOfServicePage":
        seen.update(start_enabled=window.welcome.start_button.isEnabled(), page=page,
                    signer=getattr(window.seal_signer, "subject", None),
                    detail=getattr(window.current_page(), "detail", None) and window.current_page().detail.text())
        app.quit()
    else:
        QTimer.singleShot(20, poll)
QTimer.singleShot(0, poll)
QTimer.singleShot(20000, app.quit)
app.exec()
print(json.dumps(seen))
"""


def start(data_dir: Path, **settings) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", PROBE, str(data_dir), json.dumps(settings)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_seal_key_is_loaded_after_the_first_paint(tmp_path):
    seen = start(tmp_path, hospital_name="St Mary's Hospital")
    assert seen["pyhanko_when_shown"] is False  # pyHanko (about a second to import) waits for the paint
    assert seen["start_enabled"] and seen["signer"] == "St Mary's Hospital consent kiosk"
    assert (tmp_path / "seal" / "kiosk-seal-key.pem").is_file()


def test_a_seal_certificate_that_cannot_be_opened_puts_the_kiosk_out_of_service(tmp_path):
    (tmp_path / "hospital.p12").write_bytes(b"not a PKCS#12 file")
    seen = start(tmp_path, seal_certificate="hospital.p12", seal_certificate_password="pw")
    assert seen["page"] == "OutOfServicePage" and not seen["start_enabled"]
    assert "hospital.p12" in seen["detail"] and "password" in seen["detail"]
