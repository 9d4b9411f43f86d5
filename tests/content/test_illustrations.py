"""Every picture the content names exists, is plain SVG the kiosk can draw, holds no words,
and has its labels' words in the translation."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from kiosk.content import load_pack
from kiosk.content.illustrations import ILLUSTRATIONS_DIR, illustration, svg_bytes

PACK = load_pack("en")
NAMES = sorted({page.illustration for page in PACK.pages})
SVG = "{http://www.w3.org/2000/svg}"
ALLOWED = {"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "title", "desc"}


@pytest.mark.parametrize("name", NAMES)
def test_each_named_picture_exists_and_parses(name):
    root = ET.fromstring(svg_bytes(name))
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 800 600"
    assert len(list(root.iter())) > 5, "an empty picture"


@pytest.mark.parametrize("name", NAMES)
def test_no_words_inside_any_picture(name):
    tags = {element.tag.replace(SVG, "") for element in ET.fromstring(svg_bytes(name)).iter()}
    assert not tags & {"text", "tspan", "textPath"}
    assert tags <= ALLOWED, f"elements Qt's SVG renderer may not draw: {tags - ALLOWED}"


@pytest.mark.parametrize("name", NAMES)
def test_every_label_has_words_in_english_and_a_sane_place(name):
    for label in illustration(name).labels:
        assert PACK.picture_label(name, label.id).strip()
        assert all(0 <= v <= 1 for v in label.anchor)


def test_no_picture_file_is_left_unused():
    on_disk = {p.stem for p in ILLUSTRATIONS_DIR.glob("*.svg")}
    assert on_disk == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_high_contrast_changes_the_palette(name):
    soft, strong = svg_bytes(name).decode(), svg_bytes(name, high_contrast=True).decode()
    assert soft != strong
    assert "#1b2631" not in strong.lower()


@pytest.mark.parametrize("name", NAMES)
def test_only_the_palette_is_used(name):
    from kiosk.content.illustrations import HIGH_CONTRAST

    colours = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", svg_bytes(name).decode())}
    allowed = set(HIGH_CONTRAST) | {"#ffffff", "#1e6b3a", "#a4262c", "#000000"}
    assert colours <= allowed, f"colours outside the palette: {colours - allowed}"
