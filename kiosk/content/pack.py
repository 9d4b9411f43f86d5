"""A procedure's content pack: structure from `assets/content/`, text from `translations/`.

The structure file (`assets/content/<procedure>.toml`) says which sections, pages, risks,
comprehension questions and consent statements exist, in which order, and how they point at
each other. Each translation (`translations/<code>.toml`) gives the words for every id in it.
Everything is checked when the pack is loaded, so a broken pack fails at start-up (and in the
tests), never in front of a patient. No Qt here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from kiosk.content.structure import (
    ID,
    ContentError,
    Structure,
    language_table,
    parse_toml,
    read_bytes,
    read_toml,
)

_REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ASSETS_DIR = _REPO_ROOT / "assets"
DEFAULT_TRANSLATIONS_DIR = _REPO_ROOT / "translations"
DEFAULT_PROCEDURE = "vertebroplasty"
FALLBACK_LANGUAGE = "en"
_LANGUAGE_CODE = re.compile(r"[A-Za-z0-9_-]+\Z")  # a file name in translations/, never a path


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    page_ids: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    """One education screen. `more` is the optional "tell me more" text."""

    id: str
    section_id: str
    title: str
    body: str
    more: str | None
    illustration: str
    animation: str | None = None  # e.g. "cement_injection": shown in place of the still picture


@dataclass(frozen=True)
class Risk:
    """A risk the patient is told about; `page_id` is the page that explains it."""

    id: str
    name: str
    summary: str
    page_id: str


@dataclass(frozen=True)
class Choice:
    id: str
    text: str


@dataclass(frozen=True)
class Question:
    """A multiple-choice comprehension question; a wrong answer leads back to `explained_by`."""

    id: str
    prompt: str
    choices: tuple[Choice, ...]
    correct: str
    explanation: str
    explained_by: str
    risk_ids: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    """One consent statement, confirmed by the patient before signing."""

    id: str
    text: str


@dataclass(frozen=True, eq=False)
class ContentPack:
    """Everything a patient is shown about one procedure, in one language. Immutable."""

    id: str
    version: str
    language: str
    direction: str
    title: str
    procedure: str
    disclaimer: str
    sections: tuple[Section, ...]
    pages: tuple[Page, ...]
    risks: tuple[Risk, ...]
    questions: tuple[Question, ...]
    statements: tuple[Statement, ...]
    _ui: Mapping[str, str] = field(repr=False)
    _pdf: Mapping[str, str] = field(repr=False)
    _labels: Mapping[str, str] = field(repr=False)  # "picture.label" -> text
    _ui_sources: str = field(repr=False)  # for error messages: which files [ui] came from
    _hashed: bytes = field(repr=False, compare=False, default=b"")  # structure + b"\0" + text

    @functools.cached_property
    def sha256(self) -> str:
        """Hex SHA-256 of the structure file's bytes, a NUL byte, and the translation's bytes.

        Worked out on first use: importing hashlib (OpenSSL) is not needed to paint Welcome.
        """
        import hashlib

        return hashlib.sha256(self._hashed).hexdigest()

    def page(self, page_id: str) -> Page:
        """The page with this id; KeyError if there is none."""
        for page in self.pages:
            if page.id == page_id:
                return page
        raise KeyError(f"no page {page_id!r} in content pack {self.id!r}")

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError if there is none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"no question {question_id!r} in content pack {self.id!r}")

    def ui(self, key: str, **fmt: Any) -> str:
        """The [ui] text for `key` in this language, formatted with `str.format(**fmt)`.

        A key missing in this language falls back to English. Raises ContentError when the key
        is in neither, or when `fmt` lacks a field the text needs.
        Nested TOML tables are reached with dotted keys: `[ui.buttons] next = "Next"` is
        `pack.ui("buttons.next")`.

        Example: with `page_count = "Page {number} of {total}"` in [ui],
        `pack.ui("page_count", number=2, total=16)` is "Page 2 of 16".
        """
        try:
            text = self._ui[key]
        except KeyError:
            raise ContentError(f"{self._ui_sources}: no [ui] text for {key!r}") from None
        try:
            return text.format(**fmt)
        except (KeyError, IndexError) as missing:
            raise ContentError(
                f"{self._ui_sources}: [ui] {key!r} needs the field {missing} to be given"
            ) from None

    def picture_label(self, illustration: str, label_id: str) -> str:
        """The words the kiosk draws on `illustration` for `label_id`, from [labels.<illustration>],
        English filling gaps; ContentError if neither has them."""
        try:
            return self._labels[f"{illustration}.{label_id}"]
        except KeyError:
            raise ContentError(f"{self._ui_sources}: no [labels.{illustration}] text for "
                               f"{label_id!r}") from None

    @property
    def pdf_labels(self) -> dict[str, str]:
        """The [pdf] labels in this language, English entries filling any gaps (a new dict)."""
        return dict(self._pdf)

    def patient_texts(self) -> list[str]:
        """Every sentence-bearing text a patient may read, in reading order, for readability checks.

        Titles, page bodies and "more" texts, risk names and summaries, question prompts,
        choices and explanations, consent statements, the disclaimer and all [ui] strings.
        """
        texts = [self.title]
        for section in self.sections:
            texts.append(section.title)
            for page_id in section.page_ids:
                page = self.page(page_id)
                texts += [page.title, page.body] + ([page.more] if page.more else [])
        for risk in self.risks:
            texts += [risk.name, risk.summary]
        for question in self.questions:
            texts += [question.prompt, *(c.text for c in question.choices), question.explanation]
        texts += [statement.text for statement in self.statements]
        texts.append(self.disclaimer)
        texts += list(self._ui.values())
        texts += list(self._labels.values())
        return texts


def available_languages(translations_dir: Path | None = None) -> list[tuple[str, str]]:
    """[(code, name in its own language)] for each `translations/*.toml`, sorted by code.

    Only each file's [language] table is read; `load_pack` checks the rest.
    Raises ContentError for an unreadable file or a [language] table that does not match it.
    """
    folder = Path(translations_dir or DEFAULT_TRANSLATIONS_DIR)
    languages = []
    for path in sorted(folder.glob("*.toml")):
        code, name, _direction = language_table(read_toml(path), path)
        languages.append((code, name))
    return sorted(languages)


def load_pack(
    language: str,
    *,
    assets_dir: Path | None = None,
    translations_dir: Path | None = None,
    procedure: str = DEFAULT_PROCEDURE,
) -> ContentPack:
    """Load `procedure`'s content in `language` and check it all; ContentError if anything is off.

    Checks: ids are lowercase_with_underscores and unique; every section page exists and every
    page is in exactly one section; each question's `correct` is one of its choices; every
    `explained_by` and risk `page` names a page; every risk is checked by a question; the
    translation has text for every id (content never falls back to English, only [ui] and
    [pdf] do) and none for unknown ids; direction is "ltr" or "rtl".

    Example: `load_pack("en").page("fracture_what").title` is "A broken bone in your back".
    """
    if not _LANGUAGE_CODE.match(language):
        raise ContentError(f"{language!r} is not a language code such as 'en' or 'pt_br'")
    if not ID.match(procedure):
        raise ContentError(f"{procedure!r} is not a procedure id such as 'vertebroplasty'")
    structure_path = Path(assets_dir or DEFAULT_ASSETS_DIR) / "content" / f"{procedure}.toml"
    folder = Path(translations_dir or DEFAULT_TRANSLATIONS_DIR)
    text_path = folder / f"{language}.toml"
    structure_bytes = read_bytes(structure_path)
    text_bytes = read_bytes(text_path)
    structure = Structure(parse_toml(structure_bytes, structure_path), structure_path, procedure)
    text = _Text(parse_toml(text_bytes, text_path), text_path)
    code, _name, direction = language_table(text.data, text_path)

    english = text
    if language != FALLBACK_LANGUAGE:
        english_path = folder / f"{FALLBACK_LANGUAGE}.toml"
        english = _Text(read_toml(english_path), english_path)
    text.check_known_ids(structure)

    sections, pages = _sections_and_pages(structure, text, english)
    risks = tuple(
        Risk(r["id"], text.get("risks", r["id"], "name"), text.get("risks", r["id"], "summary"),
             r["page"])
        for r in structure.risks
    )
    questions = tuple(_question(q, text) for q in structure.questions)
    statements = tuple(
        Statement(s["id"], text.get("statements", s["id"], "text")) for s in structure.statements
    )
    ui_sources = str(text_path) if english is text else f"{text_path} (or {english.path})"
    return ContentPack(
        id=structure.id,
        version=structure.version,
        language=code,
        direction=direction,
        title=text.get("meta", "title"),
        procedure=text.get("meta", "procedure"),
        disclaimer=text.get("meta", "disclaimer"),
        sections=sections,
        pages=pages,
        risks=risks,
        questions=questions,
        statements=statements,
        _hashed=structure_bytes + b"\0" + text_bytes,
        _ui=MappingProxyType({**english.flat("ui"), **text.flat("ui")}),
        _pdf=MappingProxyType({**english.flat("pdf"), **text.flat("pdf")}),
        _labels=MappingProxyType({**english.flat("labels"), **text.flat("labels")}),
        _ui_sources=ui_sources,
    )


# --------------------------------------------------------------------------- the text


class _Text:
    """One translation file, with lookups that name the file and key when text is missing."""

    def __init__(self, data: dict[str, Any], path: Path):
        self.data = data
        self.path = path

    def table(self, *names: str) -> dict[str, Any]:
        """The table at [names...], or {} when absent."""
        table: Any = self.data
        for name in names:
            table = table.get(name, {})
            if not isinstance(table, dict):
                raise ContentError(f"{self.path}: [{'.'.join(names)}] must be a table")
        return table

    def get(self, *names: str, optional: bool = False) -> str:
        """The text at [names[:-1]] key names[-1], stripped; ContentError if missing or blank."""
        *where, key = names
        value = self.table(*where).get(key)
        if value is None and optional:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise ContentError(f"{self.path}: [{'.'.join(where)}] needs text for '{key}'")
        return value.strip()

    def check_known_ids(self, structure: Structure) -> None:
        """Text for an id the structure does not have is almost always a typo: refuse it."""
        for kind in Structure.KINDS:
            for entry_id in self.table(kind):
                if entry_id not in structure.ids[kind]:
                    raise ContentError(f"{self.path}: [{kind}.{entry_id}] names no {kind[:-1]} "
                                       f"in {structure.path}")

    def flat(self, kind: str) -> dict[str, str]:
        """The [ui] or [pdf] table as {dotted.key: text}."""
        flat: dict[str, str] = {}

        def walk(table: dict[str, Any], prefix: str) -> None:
            for key, value in table.items():
                if isinstance(value, dict):
                    walk(value, f"{prefix}{key}.")
                elif isinstance(value, str):
                    flat[prefix + key] = value
                else:
                    raise ContentError(f"{self.path}: [{kind}] {prefix}{key} must be text")

        walk(self.table(kind), "")
        return flat


def _sections_and_pages(
    structure: Structure, text: _Text, english: _Text
) -> tuple[tuple[Section, ...], tuple[Page, ...]]:
    illustrations = {page["id"]: page["illustration"] for page in structure.pages}
    animations = {page["id"]: page.get("animation") for page in structure.pages}
    sections, pages = [], []
    for section in structure.sections:
        sections.append(Section(section["id"], text.get("sections", section["id"], "title"),
                                tuple(section["pages"])))
        for page_id in section["pages"]:
            more = text.get("pages", page_id, "more", optional=True)
            if not more and english.get("pages", page_id, "more", optional=True):
                raise ContentError(f"{text.path}: [pages.{page_id}] needs text for 'more' "
                                   f"(the English page has it)")
            pages.append(Page(
                id=page_id,
                section_id=section["id"],
                title=text.get("pages", page_id, "title"),
                body=text.get("pages", page_id, "body"),
                more=more or None,
                illustration=illustrations[page_id],
                animation=animations[page_id],
            ))
    return tuple(sections), tuple(pages)


def _question(question: dict[str, Any], text: _Text) -> Question:
    qid = question["id"]
    for choice_id in text.table("questions", qid, "choices"):
        if choice_id not in question["choices"]:
            raise ContentError(f"{text.path}: [questions.{qid}.choices] has text for "
                               f"{choice_id!r}, which is not one of the question's choices")
    return Question(
        id=qid,
        prompt=text.get("questions", qid, "prompt"),
        choices=tuple(
            Choice(choice_id, text.get("questions", qid, "choices", choice_id))
            for choice_id in question["choices"]
        ),
        correct=question["correct"],
        explanation=text.get("questions", qid, "explanation"),
        explained_by=question["explained_by"],
        risk_ids=tuple(question.get("risks", [])),
    )
