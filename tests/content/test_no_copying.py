"""The kiosk tells the leaflet's facts in its own, plainer sentences: no 8-word run is copied.

The leaflet itself is not stored in this repository. `leaflet_8word_runs.txt` holds a short
SHA-256 of each 8-word run of it (lowercased, punctuation as spaces). To rebuild it after the
source changes:

    uv run python -m tests.content.test_no_copying PATH/TO/cirse-vertebroplasty-leaflet.txt
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.content.plain_text import SHINGLE_WORDS, shingles, words

HERE = Path(__file__).parent
RUNS_FILE = HERE / "leaflet_8word_runs.txt"
LEAFLET = HERE.parents[2] / "shared" / "source" / "cirse-vertebroplasty-leaflet.txt"
HEADER = f"# SHA-256 (first 16 hex) of each {SHINGLE_WORDS}-word run of the CIRSE leaflet.\n"


def leaflet_body(source: str) -> str:
    """The leaflet's own text: what follows the source file's dashed header line."""
    head, dashes, body = source.partition("-" * 20)
    return body.lstrip("-") if dashes else source


def stored_runs() -> set[str]:
    lines = RUNS_FILE.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def test_the_stored_runs_cover_the_leaflet():
    assert len(stored_runs()) > 500


def test_no_patient_text_copies_eight_words_of_the_leaflet(real_pack):
    runs = stored_runs()
    copied = []
    for text in real_pack.patient_texts():
        w = words(text)
        for i in range(len(w) - SHINGLE_WORDS + 1):
            run = " ".join(w[i : i + SHINGLE_WORDS])
            if shingles(run) & runs:
                copied.append(run)
    assert copied == []


def test_the_check_would_catch_a_copied_sentence():
    copied = "Antibiotics will be injected through a vein just before the cement injection."
    assert shingles(copied) & stored_runs()


@pytest.mark.skipif(not LEAFLET.is_file(), reason="the source leaflet is not beside the checkout")
def test_stored_runs_match_the_source_leaflet():
    assert stored_runs() == shingles(leaflet_body(LEAFLET.read_text(encoding="utf-8")))


if __name__ == "__main__":
    source = leaflet_body(Path(sys.argv[1]).read_text(encoding="utf-8"))
    RUNS_FILE.write_text(HEADER + "".join(f"{h}\n" for h in sorted(shingles(source))))
    print(f"{RUNS_FILE}: {len(shingles(source))} runs from {len(words(source))} words")
