"""The pictures: where each SVG is, where the kiosk draws its labels, and its high-contrast
variant. No Qt here; `kiosk.ui.widgets.picture` draws them, `kiosk.documents` prints them.

Pictures hold no words: each `assets/illustrations/<name>.labels.toml` says where labels go,
and the words come from the patient's language (`ContentPack.picture_label`).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.pack import DEFAULT_ASSETS_DIR
from kiosk.content.structure import ContentError

ILLUSTRATIONS_DIR = DEFAULT_ASSETS_DIR / "illustrations"
SIDES = ("left", "right", "top", "bottom")

# High contrast: soft fills become white or strong tones, outlines pure black.
HIGH_CONTRAST = {
    "#1b2631": "#000000", "#f3e9d2": "#ffffff", "#e2d3b5": "#bdbdbd", "#f2b36b": "#ff9d1c",
    "#d9822b": "#a14a00", "#4f86b5": "#0047b3", "#2f5f8a": "#002a6b", "#f2c9b0": "#ffffff",
    "#dba88c": "#9e9e9e", "#f1d36b": "#ffe100", "#c9a227": "#806600", "#c97b7b": "#c40000",
    "#a25454": "#800000", "#f0b8b8": "#ffc0c0", "#d98f8f": "#b30000", "#d98c7a": "#ffb199",
    "#b86b5a": "#7a2e1e", "#c5ccd3": "#ffffff", "#8b97a3": "#404040", "#5e6b78": "#000000",
    "#e9e5dc": "#ffffff", "#b8b2a6": "#404040",
}


@dataclass(frozen=True)
class PictureLabel:
    """Where one label goes: `anchor` (fractions of the picture) is what its line points at."""

    id: str
    anchor: tuple[float, float]
    side: str


@dataclass(frozen=True)
class Illustration:
    name: str
    svg_path: Path
    mirror_for_rtl: bool
    labels: tuple[PictureLabel, ...]


@functools.lru_cache(maxsize=64)
def illustration(name: str, folder: Path = ILLUSTRATIONS_DIR) -> Illustration:
    """The picture `name` and its label places; ContentError naming the file when broken."""
    svg = folder / f"{name}.svg"
    if not svg.is_file():
        raise ContentError(f"{svg}: the illustration {name!r} is missing")
    spec_path = folder / f"{name}.labels.toml"
    spec = {}
    if spec_path.is_file():
        try:
            spec = tomllib.loads(spec_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ContentError(f"{spec_path}: not valid TOML: {error}") from None
    labels = []
    for number, entry in enumerate(spec.get("labels", []), 1):
        anchor = entry.get("anchor")
        if (entry.get("side") not in SIDES or not isinstance(anchor, list) or len(anchor) != 2
                or not all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in anchor)):
            raise ContentError(f"{spec_path}: label {number} needs an id, an anchor [x, y] between "
                               f"0 and 1, and a side ({', '.join(SIDES)})")
        labels.append(PictureLabel(str(entry["id"]), (float(anchor[0]), float(anchor[1])), entry["side"]))
    return Illustration(name, svg, bool(spec.get("mirror_for_rtl", False)), tuple(labels))


@functools.lru_cache(maxsize=64)
def svg_bytes(name: str, *, high_contrast: bool = False, folder: Path = ILLUSTRATIONS_DIR) -> bytes:
    """The SVG source, with the palette swapped for its high-contrast tones when asked."""
    text = illustration(name, folder).svg_path.read_text(encoding="utf-8")
    if high_contrast:
        for soft, strong in HIGH_CONTRAST.items():
            text = text.replace(soft, strong).replace(soft.upper(), strong)
    return text.encode("utf-8")
