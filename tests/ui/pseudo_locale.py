"""A pseudo-locale for the UI tests: every text of translations/en, bracketed and made longer.

`write_pseudo_translations(folder)` writes `folder/en/` (a copy of translations/en) and
`folder/qps/` (ui.toml, vertebroplasty.toml, nurse.toml) where each text is English wrapped as
"⟦...⟧", its vowels doubled and, if that is not yet about 30 % longer, "~~" padding inside the
brackets. {placeholders} and numbers are kept exactly; multi-line texts stay multi-line. A text
on screen without "⟦" was then written in code, not taken from the translations; a layout that
breaks under the longer words shows where a real translation (German, Polish...) would break it.

    folder = write_pseudo_translations(tmp_path / "translations")          # qps, left to right
    write_pseudo_translations(tmp_path / "translations", "qpr", rtl=True)  # right to left

`pseudo_rtl` is the same with direction "rtl". The TOML is written by a small writer here
(tomllib only reads) and read back to prove it is valid and holds what was meant.
"""

from __future__ import annotations

import math
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

ENGLISH = Path(__file__).resolve().parents[2] / "translations" / "en"
FILES = ("ui.toml", "vertebroplasty.toml", "nurse.toml")
OPEN, CLOSE = "⟦", "⟧"
PSEUDO_NAME = f"{OPEN}Pseudo{CLOSE}"
GROWTH = 0.30  # at least this much longer than the English (brackets not counted)

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_VOWEL = re.compile(r"[aeiouyAEIOUY]")


def pseudo_text(text: str) -> str:
    """"Start" -> "⟦Staart ~~⟧"; "Step {number} of {total}" -> "⟦Steep {number} oof {total} ~~⟧".

    Vowels outside {placeholders} are doubled, spread evenly, until the text is about 30 %
    longer; where there are too few vowels, " ~~" pads it. Digits, signs, line breaks and
    placeholders are kept as they are. An empty (or blank) text stays as it is: it means
    "show nothing" (e.g. name_hint)."""
    if not text.strip():
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    core = text.strip()
    need = math.ceil(GROWTH * len(core))
    spans = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(core)]
    inside = set()
    for start, end in spans:
        inside.update(range(start, end))
    vowels = [i for i, char in enumerate(core) if i not in inside and _VOWEL.match(char)]
    share = min(1.0, need / len(vowels)) if vowels else 0.0
    doubled, owed = set(), 0.0
    for i in vowels:
        owed += share
        if owed >= 1 - 1e-9:
            owed -= 1
            doubled.add(i)
    stretched = "".join(char * 2 if i in doubled else char for i, char in enumerate(core))
    while len(stretched) < len(core) + need:
        stretched += " ~~"
    return f"{lead}{OPEN}{stretched}{CLOSE}{trail}"


def _pseudo_tree(data: dict[str, Any], *, top: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if top and key in ("language", "translation"):
            continue  # written by write_pseudo_translations
        if isinstance(value, dict):
            out[key] = _pseudo_tree(value, top=False)
        elif isinstance(value, str):
            out[key] = pseudo_text(value)
        elif isinstance(value, list):
            out[key] = [pseudo_text(v) if isinstance(v, str) else v for v in value]
        else:
            out[key] = value
    return out


# ----------------------------------------------------------------------------- a TOML writer

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\f": "\\f", "\r": "\\r"}


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _escape(text: str, *, newline: str) -> str:
    out = []
    for char in text:
        if char == "\n":
            out.append(newline)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def _string(text: str) -> str:
    if "\n" in text:  # multi-line stays multi-line; the newline after the opening quotes is trimmed
        return '"""\n' + _escape(text, newline="\n") + '"""'
    return '"' + _escape(text, newline="\\n") + '"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def dumps(data: dict[str, Any]) -> str:
    """TOML for a dict of tables (nested dicts become [dotted.tables]); values str, int, bool, lists."""
    lines: list[str] = []

    def table(node: dict[str, Any], path: tuple[str, ...]) -> None:
        scalars = {k: v for k, v in node.items() if not isinstance(v, dict)}
        tables = {k: v for k, v in node.items() if isinstance(v, dict)}
        if path and (scalars or not tables):
            lines.append("")
            lines.append("[" + ".".join(_key(p) for p in path) + "]")
        for key, value in scalars.items():
            lines.append(f"{_key(key)} = {_value(value)}")
        for key, value in tables.items():
            table(value, (*path, key))

    table(data, ())
    return "\n".join(lines).lstrip("\n") + "\n"


# ----------------------------------------------------------------------------- the folder

def write_pseudo_translations(folder: Path, code: str = "qps", *, rtl: bool = False,
                              english: Path = ENGLISH) -> Path:
    """folder/en (English, copied) and folder/<code>/{ui,vertebroplasty,nurse}.toml; returns folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(english, folder / "en", dirs_exist_ok=True)
    target = folder / code
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        with (english / name).open("rb") as handle:
            source = tomllib.load(handle)
        pseudo: dict[str, Any] = {}
        if "language" in source:
            extra = {k: v for k, v in source["language"].items() if k not in ("code", "name", "direction")}
            pseudo["language"] = {"code": code, "name": PSEUDO_NAME, "direction": "rtl" if rtl else "ltr", **extra}
        pseudo["translation"] = {"status": "draft"}
        pseudo.update(_pseudo_tree(source))
        text = dumps(pseudo)
        written = tomllib.loads(text)  # valid TOML, and what was meant
        assert written == pseudo, f"{name}: the TOML writer changed a value"
        (target / name).write_text(text, encoding="utf-8")
    return folder


def pseudo_rtl(folder: Path, code: str = "qpr") -> Path:
    """The pseudo-locale written right to left."""
    return write_pseudo_translations(folder, code, rtl=True)


def is_pseudo(text: str) -> bool:
    return OPEN in text
