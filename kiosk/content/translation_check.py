"""Is a translation whole and faithful to the English? Checks with no Qt, for tests and for IT.

A translation is three files in `translations/<code>/`: `ui.toml`, `<procedure>.toml` and
`nurse.toml`, each the English file's keys with the language's words. `problems(code)` lists,
in plain words, everything that is off, against the English files:

- a key English has and the translation lacks, or a key English does not have;
- a `{placeholder}` that differs (a missing one would drop a name from a sentence);
- a number or range of the English text missing from the translation's text (200, 3-4, 1-4 ...):
  the leaflet's figures must reach every patient, in every language;
- a sentence left in English.

    from kiosk.content.translation_check import problems
    problems("es")  # [] when Spanish is complete
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from kiosk.content.interface_text import DEFAULT_PROCEDURE, DEFAULT_TRANSLATIONS_DIR

SOURCE = "en"
FILES = ("ui.toml", "nurse.toml")  # and the procedure's file
# Tables that say something about the file, not text a patient or nurse reads.
NOT_TEXT = {"language", "translation"}
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# A number, or a range written with a dash: "200", "3-4", "1.5", "15".
NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?:-\d+(?:[.,]\d+)?)?")
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212\uff0d"), "-")
# Little words that appear in almost every English sentence and in no other language's:
# two of them in a translated sentence means it was left in English.
ENGLISH_WORDS = frozenset(
    "the you your with this that are have please what when which they been would there is of "
    "and it be can not for or may more after before".split())


def flat(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """{dotted.key: text} of a translation file, skipping its [language] and [translation]."""
    out: dict[str, str] = {}
    for key, value in data.items():
        if not prefix and key in NOT_TEXT:
            continue
        if isinstance(value, dict):
            out.update(flat(value, f"{prefix}{key}."))
        elif isinstance(value, str):
            out[prefix + key] = value
        else:
            out[prefix + key] = repr(value)
    return out


def numbers(text: str) -> Counter[str]:
    """The numbers and dash ranges in `text`, any script's digits read as 0-9."""
    normal = unicodedata.normalize("NFKC", text).translate(DASHES)
    normal = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in normal)
    normal = re.sub(r"(\d)\s*-\s*(\d)", r"\1-\2", normal)  # "3 - 4" and "3-4" are one range
    return Counter(m.replace(",", ".") for m in NUMBER.findall(normal))


def looks_english(text: str) -> bool:
    words = set(re.findall(r"[a-z]+", text.lower()))
    return len(words & ENGLISH_WORDS) >= 2


def compare(english: dict[str, str], other: dict[str, str], where: str) -> list[str]:
    """Everything off in one file of a translation, against its English file."""
    found = []
    for key in sorted(set(english) - set(other)):
        found.append(f"{where}: {key} is missing")
    for key in sorted(set(other) - set(english)):
        found.append(f"{where}: {key} is not in the English file")
    for key in sorted(set(english) & set(other)):
        source, text = english[key], other[key]
        if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(text)):
            found.append(f"{where}: {key} has the placeholders {sorted(set(PLACEHOLDER.findall(text)))}, "
                         f"English has {sorted(set(PLACEHOLDER.findall(source)))}")
        missing = numbers(PLACEHOLDER.sub("", source)) - numbers(PLACEHOLDER.sub("", text))
        if missing:
            found.append(f"{where}: {key} lacks the number(s) {', '.join(sorted(missing))} of the English")
        words = re.findall(r"[^\W\d_]{2,}", PLACEHOLDER.sub("", source))  # "{marker}: {number}" has none
        if key.endswith("_format"):  # a date pattern such as "d MMMM yyyy", not words
            continue
        if looks_english(text) or (text == source and len(words) >= 2):
            found.append(f"{where}: {key} is still in English: {text[:60]!r}")
    return found


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def problems(code: str, translations_dir: Path | None = None,
             procedure: str = DEFAULT_PROCEDURE) -> list[str]:
    """Everything that is off in translation `code`, in plain words; [] when it is whole."""
    folder = Path(translations_dir or DEFAULT_TRANSLATIONS_DIR)
    found: list[str] = []
    for name in (*FILES, f"{procedure}.toml"):
        english_path, path = folder / SOURCE / name, folder / code / name
        if not path.is_file():
            found.append(f"{code}/{name} is missing")
            continue
        found += compare(flat(_read(english_path)), flat(_read(path)), f"{code}/{name}")
    return found


def status_line(code: str, translations_dir: Path | None = None,
                procedure: str = DEFAULT_PROCEDURE) -> dict[str, str]:
    """{file name: "draft" | "reviewed by X on D" | "source"} for the README's language table."""
    folder = Path(translations_dir or DEFAULT_TRANSLATIONS_DIR)
    out = {}
    for name in (*FILES, f"{procedure}.toml"):
        table = _read(folder / code / name).get("translation", {})
        status = table.get("status", "draft")
        if status == "reviewed":
            status = f"reviewed by {table.get('reviewed_by')} on {table.get('reviewed_on')}"
        out[name] = status
    return out
