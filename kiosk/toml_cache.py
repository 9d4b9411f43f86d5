"""TOML text parsed once per text, across starts: the kiosk's start-up skips `tomllib`. No Qt here.

The Welcome screen needs the settings, the translation and the procedure's structure, and
parsing them (with `tomllib`'s import) took about 7 ms of the 35 ms the kiosk took over a bare
Qt window to paint its first screen (bench/bench_startup.py). `kiosk.app` turns the cache on
in the data folder (`use_folder`), which only the kiosk's own account can read or write and
which already holds the seal key: a cache there is trusted no less than what it caches.

Each source file has one entry, named after it: `marshal` of (format, text, parsed). It is
used only when its text is the text being parsed, character for character, so an edited file
is parsed again (and its entry replaced) and a damaged or foreign entry is ignored. Values `marshal` cannot hold (TOML dates)
are never cached. Errors are never cached: broken TOML is parsed, and reported, every time.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any

_FORMAT = 1
_folder: Path | None = None


def use_folder(folder: Path | None) -> None:
    """Keep parsed TOML in `folder` (made on first write, 0700 under the kiosk's umask); None: off."""
    global _folder
    _folder = Path(folder) if folder is not None else None


def loads(text: str, name: str) -> dict[str, Any]:
    """`tomllib.loads(text)`, read from the cache when this exact text was parsed before.

    `name` is the source file's name (`en.toml`): its entry's name, one entry per file.
    Raises what `tomllib.loads` raises; callers must not change the result (a cache hit and a
    fresh parse give equal, separate objects)."""
    entry = _folder / f"{Path(name).name}.marshal" if _folder is not None else None
    if entry is not None:
        cached = _read(entry, text)
        if cached is not None:
            return cached
    import tomllib  # about 3 ms: only when a text is new to this data folder

    parsed = tomllib.loads(text)
    if entry is not None:
        _write(entry, text, parsed)
    return parsed


def remembered(name: str, key: object, compute):
    """`compute()`, or what it gave before for this exact `key` (plain data marshal can hold:
    file names, sizes and times); the entry `name` holds the last one. For what start-up would
    otherwise read from many files, such as the installed languages' names."""
    entry = _folder / f"{name}.marshal" if _folder is not None else None
    if entry is not None:
        cached = _read(entry, key)
        if cached is not None:
            return cached["value"]
    value = compute()
    if entry is not None:
        _write(entry, key, {"value": value})
    return value


def decode_error() -> type[Exception]:
    """`tomllib.TOMLDecodeError`, for an `except` clause: imported only once something failed."""
    import tomllib

    return tomllib.TOMLDecodeError


def _read(entry: Path, text: str) -> dict[str, Any] | None:
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    try:
        form, cached_text, parsed = marshal.loads(data)
    except Exception:  # noqa: BLE001 - a torn or foreign file: parse the text again
        return None
    if form != _FORMAT or cached_text != text or not isinstance(parsed, dict):
        return None
    return parsed


def _write(entry: Path, text: str, parsed: dict[str, Any]) -> None:
    """Best effort: a full disk or a read-only folder only means parsing again next time."""
    try:
        data = marshal.dumps((_FORMAT, text, parsed))
    except ValueError:  # a TOML date or time: marshal cannot hold it
        return
    import threading

    temporary = entry.with_name(f".{entry.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        entry.parent.mkdir(mode=0o700, exist_ok=True)  # in the data folder, never making that
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, entry)  # whole or not at all, for a second process reading it
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
