"""A language's screen texts ([ui]) and the installed languages, read without the content pack. No Qt.

The Welcome screen shows only a few [ui] texts (title, Start, Call a nurse) and each installed
language's own name. Building the whole pack (its pages, questions and statements as frozen
dataclasses) took about a tenth of the kiosk's start-up (bench/bench_startup.py), so the kiosk
paints Welcome from this and loads the pack just after (`kiosk.content.load_pack`, which checks
everything). The same files are read, through the same parse cache, with the same messages.

    text = load_interface_text("en")  # translations/en/ui.toml, with vertebroplasty.toml's [ui]
    text.ui("welcome_start"), text.direction
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

from kiosk.content.structure import SOURCE_LANGUAGE, ContentError, language_table, read_toml

DEFAULT_TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"
LANGUAGE_CODE = re.compile(r"[A-Za-z0-9_-]+\Z")  # a file name in translations/, never a path


class InterfaceText:
    """The [ui] texts of one language, English filling gaps, as `ContentPack.ui` gives them."""

    __slots__ = ("language", "direction", "_ui", "_ui_sources")

    def __init__(self, language: str, direction: str, ui: Mapping[str, str], ui_sources: str):
        self.language = language
        self.direction = direction
        self._ui = ui
        self._ui_sources = ui_sources

    def ui(self, key: str, **fmt: Any) -> str:
        """The text for `key`, formatted; ContentError as `ContentPack.ui` raises it."""
        return ui_text(self._ui, self._ui_sources, key, fmt)


def ui_text(table: Mapping[str, str], sources: str, key: str, fmt: dict[str, Any]) -> str:
    """`table[key].format(**fmt)`; ContentError naming `sources` when the key or a field is missing."""
    try:
        text = table[key]
    except KeyError:
        raise ContentError(f"{sources}: no [ui] text for {key!r}") from None
    try:
        return text.format(**fmt)
    except (KeyError, IndexError) as missing:
        raise ContentError(f"{sources}: [ui] {key!r} needs the field {missing} to be given") from None


def flat_table(data: dict[str, Any], kind: str, path: Path) -> dict[str, str]:
    """A translation's [ui], [pdf] or [labels] table as {dotted.key: text}; {} when absent."""
    top = data.get(kind, {})
    if not isinstance(top, dict):
        raise ContentError(f"{path}: [{kind}] must be a table")
    flat: dict[str, str] = {}

    def walk(table: dict[str, Any], prefix: str) -> None:
        for key, value in table.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            elif isinstance(value, str):
                flat[prefix + key] = value
            else:
                raise ContentError(f"{path}: [{kind}] {prefix}{key} must be text")

    walk(top, "")
    return flat


def check_language_code(language: str) -> None:
    if not LANGUAGE_CODE.match(language):
        raise ContentError(f"{language!r} is not a language code such as 'en' or 'pt_br'")


DEFAULT_PROCEDURE = "vertebroplasty"
UI_FILE = "ui.toml"  # translations/<code>/ui.toml: the screens' and the PDF's own words


def ui_path(folder: Path, language: str) -> Path:
    return folder / language / UI_FILE


def procedure_path(folder: Path, language: str, procedure: str) -> Path:
    return folder / language / f"{procedure}.toml"


def merged_tables(first: dict[str, Any], second: dict[str, Any], kind: str,
                  first_path: Path, second_path: Path) -> dict[str, str]:
    """`kind` ([ui] or [pdf]) of ui.toml and of the procedure's file as one flat table.

    The procedure's file adds its own words (the Welcome title, the animation's captions); a
    key in both is a mistake that would make one of them silently win, so it is refused."""
    a, b = flat_table(first, kind, first_path), flat_table(second, kind, second_path)
    both = sorted(set(a) & set(b))
    if both:
        raise ContentError(f"{second_path}: [{kind}] {', '.join(both)} is already in {first_path}")
    return {**a, **b}


def load_interface_text(language: str, *, translations_dir: Path | None = None,
                        procedure: str = DEFAULT_PROCEDURE) -> InterfaceText:
    """The [ui] texts of `language` (`translations/<language>/ui.toml` and the procedure's own
    [ui] in `translations/<language>/<procedure>.toml`), English filling gaps.

    Checks what it reads (the [language] table, that [ui] holds only text) and raises
    ContentError as `load_pack` would; `load_pack` checks all the rest."""
    check_language_code(language)
    folder = Path(translations_dir or DEFAULT_TRANSLATIONS_DIR)

    def table(code: str) -> tuple[dict[str, Any], dict[str, str], str]:
        path, pack_path = ui_path(folder, code), procedure_path(folder, code, procedure)
        data = read_toml(path)
        return data, merged_tables(data, read_toml(pack_path), "ui", path, pack_path), f"{path} and {pack_path.name}"

    data, own, sources = table(language)
    code, _name, direction = language_table(data, ui_path(folder, language))
    english: dict[str, str] = {}
    if language != SOURCE_LANGUAGE:
        _data, english, english_sources = table(SOURCE_LANGUAGE)
        sources = f"{sources} (or {english_sources})"
    return InterfaceText(code, direction, {**english, **own}, sources)


def installed_languages(translations_dir: Path | None = None,
                        procedure: str = DEFAULT_PROCEDURE) -> list[tuple[str, str]]:
    """[(code, name in its own language)] for each `translations/<code>/` that has both its
    ui.toml and the procedure's file, sorted by code.

    Only each ui.toml's [language] table is read; `load_pack` checks the rest.
    Raises ContentError for an unreadable file or a [language] table that does not match it.
    """
    from kiosk import toml_cache

    folder = Path(translations_dir or DEFAULT_TRANSLATIONS_DIR)
    found = []
    for path in sorted(folder.glob(f"*/{UI_FILE}")):
        pack = procedure_path(folder, path.parent.name, procedure)
        if pack.is_file():
            stat = path.stat()
            found.append((path, (str(path), stat.st_size, stat.st_mtime_ns)))

    def read() -> list[tuple[str, str]]:
        languages = []
        for path, _key in found:
            code, name, _direction = language_table(read_toml(path), path)
            languages.append((code, name))
        return sorted(languages)

    # Eleven ui.toml files read for their names alone took 2 ms of the Welcome screen's start:
    # the names are kept, in the data folder's cache, until a file changes.
    key = [k for _path, k in found]
    return [tuple(pair) for pair in toml_cache.remembered(f"languages.{procedure}", key, read)]


def offered_languages(installed: list[tuple[str, str]], settings) -> list[tuple[str, str]]:
    """The languages Welcome offers: the `languages` setting's, in its order, or else every
    installed one with the default language first and the rest by code."""
    names = dict(installed)
    if settings.languages:
        return [(code, names[code]) for code in settings.languages if code in names]
    first = [(code, name) for code, name in installed if code == settings.default_language]
    return first + [(code, name) for code, name in installed if code != settings.default_language]
