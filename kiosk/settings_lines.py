"""Where things are in a settings file's TOML text, so that every message names the real line.

No Qt here. `scan` finds each top-level key's line, each statement's line and the deepest
nesting, and never raises; `syntax_problem` turns tomllib's complaint into the line IT should
look at and a sentence saying what to fix there. `kiosk.settings` uses both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # tomllib is imported only when a settings text is new (kiosk.toml_cache)
    import tomllib

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)\s*\Z")
_KEY_CONFLICTS = ("Cannot overwrite", "Cannot declare", "Cannot redefine", "Cannot mutate")
_UNCLOSED = ("Unclosed array", "Unclosed inline table")
_TOML_HINTS = {  # what IT should look for, by the start of tomllib's message
    "Unterminated string": "Is a closing quote missing?",
    "Illegal character '\\n'": "Is a closing quote missing?",
    "Expected '=' after a key": "Write each setting as name = value.",
    "Invalid value": 'Text must be in quotes, such as "A4".',
    "Unescaped '\\' in a string": "Write \\\\ for a backslash, or put the text in 'single quotes'.",
    "Cannot overwrite": "Is this setting given twice?",
    "Cannot declare": "Is this table given twice?",
    "Unclosed array": "Is a ] or a comma missing?",
    "Unclosed inline table": "Is a } or a comma missing?",
}
_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_HEX = re.compile(r"[0-9A-Fa-f]+")


@dataclass(frozen=True)
class Layout:
    """Where things are in a TOML text, found by `scan`."""

    key_lines: dict[str, int]  # each top-level key -> the line that first names it
    statements: list[tuple[int, int]]  # (first line, last line) of each statement: key = value, or [table]
    deepest: tuple[int, int]  # (depth, line of its statement) of the most deeply nested value

    def statement_at(self, line: int) -> int:
        """The first line of the statement that `line` is part of; `line` itself if it is part of
        none (a comment, a blank line)."""
        return next((first for first, last in self.statements if first <= line <= last), line)


def scan(text: str) -> Layout:
    """Find each top-level key's line, each statement's line and the deepest nesting.

    A tolerant, non-recursive scan of TOML (strings, quoted and dotted keys, tables, comments,
    multi-line strings and arrays): it never raises, whatever the text. On valid TOML it agrees
    with tomllib; on broken TOML it is a best guess, used only to point at a line.
    Lines count "\\n" as tomllib does, so its line numbers and ours are the same.
    """
    key_lines: dict[str, int] = {}
    statements: list[tuple[int, int]] = []
    deepest = (0, 0)
    at_root = True  # until the first [table] header: TOML has no way back to the root
    i, line, end = 0, 1, len(text)
    while i < end:
        char = text[i]
        if char == "\n":
            i, line = i + 1, line + 1
        elif char in " \t\r":
            i += 1
        elif char == "#":
            i = _end_of_line(text, i)
        else:
            start = line
            if char == "[":
                keys, i = _read_key(text, i + (2 if text.startswith("[[", i) else 1))
                at_root = False
                if keys:
                    key_lines.setdefault(keys[0], start)
            else:
                keys, i = _read_key(text, i)
                if at_root and keys:
                    key_lines.setdefault(keys[0], start)
                if i < end and text[i] == "=":
                    i, line, depth = _skip_value(text, i + 1, line)
                    if depth > deepest[0]:
                        deepest = (depth, start)
            i = _end_of_line(text, i)  # the rest of the line: a comment, or junk
            statements.append((start, line))
    return Layout(key_lines, statements, deepest)


def _end_of_line(text: str, i: int) -> int:
    found = text.find("\n", i)
    return len(text) if found < 0 else found


def _read_key(text: str, i: int) -> tuple[list[str], int]:
    """A (dotted) key on one line: its parts, quoted ones unquoted, and where it ends."""
    parts: list[str] = []
    end = len(text)
    while True:
        while i < end and text[i] in " \t":
            i += 1
        if i >= end:
            break
        if text[i] in "\"'":
            part, i = _read_quoted(text, i)
        elif text[i] in _KEY_CHARS:
            start = i
            while i < end and text[i] in _KEY_CHARS:
                i += 1
            part = text[start:i]
        else:
            break
        parts.append(part)
        while i < end and text[i] in " \t":
            i += 1
        if i < end and text[i] == ".":
            i += 1
        else:
            break
    return parts, i


def _read_quoted(text: str, i: int) -> tuple[str, int]:
    """A one-line "basic" (escapes decoded) or 'literal' string starting at `i`."""
    quote, out, end = text[i], [], len(text)
    i += 1
    while i < end and text[i] != "\n":
        char = text[i]
        if char == quote:
            return "".join(out), i + 1
        if char == "\\" and quote == '"' and i + 1 < end:
            code = text[i + 1]
            if code in _ESCAPES:
                out.append(_ESCAPES[code])
                i += 2
                continue
            width = {"u": 4, "U": 8}.get(code, 0)
            digits = text[i + 2:i + 2 + width]
            if width and len(digits) == width and _HEX.fullmatch(digits) and int(digits, 16) <= 0x10FFFF:
                out.append(chr(int(digits, 16)))
                i += 2 + len(digits)
                continue
        out.append(char)
        i += 1
    return "".join(out), i


def _skip_value(text: str, i: int, line: int) -> tuple[int, int, int]:
    """Skip a value (possibly multi-line): (where it ends, the line there, its nesting depth)."""
    depth = deepest = 0
    end = len(text)
    while i < end:
        char = text[i]
        if char == "\n":
            if depth == 0:
                break
            i, line = i + 1, line + 1
        elif char == "#":
            i = _end_of_line(text, i)
        elif char in "\"'":
            i, line = _skip_string(text, i, line)
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            i += 1
        elif char in "]}":
            depth = max(depth - 1, 0)
            i += 1
        else:
            i += 1
    return i, line, deepest


def _skip_string(text: str, i: int, line: int) -> tuple[int, int]:
    """Skip a string of any of TOML's four kinds starting at `i`: (where it ends, the line there)."""
    quote, end = text[i], len(text)
    basic = quote == '"'
    if text.startswith(quote * 3, i):
        i += 3
        while i < end:
            if text[i] == "\n":
                i, line = i + 1, line + 1
            elif basic and text[i] == "\\":
                i += 1 if i + 1 < end and text[i + 1] == "\n" else 2
            elif text.startswith(quote * 3, i):
                i += 3
                for _ in range(2):  # up to two more quotes belong to the text: """a""""
                    if i < end and text[i] == quote:
                        i += 1
                return i, line
            else:
                i += 1
        return i, line
    i += 1
    while i < end and text[i] != "\n":
        if text[i] == quote:
            return i + 1, line
        i += 2 if basic and text[i] == "\\" and i + 1 < end and text[i + 1] != "\n" else 1
    return i, line


def syntax_problem(error: tomllib.TOMLDecodeError, layout: Layout) -> tuple[int, str]:
    """tomllib's complaint as (line, what to tell IT): at tomllib's line, or, for a key given twice
    or a list left open, at the line of the statement it belongs to.

    `syntax_problem(error, scan(text))` for `"a = [1, 2\\nb = 3\\n"`: line 1, "this is not valid
    TOML: Unclosed array (noticed at line 2). Is a ] or a comma missing? Fix that line, ..."
    """
    message = str(error)
    found = _TOML_POSITION.search(message)
    what = (message[:found.start()] if found else message.replace("(at end of document)", "")).strip()
    if found:
        reported = int(found.group(1))
        statement = layout.statement_at(reported)
        line = statement if what.startswith(_KEY_CONFLICTS + _UNCLOSED) else reported
        note = (f" (noticed at line {reported})" if line != reported else
                f" (in the setting that starts on line {statement})" if statement != line else "")
    else:  # "at end of document": the last statement is the one left unfinished
        line = layout.statements[-1][0] if layout.statements else 1
        note = " (at the end of the file)"
    hint = next((f" {text}" for start, text in _TOML_HINTS.items() if what.startswith(start)), "")
    return line, (f"this is not valid TOML: {what}{note}.{hint} Fix that line, or delete the file to start "
                  f"again from the defaults.")

