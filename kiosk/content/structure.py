"""The structure file of a content pack (`assets/content/<procedure>.toml`), read and checked.

It says which sections, pages, risks, questions and consent statements exist, in which order,
and how they point at each other. Text comes later, from a translation (`pack.py`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from kiosk import toml_cache

ID = re.compile(r"[a-z][a-z0-9_]*\Z")
DIRECTIONS = ("ltr", "rtl")
ANIMATIONS = ("cement_injection",)  # the animations the kiosk can play
# [journey] of a structure file: key -> (default, allowed values). "questions": all at the end
# of the reading, or each after the section with the page that explains it; "representative":
# whether someone (family, a guardian) may sign for the patient.
JOURNEY = {"questions": ("at_end", ("at_end", "after_each_section")),
           "representative": (True, (True, False))}
SOURCE_LANGUAGE = "en"  # the content is written in English; other languages translate it
TRANSLATIONS = ("source", "reviewed", "draft")  # how far a translation has been checked
DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

# What the comprehension questions check, and what the consent statements confirm. Each
# question and statement names its topics from these lists (the tests check that the shipped
# pack covers every one).
QUESTION_TOPICS = (
    "what_it_does", "what_it_does_not_treat", "benefit", "may_not_help", "risk_size",
    "cement_leak", "nearby_injury_infection", "after_care", "new_pain", "other_choices",
    "right_to_say_no",
)
STATEMENT_TOPICS = (
    "understood_procedure", "benefits", "risks_and_size", "other_choices", "no_guarantee",
    "can_ask_questions", "may_withdraw", "care_continues", "entitled_to_decide",
)
SOURCE_FIELDS = ("title", "publisher", "year", "url")
APPROVAL_FIELDS = ("approved_by", "role", "date")


class ContentError(ValueError):
    """The content pack is missing, unreadable or inconsistent; the message names file and key."""


# --------------------------------------------------------------------------- reading files


def read_bytes(path: Path) -> bytes:
    """The file's bytes; ContentError naming the file if it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise ContentError(f"{path}: cannot read content file ({error.strerror})") from None


def parse_toml(raw: bytes, path: Path) -> dict[str, Any]:
    """`raw` parsed as UTF-8 TOML; ContentError naming `path` if it is not.

    The same bytes are parsed once per process (the Welcome screen reads the same translation
    for its language list and its text); callers only read the result, never change it.
    """
    try:
        return _parse_cached(raw, f"{path.parent.name}.{path.name}")  # en/ui.toml and es/ui.toml are two entries
    except (UnicodeDecodeError, toml_cache.decode_error()) as error:
        raise ContentError(f"{path}: not valid UTF-8 TOML: {error}") from None


@functools.lru_cache(maxsize=128)
def _parse_cached(raw: bytes, name: str) -> dict[str, Any]:
    return toml_cache.loads(raw.decode("utf-8"), name)  # and across starts, in the kiosk's data folder


def read_toml(path: Path) -> dict[str, Any]:
    return parse_toml(read_bytes(path), path)


def language_table(data: dict[str, Any], path: Path) -> tuple[str, str, str]:
    """(code, own name, direction) from a translation's [language] table, checked."""
    table = data.get("language")
    if not isinstance(table, dict):
        raise ContentError(f"{path}: missing [language] table")
    code, name, direction = (table.get(k) for k in ("code", "name", "direction"))
    if code != path.parent.name:  # translations/<code>/ui.toml
        raise ContentError(f"{path}: [language] code is {code!r}, must be {path.parent.name!r} "
                           "(the folder's name)")
    if not isinstance(name, str) or not name.strip():
        raise ContentError(f"{path}: [language] name must be the language's own name")
    if direction not in DIRECTIONS:
        raise ContentError(f"{path}: [language] direction is {direction!r}, must be 'ltr' or 'rtl'")
    return code, name.strip(), direction


def translation_status(data: dict[str, Any], path: Path) -> tuple[str, str, str]:
    """(status, reviewed_by, reviewed_on) from a translation file's [translation] table, checked.

    Each file of a language (ui.toml, <procedure>.toml, nurse.toml) says how far it has been
    checked: `status = "source"` is the original text (English only); "reviewed" names the
    qualified medical translator who checked it and when (YYYY-MM-DD); anything not said is a
    "draft", never shown as reviewed.
    """
    table = data.get("translation") or {}
    if not isinstance(table, dict):
        raise ContentError(f"{path}: [translation] must be a table")
    status = table.get("status", "draft")
    by, on = table.get("reviewed_by", ""), table.get("reviewed_on", "")
    if status not in TRANSLATIONS:
        raise ContentError(f"{path}: [translation] status is {status!r}, must be one of "
                           f"{', '.join(TRANSLATIONS)}")
    if not isinstance(by, str) or not isinstance(on, str):
        raise ContentError(f"{path}: [translation] reviewed_by and reviewed_on must be text")
    if status == "source" and path.parent.name != SOURCE_LANGUAGE:
        raise ContentError(f"{path}: [translation] status 'source' is the English original; "
                           "a translation is 'draft' or 'reviewed'")
    if status == "reviewed" and not (by.strip() and DATE.match(on.strip())):
        raise ContentError(f"{path}: [translation] a 'reviewed' translation needs reviewed_by "
                           "(who) and reviewed_on (YYYY-MM-DD)")
    if status != "reviewed" and (by.strip() or on.strip()):
        raise ContentError(f"{path}: [translation] reviewed_by/reviewed_on are only for a "
                           "'reviewed' translation")
    return status, by.strip(), on.strip()


def weakest_status(*statuses: tuple[str, str, str]) -> tuple[str, str, str]:
    """A language's status is its least checked file's: a pack is "reviewed" only when every
    file is (the first reviewer then named), and "source" only for the English original."""
    for rank in ("draft", "reviewed", "source"):
        for status in statuses:
            if status[0] == rank:
                return status
    return ("draft", "", "")


# --------------------------------------------------------------------------- the structure


class Structure:
    """The structure file, read and checked; its entries stay plain dicts."""

    KINDS = ("sections", "pages", "risks", "questions", "statements")
    sections: list[dict[str, Any]]
    pages: list[dict[str, Any]]
    risks: list[dict[str, Any]]
    questions: list[dict[str, Any]]
    statements: list[dict[str, Any]]

    def __init__(self, data: dict[str, Any], path: Path, procedure: str):
        self.path = path
        self.id = data.get("id")
        self.version = data.get("version")
        if self.id != procedure:
            raise ContentError(f"{path}: id is {self.id!r}, must be {procedure!r}")
        if not isinstance(self.version, str) or not self.version:
            raise ContentError(f"{path}: version must be a string such as '1.0.0'")
        for kind in self.KINDS:
            entries = data.get(kind, [])
            if not entries or not all(isinstance(e, dict) for e in entries):
                raise ContentError(f"{path}: needs at least one [[{kind}]] table")
            self._check_ids(kind, entries)
            setattr(self, kind, entries)
        self.ids = {kind: [e["id"] for e in getattr(self, kind)] for kind in self.KINDS}
        # A procedure names its own topics (what a question or statement is about); vertebroplasty's
        # are the built-in lists.
        self.question_topics = self._read_topics(data, "question_topics", QUESTION_TOPICS)
        self.statement_topics = self._read_topics(data, "statement_topics", STATEMENT_TOPICS)
        self.sources = self._read_sources(data.get("sources", {}))
        self.approval = self._read_approval(data.get("approval", {}))
        self._check_links()
        self._check_tags()
        self.key_pictures = self._read_key_pictures(data.get("key_pictures", []))
        self.journey = self._read_journey(data.get("journey", {}))

    def _read_topics(self, data: dict[str, Any], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        topics = data.get(key, list(default))
        if not isinstance(topics, list) or not all(isinstance(t, str) and ID.match(t) for t in topics):
            raise ContentError(f"{self.path}: {key} must be a list of lowercase ids")
        return tuple(topics)

    def _read_key_pictures(self, names: Any) -> tuple[str, ...]:
        """key_pictures: the pictures the consent PDF shows again, small, when they were shown."""
        shown = {page["illustration"] for page in self.pages}
        if not isinstance(names, list) or not all(isinstance(n, str) and n in shown for n in names):
            raise ContentError(f"{self.path}: key_pictures must be a list of pictures its pages show "
                               f"({', '.join(sorted(shown))}), not {names!r}")
        return tuple(names)

    def _read_journey(self, table: Any) -> dict[str, Any]:
        """[journey]: where the questions go and whether someone may sign for the patient."""
        if not isinstance(table, dict) or set(table) - set(JOURNEY):
            raise ContentError(f"{self.path}: [journey] has only {', '.join(JOURNEY)}")
        journey = {key: table.get(key, default) for key, (default, _allowed) in JOURNEY.items()}
        for key, (_default, allowed) in JOURNEY.items():
            if journey[key] not in allowed:
                raise ContentError(f"{self.path}: [journey] {key} is {journey[key]!r}, must be one of "
                                   f"{', '.join(map(repr, allowed))}")
        return journey

    def _read_sources(self, table: Any) -> dict[str, dict[str, str]]:
        """[sources.<id>]: where content that is not from the leaflet comes from."""
        if not isinstance(table, dict):
            raise ContentError(f"{self.path}: [sources] must be a table of [sources.<id>] tables")
        sources = {}
        for source_id, entry in table.items():
            if not ID.match(source_id) or not isinstance(entry, dict):
                raise ContentError(f"{self.path}: [sources.{source_id}] must be a table with a "
                                   "lowercase id")
            values = {k: entry.get(k) for k in SOURCE_FIELDS}
            if isinstance(values["year"], int):
                values["year"] = str(values["year"])
            missing = [k for k, v in values.items() if not isinstance(v, str) or not v.strip()]
            if missing or set(entry) - set(SOURCE_FIELDS):
                raise ContentError(f"{self.path}: [sources.{source_id}] needs exactly "
                                   f"{', '.join(SOURCE_FIELDS)} (missing: {', '.join(missing)})")
            sources[source_id] = {k: v.strip() for k, v in values.items()}
        return sources

    def _read_approval(self, table: Any) -> dict[str, str]:
        """[approval]: who signed the content off for clinical use; empty until someone has."""
        if not isinstance(table, dict) or set(table) - set(APPROVAL_FIELDS) or not all(
                isinstance(table.get(k, ""), str) for k in APPROVAL_FIELDS):
            raise ContentError(f"{self.path}: [approval] has text for {', '.join(APPROVAL_FIELDS)} "
                               "only (each may be empty)")
        approval = {k: table.get(k, "").strip() for k in APPROVAL_FIELDS}
        if approval["date"] and not DATE.match(approval["date"]):
            raise ContentError(f"{self.path}: [approval] date must be YYYY-MM-DD")
        return approval

    def _check_tags(self) -> None:
        """topics, situation, representative_only and source: known values only."""
        for kind, topics in (("questions", self.question_topics), ("statements", self.statement_topics)):
            for entry in getattr(self, kind):
                named = entry.get("topics", [])
                if not isinstance(named, list) or not all(t in topics for t in named):
                    self._fail(kind, entry["id"], f"topics {named!r} must be a list from "
                               f"{', '.join(topics)}")
        for kind, flag in (("questions", "situation"), ("statements", "representative_only")):
            for entry in getattr(self, kind):
                if not isinstance(entry.get(flag, False), bool):
                    self._fail(kind, entry["id"], f"'{flag}' must be true or false")
        for kind in ("pages", "risks", "questions", "statements"):
            for entry in getattr(self, kind):
                source = entry.get("source")
                if source is not None and source not in self.sources:
                    self._fail(kind, entry["id"], f"source {source!r} is not in [sources]")

    def _check_ids(self, kind: str, entries: list[dict[str, Any]]) -> None:
        seen: set[str] = set()
        for number, entry in enumerate(entries, 1):
            entry_id = entry.get("id")
            if not isinstance(entry_id, str) or not ID.match(entry_id):
                raise ContentError(
                    f"{self.path}: [[{kind}]] number {number} has id {entry_id!r}; "
                    "ids are lowercase letters, digits and underscores"
                )
            if entry_id in seen:
                raise ContentError(f"{self.path}: duplicate id {entry_id!r} in [[{kind}]]")
            seen.add(entry_id)

    def _fail(self, kind: str, entry_id: str, problem: str) -> None:
        raise ContentError(f"{self.path}: [[{kind}]] {entry_id!r}: {problem}")

    def _check_links(self) -> None:
        pages = set(self.ids["pages"])
        risks = set(self.ids["risks"])
        placed: dict[str, str] = {}
        for section in self.sections:
            page_ids = section.get("pages")
            if not isinstance(page_ids, list) or not page_ids:
                self._fail("sections", section["id"], "needs a non-empty list 'pages'")
            for page_id in page_ids:
                if page_id not in pages:
                    self._fail("sections", section["id"], f"page {page_id!r} is not in [[pages]]")
                if page_id in placed:
                    self._fail("sections", section["id"],
                               f"page {page_id!r} is already in section {placed[page_id]!r}")
                placed[page_id] = section["id"]
        for page in self.pages:
            if page["id"] not in placed:
                self._fail("pages", page["id"], "is in no section")
            illustration = page.get("illustration")
            if not isinstance(illustration, str) or not ID.match(illustration):
                self._fail("pages", page["id"], "needs an 'illustration' id")
            animation = page.get("animation")
            if animation is not None and animation not in ANIMATIONS:
                self._fail("pages", page["id"], f"animation {animation!r} is not one of {ANIMATIONS}")
        for risk in self.risks:
            if risk.get("page") not in pages:
                self._fail("risks", risk["id"], f"page {risk.get('page')!r} names no page")
        checked: set[str] = set()
        for question in self.questions:
            self._check_question(question, pages, risks)
            checked.update(question.get("risks", []))
        for risk_id in self.ids["risks"]:
            if risk_id not in checked:
                self._fail("risks", risk_id, "is checked by no question (list it in a "
                           "question's 'risks')")

    def _check_question(self, question: dict[str, Any], pages: set[str], risks: set[str]) -> None:
        qid = question["id"]
        choices = question.get("choices")
        if not isinstance(choices, list) or len(choices) < 2:
            self._fail("questions", qid, "needs a list of at least two 'choices'")
        for choice in choices:
            if not isinstance(choice, str) or not ID.match(choice):
                self._fail("questions", qid, f"choice id {choice!r} is not a lowercase id")
        if len(set(choices)) != len(choices):
            self._fail("questions", qid, f"duplicate choice ids in {choices!r}")
        if question.get("correct") not in choices:
            self._fail("questions", qid,
                       f"correct {question.get('correct')!r} is not one of its choices {choices!r}")
        if question.get("explained_by") not in pages:
            self._fail("questions", qid,
                       f"explained_by {question.get('explained_by')!r} names no page")
        question_risks = question.get("risks", [])
        if not isinstance(question_risks, list):
            self._fail("questions", qid, "'risks' must be a list of risk ids")
        for risk_id in question_risks:
            if risk_id not in risks:
                self._fail("questions", qid, f"risk {risk_id!r} is not in [[risks]]")
