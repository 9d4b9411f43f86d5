"""Kiosk settings: a TOML file in the data folder, with sensible defaults. No Qt here.

A broken file stops the kiosk with a message that names the line, never a traceback: IT must
be able to fix it from the message alone.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

SETTINGS_FILE = "settings.toml"
APP_NAME = "vertebroplasty-kiosk"


class SettingsError(Exception):
    """The settings file cannot be used; the message says where and why, in plain words."""


@dataclass(frozen=True)
class Settings:
    hospital_name: str = "Your hospital"
    page_size: str = "A4"
    idle_timeout_seconds: int = 120
    idle_countdown_seconds: int = 30
    done_screen_seconds: int = 30
    time_zone: str = ""
    default_language: str = "en"
    consents_folder: str = ""
    reduce_motion: bool = False
    high_contrast: bool = False
    large_text: bool = False

    def consents_path(self, data_dir: Path) -> Path:
        """Where consent PDFs go: `consents_folder`, relative to the data folder, or `consents/`."""
        return (data_dir / (self.consents_folder or "consents")).resolve()


_HELP = {
    "hospital_name": "the name printed on every consent",
    "page_size": '"A4" or "Letter"',
    "idle_timeout_seconds": "seconds without a touch before the kiosk asks \"Are you still there?\" (30 to 3600)",
    "idle_countdown_seconds": "seconds the patient has to answer that question (5 to 300)",
    "done_screen_seconds": "seconds the thank-you screen stays before the kiosk returns to Welcome (5 to 600)",
    "time_zone": 'an IANA time zone such as "Europe/London"; empty means the computer\'s own',
    "default_language": "the language code the Welcome screen starts in, such as \"en\"",
    "consents_folder": "where consent PDFs are stored; relative paths are inside the data folder",
    "reduce_motion": "true to show still pictures instead of animations",
    "high_contrast": "true for black-on-white screens and strong picture colours",
    "large_text": "true for text a quarter larger on every screen",
}
_RANGES = {"idle_timeout_seconds": (30, 3600), "idle_countdown_seconds": (5, 300), "done_screen_seconds": (5, 600)}


def default_data_dir() -> Path:
    """`KIOSK_DATA_DIR` if set, else the platform's per-user data folder."""
    env = os.environ.get("KIOSK_DATA_DIR")
    import platformdirs  # only when no folder was given: it is slow to import

    return Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_settings_text() -> str:
    """The settings file written on first run: every setting, commented with what it means."""
    lines = ["# Vertebroplasty consent kiosk settings. Delete a line to use the default.", ""]
    for f in fields(Settings):
        value = f.default
        shown = ("true" if value else "false") if isinstance(value, bool) else (
            str(value) if isinstance(value, int) else f'"{value}"')
        lines += [f"# {_HELP[f.name]}", f"{f.name} = {shown}", ""]
    return "\n".join(lines)


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return 0


def parse_settings(text: str, *, source: str = SETTINGS_FILE) -> Settings:
    """Settings from TOML text; unknown keys, wrong types and bad values raise SettingsError."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{source}: this is not valid TOML ({error}). Fix that line, or delete "
                            f"the file to start again from the defaults.") from None
    known = {f.name: f for f in fields(Settings)}
    values = {}
    for key, value in raw.items():
        where = f"{source}, line {_line_of(text, key)}"
        if key not in known:
            raise SettingsError(f"{where}: unknown setting \"{key}\". Known settings: {', '.join(known)}.")
        expected = type(known[key].default)
        if type(value) is not expected:
            raise SettingsError(f"{where}: \"{key}\" must be {_HELP[key]}, not {value!r}.")
        low, high = _RANGES.get(key, (None, None))
        if low is not None and not low <= value <= high:
            raise SettingsError(f"{where}: \"{key}\" must be {_HELP[key]}; {value} is out of range.")
        values[key] = value
    settings = Settings(**values)
    if settings.page_size.lower() not in ("a4", "letter"):
        raise SettingsError(f"{source}, line {_line_of(text, 'page_size')}: \"page_size\" must be "
                            f"{_HELP['page_size']}, not {settings.page_size!r}.")
    if settings.time_zone:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only when a zone is named

        try:
            ZoneInfo(settings.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(f"{source}, line {_line_of(text, 'time_zone')}: unknown time zone "
                                f"{settings.time_zone!r}; use a name such as \"Europe/London\".") from None
    return settings


def load_settings(data_dir: Path) -> Settings:
    """Read `settings.toml` from `data_dir`, writing a commented default file on first run."""
    path = data_dir / SETTINGS_FILE
    try:
        if not path.exists():
            data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(default_settings_text(), encoding="utf-8")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: the file is not UTF-8 text.") from None
    except OSError as error:
        raise SettingsError(f"{path}: cannot be read or created ({error.strerror}).") from None
    return parse_settings(text, source=str(path))
