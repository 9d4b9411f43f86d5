"""Renders the consent PDF screenshots in docs/screenshots/ from sample journeys of the English
pack (the same walks as tests/documents/test_consent_pdf_journeys.py), at 60 dpi:

    uv run python tests/documents/make_screenshots.py

pdf-flagged-1/2 (questions for the doctor, two questions wrong twice, one wrong once, help
asked for twice), pdf-declined-1/2 (declined with four statements left), pdf-representative-1/2
and pdf-representative-statements (a son signing for his mother), pdf-consent-1 and
pdf-consent-5 (a patient's own consent: page 1 and the signature page), pdf-blank-1.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk.content import load_pack  # noqa: E402
from kiosk.documents import render_blank_form, render_consent_pdf  # noqa: E402
from kiosk.flow.record import blank_form_data, build_record  # noqa: E402
from tests.flow.sample import complete_session, ticking_clock  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
HOSPITAL = "St Mary's Hospital"


def page_with(pdf: Path, words: str) -> int:
    """The first page (1-based) whose text starts a line with `words`."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True,
                           text=True).stdout.split("\f")
    return next(n for n, text in enumerate(pages, start=1) if any(line.startswith(words) for line in text.splitlines()))


def png(pdf: Path, page: int, name: str) -> None:
    target = OUT / name
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(target.with_suffix(""))], check=True)
    print(target.relative_to(ROOT))


def main() -> None:
    pack = load_pack("en")
    journeys = {
        "flagged": {"outcome": "questions", "wrong_twice": ("q_leak", "q_treats"), "wrong_once": ("q_new_pain",),
                    "help_at": ("statements", "info.procedure_how")},
        "declined": {"outcome": "declined", "unconfirmed": tuple(s.id for s in pack.statements_for("patient")[3:])},
        "representative": {"representative": "Tom Obrien"},
        "consent": {},
    }
    with tempfile.TemporaryDirectory() as folder:
        for kind, walk in journeys.items():
            record = build_record(complete_session(pack, clock=ticking_clock(), **walk), pack, time_zone="Europe/London")
            pdf = Path(folder) / f"{kind}.pdf"
            pdf.write_bytes(render_consent_pdf(record, hospital_name=HOSPITAL, labels=pack.pdf_labels))
            png(pdf, 1, f"pdf-{kind}-1.png")
            if kind == "consent":
                png(pdf, page_with(pdf, pack.pdf_labels["section_signature"]), "pdf-consent-5.png")
                continue
            png(pdf, 2, f"pdf-{kind}-2.png")
            if kind == "representative":
                png(pdf, page_with(pdf, pack.pdf_labels["section_statements"]) + 1, "pdf-representative-statements.png")
        blank = Path(folder) / "blank.pdf"
        blank.write_bytes(render_blank_form(blank_form_data(pack), hospital_name=HOSPITAL, labels=pack.pdf_labels))
        png(blank, 1, "pdf-blank-1.png")


if __name__ == "__main__":
    main()
