"""The nurse station's words, from translations/<language>/nurse.toml. No Qt here.

English (``en/nurse.toml``) is complete and is the fallback: a translation may leave keys out, and
a key it adds that English does not have is ignored (a typo must never hide a message).
Placeholders in braces are filled by ``texts("message.print_sent", printer="Ward 3")``; a
placeholder a translation got wrong stays visible as ``{name}`` instead of raising.

    texts = load_texts("en")
    texts("outcome.consented")  # "Consented"
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"
NURSE_FILE = "nurse.toml"  # translations/<code>/nurse.toml
FALLBACK = "en"


class _KeepUnknown(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class NurseTexts:
    """The nurse station's texts in one language; ``texts("table.key", **values)``."""

    language: str
    table: Mapping[str, str]  # "outcome.consented" -> "Consented"

    def __call__(self, key: str, **values: object) -> str:
        text = self.table[key]  # a missing key is a programming error: en/nurse.toml is complete
        if not values:
            return text
        try:
            return text.format_map(_KeepUnknown({k: str(v) for k, v in values.items()}))
        except (ValueError, IndexError):  # a stray brace in a translation
            return text

    def has(self, key: str) -> bool:
        return key in self.table

    def count(self, key: str, n: int) -> str:
        """``count("queue.count", 3)``: the ``<key>_one`` text for 1, else ``<key>_many`` with
        {count} filled ("1 consent", "3 consents")."""
        return self(f"{key}_one") if n == 1 else self(f"{key}_many", count=n)


def _flatten(data: dict, path: Path) -> dict[str, str]:
    flat = {}
    for table, entries in data.items():
        if table == "translation":  # the file's review status, not a text the station shows
            continue
        if not isinstance(entries, dict):
            raise ValueError(f"{path}: {table!r} must be a table of texts")
        for key, value in entries.items():
            if not isinstance(value, str):
                raise ValueError(f"{path}: {table}.{key} must be text in quotes")
            flat[f"{table}.{key}"] = value
    return flat


def _read(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        return _flatten(tomllib.load(handle), path)


@cache
def load_texts(language: str = FALLBACK, folder: Path | None = None) -> NurseTexts:
    """The texts for ``language`` (``folder/<language>/nurse.toml``, folder the translations)
    over English; English alone when it has none.

    Raises ValueError (naming the file) for a file that is not TOML tables of text."""
    folder = Path(folder or TRANSLATIONS_DIR)
    english = _read(folder / FALLBACK / NURSE_FILE)
    own = folder / language / NURSE_FILE
    if language != FALLBACK and own.exists():
        english.update({k: v for k, v in _read(own).items() if k in english})
    return NurseTexts(language=language, table=MappingProxyType(english))
