"""The fixed words of the consent PDF and the blank form.

Every visible word that does not come from the record is in `DEFAULT_LABELS`, read from the
`[pdf]` tables of translations/en/ui.toml and of the default procedure's English file (its
`default_signature_meaning`); a content pack replaces them with its own `[pdf]` words (its
language's, its procedure's), passed as `labels=`. Placeholders in
braces (`{page}`, `{pages}`, `{time}` ...) are filled in when the document is drawn.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping


def _english_labels() -> dict[str, str]:
    """The English `[pdf]` words, read as the content pack reads them (the same files, the same
    parse cache): translations/en/ui.toml with the default procedure's own."""
    from kiosk.content.interface_text import (
        DEFAULT_PROCEDURE,
        DEFAULT_TRANSLATIONS_DIR,
        merged_tables,
        procedure_path,
        ui_path,
    )
    from kiosk.content.structure import read_toml

    ui_file = ui_path(DEFAULT_TRANSLATIONS_DIR, "en")
    pack_file = procedure_path(DEFAULT_TRANSLATIONS_DIR, "en", DEFAULT_PROCEDURE)
    pack = read_toml(pack_file) if pack_file.is_file() else {}  # an install may ship another procedure only
    labels = merged_tables(read_toml(ui_file), pack, "pdf", ui_file, pack_file)
    # every procedure's file gives its own; this is only the key's place and a last resort
    labels.setdefault("default_signature_meaning", "consent to the procedure this document describes")
    return labels


DEFAULT_LABELS: dict[str, str] = _english_labels()


class _KeepUnknown(dict):
    """Leaves a placeholder a translation got wrong visible instead of crashing the PDF."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Labels:
    """DEFAULT_LABELS overridden by a translation's entries; `labels("key", x=1)` fills placeholders."""

    def __init__(self, overrides: Mapping[str, str] | None = None):
        overrides = dict(overrides or {})
        unknown = sorted(set(overrides) - set(DEFAULT_LABELS))
        if unknown:
            # A warning, not an error: a typo in a translation must never cost a patient
            # their consent document. Tests turn warnings into errors.
            warnings.warn(f"unknown PDF label keys ignored: {', '.join(unknown)}", stacklevel=4)  # the caller of render_consent_pdf / render_blank_form
        self._text = {**DEFAULT_LABELS, **{k: str(v) for k, v in overrides.items() if k in DEFAULT_LABELS}}

    def __call__(self, key: str, **values: object) -> str:
        text = self._text[key]
        if not values:
            return text
        try:
            return text.format_map(_KeepUnknown({k: str(v) for k, v in values.items()}))
        except (ValueError, IndexError):  # stray brace in a translation
            return text
