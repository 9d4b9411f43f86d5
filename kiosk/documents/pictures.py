"""Small vector copies of the key pictures the patient was shown (for vertebroplasty the broken
vertebra and the cement injection: the structure file's `key_pictures`, carried in the record's
`content`), so the printed record shows what was explained. No Qt here.

The SVGs are converted to ReportLab drawings (svglib): paths stay paths, nothing is
rasterised. Captions are the titles of the pages the pictures appeared on.
"""

from __future__ import annotations

import functools

from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from kiosk.content.illustrations import illustration
from kiosk.documents.blocks import Context, Tagged, row_table

# Records made before the structure named its key pictures (content.key_pictures) were all
# vertebroplasty's, which showed these two.
LEGACY_KEY_PICTURES = {"vertebroplasty": ("compression_fracture", "cement_fill")}
PICTURE_WIDTH = 70 * mm


@functools.lru_cache(maxsize=8)
def _drawing(name: str, width: float, mirrored: bool) -> Drawing:
    from svglib.svglib import svg2rlg  # only when a consent is printed

    art = svg2rlg(str(illustration(name).svg_path))
    scale = width / art.width
    height = art.height * scale
    framed = Drawing(width, height)
    art.transform = (-scale if mirrored else scale, 0, 0, scale, width if mirrored else 0, 0)
    framed.add(art)
    return framed


def key_pictures(data: dict) -> tuple[str, ...]:
    """The record's key pictures, in order (a blank form has its content's too)."""
    content = data.get("content") or {}
    named = content.get("key_pictures")
    if isinstance(named, list):
        return tuple(str(n) for n in named)
    return LEGACY_KEY_PICTURES.get(content.get("id"), ())


def shown_key_pictures(data: dict) -> list[tuple[str, str]]:
    """(picture name, caption) for each key picture on a page of the record, in key_pictures order."""
    wanted = key_pictures(data)
    found = {}
    for section in data.get("sections") or []:
        for page in section.get("pages") or []:
            name = page.get("illustration")
            if name in wanted and name not in found:
                found[name] = page.get("title") or ""
    return [(name, found[name]) for name in wanted if name in found]


def pictures_block(data: dict, ctx: Context) -> list[Flowable]:
    """The key pictures side by side, each with its caption; nothing if none was shown."""
    pictures = shown_key_pictures(data)
    if not pictures:
        return []
    cells = []
    for name, caption in pictures:
        mirrored = ctx.rtl and illustration(name).mirror_for_rtl
        cells.append([Tagged("Figure", _drawing(name, PICTURE_WIDTH, mirrored)), ctx.para(caption, "small")])
    width = ctx.width / len(cells)
    return [ctx.para(ctx.labels("pictures_shown"), "subheading"), row_table([cells], [width] * len(cells), ctx.rtl)]
