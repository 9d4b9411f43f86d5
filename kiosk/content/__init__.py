"""Procedure content: what the patient reads, answers and confirms. No Qt.

    from kiosk.content import load_pack
    pack = load_pack("en")
    pack.pages[0].title, pack.sha256

Structure lives in `assets/content/<procedure>.toml`, words in `translations/<code>.toml`.

The names below are imported on first use: the Welcome screen reads its texts through
`kiosk.content.interface_text` alone, before the pack's modules (and their dataclasses) load.
"""

from __future__ import annotations

import importlib

_HOME = {
    **dict.fromkeys(("SIGNER_ROLES", "Approval", "Choice", "Page", "Question", "Risk", "Section", "Source",
                     "Statement"), "kiosk.content.entries"),
    **dict.fromkeys(("DEFAULT_ASSETS_DIR", "ContentPack", "available_languages", "load_pack"), "kiosk.content.pack"),
    "DEFAULT_TRANSLATIONS_DIR": "kiosk.content.interface_text",
    "ContentError": "kiosk.content.structure",
}

__all__ = [
    "SIGNER_ROLES",
    "Approval",
    "DEFAULT_ASSETS_DIR",
    "DEFAULT_TRANSLATIONS_DIR",
    "Choice",
    "ContentError",
    "ContentPack",
    "Page",
    "Question",
    "Risk",
    "Section",
    "Source",
    "Statement",
    "available_languages",
    "load_pack",
]


def __getattr__(name: str):
    try:
        home = _HOME[name]
    except KeyError:
        raise AttributeError(f"module 'kiosk.content' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
