"""A procedure's content pack: structure from `assets/content/`, text from `translations/`.

The structure file (`assets/content/<procedure>.toml`) says which sections, pages, risks,
comprehension questions and consent statements exist, in which order, how they point at
each other, and what else is the procedure's own (its key pictures for the PDF, its
animations). Each language is a folder, `translations/<code>/`: `ui.toml` has the screens' and
the PDF's words for every procedure, `<procedure>.toml` the words for every id of that
procedure (and the few screen words that are its own), `nurse.toml` the nurse station's.
Adding a language or a procedure is adding files.
Everything is checked when the pack is loaded, so a broken pack fails at start-up (and in the
tests), never in front of a patient. No Qt here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

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
from kiosk.content.interface_text import (
    DEFAULT_PROCEDURE,
    DEFAULT_TRANSLATIONS_DIR,
    check_language_code,
    flat_table,
    installed_languages,
    merged_tables,
    procedure_path,
    ui_path,
    ui_text,
)
from kiosk.content.structure import (
    ID,
    SOURCE_LANGUAGE,
    ContentError,
    Structure,
    language_table,
    read_toml,
    translation_status,
    weakest_status,
)

_REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ASSETS_DIR = _REPO_ROOT / "assets"
FALLBACK_LANGUAGE = SOURCE_LANGUAGE


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
    _pictures_dir: Path = field(repr=False, compare=False, default=DEFAULT_ASSETS_DIR / "illustrations")
    _descriptions: Mapping[str, str] = field(repr=False, default_factory=lambda: MappingProxyType({}))  # [descriptions]
    sources: Mapping[str, Source] = field(default_factory=lambda: MappingProxyType({}))
    approval: Approval = Approval()
    translation: str = "draft"  # "source" (the English original), "reviewed" or "draft"
    translation_reviewed_by: str = ""
    translation_reviewed_on: str = ""  # YYYY-MM-DD
    language_name: str = ""  # the language's own name: "Español", "العربية"
    keyboard: str = "latin"  # the name keyboard's first layout ([language] keyboard; assets/keyboards.toml)
    key_pictures: tuple[str, ...] = ()  # the pictures the PDF shows again, small (structure key_pictures)
    journey: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType(
        {"questions": "at_end", "representative": True}))  # the structure's [journey]

    @functools.cached_property
    def sha256(self) -> str:
        """Hex SHA-256 of the procedure content only: what `kiosk.content.fingerprint` covers.

        Pages, "tell me more", risks, questions, statements, sources, pictures (SVG bytes,
        label places and words), title and disclaimer, as canonical JSON; never the [ui] or
        [pdf] chrome, nor the approval and review status. Worked out on first use: importing
        hashlib (OpenSSL) is not needed to paint Welcome.
        """
        from kiosk.content.fingerprint import content_sha256

        return content_sha256(self, self._pictures_dir)

    def statements_for(self, signer_role: str) -> tuple[Statement, ...]:
        """The statements `signer_role` confirms, in order: a patient never sees the
        representative-only ones. ValueError for a role that is neither."""
        if signer_role not in SIGNER_ROLES:
            raise ValueError(f"signer_role is {signer_role!r}, must be one of {SIGNER_ROLES}")
        return tuple(s for s in self.statements
                     if signer_role == "representative" or not s.representative_only)

    def label_text(self, illustration: str, label_id: str) -> str | None:
        """The words for a picture label, or None when this language and English lack them."""
        return self._labels.get(f"{illustration}.{label_id}")

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
        return ui_text(self._ui, self._ui_sources, key, fmt)

    def picture_label(self, illustration: str, label_id: str) -> str:
        """The words the kiosk draws on `illustration` for `label_id`, from [labels.<illustration>],
        English filling gaps; ContentError if neither has them."""
        text = self.label_text(illustration, label_id)
        if text is None:
            raise ContentError(f"{self._ui_sources}: no [labels.{illustration}] text for "
                               f"{label_id!r}")
        return text

    def description(self, illustration: str) -> str | None:
        """What `illustration` (or an animation) shows, in one short sentence a screen reader
        reads out, from the procedure file's [descriptions]; English fills gaps; None when
        neither has one.

        Example: `pack.description("needle_side")` is "A thin needle goes through a tiny cut
        in the skin into the broken bone." in English."""
        return self._descriptions.get(illustration)

    @property
    def pdf_labels(self) -> dict[str, str]:
        """The [pdf] labels in this language, English entries filling any gaps (a new dict)."""
        return dict(self._pdf)

    def patient_texts(self) -> list[str]:
        """Every sentence-bearing text a patient may read, in reading order, for readability checks.

        Titles, page bodies and "more" texts, risk names and summaries, question prompts,
        choices and explanations, consent statements in both the patient's and the
        representative's form, the disclaimer, all [ui] strings and the picture labels.
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
        for statement in self.statements:
            texts += [statement.text, statement.representative_text]
        texts.append(self.disclaimer)
        texts += list(self._ui.values())
        texts += list(self._labels.values())
        return texts


def available_languages(translations_dir: Path | None = None,
                        procedure: str = DEFAULT_PROCEDURE) -> list[tuple[str, str]]:
    """[(code, name in its own language)] for each `translations/<code>/` with the procedure's
    text, sorted by code. Only each ui.toml's [language] table is read; `load_pack` checks
    the rest. Raises ContentError for an unreadable file or a [language] table that does not
    match its folder.
    """
    return installed_languages(translations_dir, procedure)


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
    [pdf] do) and none for unknown ids; direction is "ltr" or "rtl"; topics come from the fixed
    lists; every `source` names a [sources] table; the [approval] block and the translation's
    review status are well formed. Every statement has a patient and a representative form.

    Example: `load_pack("en").page("fracture_what").title` is "A broken bone in your back".
    """
    check_language_code(language)
    if not ID.match(procedure):
        raise ContentError(f"{procedure!r} is not a procedure id such as 'vertebroplasty'")
    structure_path = Path(assets_dir or DEFAULT_ASSETS_DIR) / "content" / f"{procedure}.toml"
    folder = Path(translations_dir or DEFAULT_TRANSLATIONS_DIR)
    structure = Structure(read_toml(structure_path), structure_path, procedure)
    text = _Text.of(folder, language, procedure)
    code, own_name, direction = language_table(text.ui_data, text.ui_path)

    english = text
    if language != FALLBACK_LANGUAGE:
        english = _Text.of(folder, FALLBACK_LANGUAGE, procedure)
    text.check_known_ids(structure)

    sections, pages = _sections_and_pages(structure, text, english)
    risks = tuple(
        Risk(r["id"], text.get("risks", r["id"], "name"), text.get("risks", r["id"], "summary"),
             r["page"], r.get("source"))
        for r in structure.risks
    )
    questions = tuple(_question(q, text) for q in structure.questions)
    statements = tuple(_statement(s, text) for s in structure.statements)
    status, reviewed_by, reviewed_on = weakest_status(
        translation_status(text.ui_data, text.ui_path), translation_status(text.data, text.path))
    ui_sources = text.sources if english is text else f"{text.sources} (or {english.sources})"
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
        sources=MappingProxyType({k: Source(**v) for k, v in structure.sources.items()}),
        approval=Approval(**structure.approval),
        translation=status,
        translation_reviewed_by=reviewed_by,
        translation_reviewed_on=reviewed_on,
        keyboard=str((text.ui_data.get("language") or {}).get("keyboard") or "latin"),
        language_name=own_name,
        key_pictures=structure.key_pictures,
        journey=MappingProxyType(dict(structure.journey)),
        _pictures_dir=Path(assets_dir or DEFAULT_ASSETS_DIR) / "illustrations",
        _ui=MappingProxyType({**english.merged("ui"), **text.merged("ui")}),
        _pdf=MappingProxyType({**english.merged("pdf"), **text.merged("pdf")}),
        _labels=MappingProxyType({**english.flat("labels"), **text.flat("labels")}),
        _descriptions=MappingProxyType({**english.flat("descriptions"), **text.flat("descriptions")}),
        _ui_sources=ui_sources,
    )


# --------------------------------------------------------------------------- the text


class _Text:
    """One language's text for one procedure, with lookups that name the file and key when
    text is missing: the procedure's file (`data`, `path`) and the language's ui.toml."""

    def __init__(self, data: dict[str, Any], path: Path, ui_data: dict[str, Any], ui_file: Path):
        self.data = data
        self.path = path
        self.ui_data = ui_data
        self.ui_path = ui_file
        self.sources = f"{ui_file} and {path.name}"

    @classmethod
    def of(cls, folder: Path, language: str, procedure: str) -> "_Text":
        path, ui_file = procedure_path(folder, language, procedure), ui_path(folder, language)
        return cls(read_toml(path), path, read_toml(ui_file), ui_file)

    def merged(self, kind: str) -> dict[str, str]:
        """[ui] or [pdf]: ui.toml's, with the procedure's own words added."""
        return merged_tables(self.ui_data, self.data, kind, self.ui_path, self.path)

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
        """The procedure file's [labels] (or another) table as {dotted.key: text}."""
        return flat_table(self.data, kind, self.path)


def _sections_and_pages(
    structure: Structure, text: _Text, english: _Text
) -> tuple[tuple[Section, ...], tuple[Page, ...]]:
    illustrations = {page["id"]: page["illustration"] for page in structure.pages}
    animations = {page["id"]: page.get("animation") for page in structure.pages}
    sources = {page["id"]: page.get("source") for page in structure.pages}
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
                source=sources[page_id],
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
        topics=tuple(question.get("topics", [])),
        situation=question.get("situation", False),
        source=question.get("source"),
    )


def _statement(statement: dict[str, Any], text: _Text) -> Statement:
    """A statement in both voices; one only a representative sees needs only theirs."""
    sid = statement["id"]
    representative = text.get("statements", sid, "representative")
    only = statement.get("representative_only", False)
    return Statement(
        id=sid,
        text=text.get("statements", sid, "text", optional=only) or representative,
        representative_text=representative,
        topics=tuple(statement.get("topics", [])),
        representative_only=only,
        source=statement.get("source"),
    )
