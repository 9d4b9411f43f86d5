"""Procedure content: what the patient reads, answers and confirms. No Qt.

    from kiosk.content import load_pack
    pack = load_pack("en")
    pack.pages[0].title, pack.sha256

Structure lives in `assets/content/<procedure>.toml`, words in `translations/<code>.toml`.
"""

from kiosk.content.entries import (
    SIGNER_ROLES,
    Approval,
    Choice,
    Page,
    Question,
    Risk,
    Section,
    Source,
    Statement,
)
from kiosk.content.pack import (
    DEFAULT_ASSETS_DIR,
    DEFAULT_TRANSLATIONS_DIR,
    ContentError,
    ContentPack,
    available_languages,
    load_pack,
)

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
