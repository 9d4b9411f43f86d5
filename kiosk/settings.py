"""Kiosk settings: a TOML file in the data folder, with sensible defaults. No Qt here.

A broken file stops the kiosk with a message that names the file and the line, never a
traceback: IT must be able to fix it from the message alone. Everything is checked at load
(`load_settings`), not when a patient first needs it: types and ranges, the time zone, the
language, the hospital name, and that the consents folder and the seal certificate can be used.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import tempfile
import unicodedata
from dataclasses import dataclass, field, fields
from pathlib import Path

from kiosk import toml_cache
from kiosk.settings_lines import Layout, scan, syntax_problem

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
    languages: tuple[str, ...] = ()  # offered on Welcome, in this order; empty: every installed one
    staff_language: str = "en"  # the hospital's working language: the PDF's staff summary page, the nurse station's default
    procedure: str = "vertebroplasty"  # the content pack: assets/content/<procedure>.toml
    consents_folder: str = ""
    reduce_motion: bool = False
    high_contrast: bool = False
    large_text: bool = False
    read_aloud_by_default: bool = False
    seal_certificate: str = ""
    seal_certificate_password: str = field(default="", repr=False)  # never in logs or messages
    mrn_pattern: str = "[A-Za-z0-9-]{3,20}"  # a regular expression, matched against the whole MRN
    # Hand-off (issue 14): empty means this kiosk keeps everything to itself, as before.
    kiosk_id: str = ""  # this kiosk's name in the central database; empty: the computer's host name
    central_database: str = field(default="", repr=False)  # postgresql://user:password@host/db
    fhir_url: str = ""  # the FHIR R4 server's base URL, e.g. https://fhir.example.org/fhir
    hl7_address: str = ""  # an HL7 v2 MLLP listener, "host:port"
    fhir_mrn_system: str = ""  # the FHIR identifier system of the hospital's MRNs; empty: urn:kiosk:mrn
    hl7_sending_facility: str = ""  # MSH-4
    hl7_receiving_application: str = ""  # MSH-5
    hl7_receiving_facility: str = ""  # MSH-6

    def kiosk_name(self) -> str:
        """`kiosk_id`, or the host name when it is not set."""
        import socket

        return self.kiosk_id or socket.gethostname()

    def consents_path(self, data_dir: Path) -> Path:
        """Where consent PDFs go: `consents_folder`, relative to the data folder, or `consents/`."""
        return (data_dir / (self.consents_folder or "consents")).resolve()

    def seal_certificate_path(self, data_dir: Path) -> Path | None:
        """The PKCS#12 file named by `seal_certificate`, relative to the data folder; None if unset."""
        return (data_dir / self.seal_certificate).resolve() if self.seal_certificate else None


_HELP = {
    "hospital_name": "the name printed on every consent",
    "page_size": '"A4" or "Letter"',
    "idle_timeout_seconds": "seconds without a touch before the kiosk asks \"Are you still there?\" (30 to 3600)",
    "idle_countdown_seconds": "seconds the patient has to answer that question (5 to 300)",
    "done_screen_seconds": "seconds the thank-you screen stays before the kiosk returns to Welcome (5 to 600)",
    "time_zone": 'an IANA time zone such as "Europe/London"; empty means the computer\'s own',
    "default_language": "the language code the Welcome screen starts in, such as \"en\"",
    "languages": 'the languages Welcome offers, in order, as a list of codes such as ["en", "es", "ar"]; '
                 "empty or left out offers every installed language",
    "staff_language": "the hospital's working language, such as \"en\": a consent in another language "
                      "gets a summary page in it, and the nurse station starts in it",
    "procedure": 'the content pack the kiosk shows, such as "vertebroplasty" (assets/content/<procedure>.toml)',
    "consents_folder": "where consent PDFs are stored; relative paths are inside the data folder",
    "reduce_motion": "true to show still pictures instead of animations",
    "high_contrast": "true for black-on-white screens and strong picture colours",
    "large_text": "true for text a quarter larger on every screen",
    "read_aloud_by_default": "true to read each screen aloud as soon as it is shown (\"Read to me\" stops it)",
    "seal_certificate": "a PKCS#12 (.p12/.pfx) file with the hospital's own signing certificate; "
                        "empty means the kiosk makes and uses its own key",
    "seal_certificate_password": "the password of that PKCS#12 file",
    "mrn_pattern": "a regular expression a hospital number (MRN) must match as a whole",
    "kiosk_id": "this kiosk's name in the central database, such as \"ward-3-kiosk\"; empty means the "
                "computer's host name",
    "central_database": "a PostgreSQL address, postgresql://user:password@host:5432/database, that every "
                        "consent and review event is also sent to; empty keeps them on this computer only",
    "fhir_url": "the base URL of the hospital's FHIR R4 server, such as https://fhir.example.org/fhir; "
                "each consent is sent to it as a transaction Bundle; empty sends nothing",
    "hl7_address": "an HL7 v2 MLLP listener, \"host:port\", that each consent is sent to as MDM^T02 with "
                   "its PDF; empty sends nothing",
    "fhir_mrn_system": "the hospital's system URI (or urn:oid:...) of its hospital numbers, for the FHIR Patient's identifier; empty means urn:kiosk:mrn",
    "hl7_sending_facility": "MSH-4 of the HL7 messages: the code the hospital's interface team gave this kiosk",
    "hl7_receiving_application": "MSH-5 of the HL7 messages: the application that receives them",
    "hl7_receiving_facility": "MSH-6 of the HL7 messages: the hospital's facility code",
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
            str(value) if isinstance(value, int) else
            "[" + ", ".join(f'"{item}"' for item in value) + "]" if isinstance(value, tuple) else f'"{value}"')
        lines += [f"# {_HELP[f.name]}", f"{f.name} = {shown}", ""]
    return "\n".join(lines)


_MAX_BYTES = 1 << 20  # a settings file is a few kilobytes; a bigger one is not a settings file
_MAX_NESTING = 100  # no setting is a list or table; far deeper nesting would exhaust tomllib's stack
_HOSPITAL_NAME_MAX = 120  # a longer name does not fit a consent's header (ReportLab LayoutError)
_SECRET = {"seal_certificate_password", "central_database"}  # never shown in a message
_BOM = "\ufeff"
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)*\Z")  # no "..", no "/x", no "x/"


def _is_date_or_time(value: object) -> bool:
    """A TOML date, time or date-time (datetime is imported here, off the kiosk's start-up path)."""
    from datetime import date, datetime, time

    return isinstance(value, (datetime, date, time))


def _shown(value: object) -> str:
    """A value as a message shows it: TOML-like, and short."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_date_or_time(value):
        return f"the date/time {value.isoformat()}"
    if isinstance(value, str) and len(value) > 60:
        return f"{value[:50]!r}... ({len(value)} characters)"
    return repr(value)


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (list, tuple)):
        return "a list"
    if _is_date_or_time(value):
        return "a date/time"
    kinds = {bool: "true or false", int: "a whole number", float: "a decimal number", str: "text in quotes"}
    return kinds.get(type(value), "text in quotes")


def _quoted(text: str) -> str:
    """A key or name in double quotes, with control characters made visible, and short."""
    visible = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text[:80])
    return f'"{visible}"' + ("..." if len(text) > 80 else "")


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def _named(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _check_hospital_name(name: str) -> str | None:
    if not name.strip():
        return '"hospital_name" must not be blank: it is printed on every consent.'
    if len(name) > _HOSPITAL_NAME_MAX:
        return (f'"hospital_name" is {len(name)} characters long; at most {_HOSPITAL_NAME_MAX} fit on '
                f"a consent.")
    for position, char in enumerate(name, start=1):
        if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp"):
            return (f'"hospital_name" contains a control character (U+{ord(char):04X}) at character '
                    f"{position}; the name must be plain text on one line.")
    return None


def _check_page_size(size: str) -> str | None:
    if size.lower() in ("a4", "letter"):
        return None
    return f'"page_size" must be {_HELP["page_size"]}, not {_shown(size)}.'


def _check_time_zone(name: str) -> str | None:
    """A real IANA zone, as `zoneinfo.available_timezones()` lists them, that ZoneInfo loads."""
    if not name:
        return None
    advice = '; use an IANA name such as "Europe/London", or "" for the computer\'s own zone.'
    unknown = f"unknown time zone {_shown(name)}"
    if len(name) > 64 or not _ZONE_NAME.match(name):  # path parts, "..", control characters
        return unknown + advice
    import zoneinfo  # only when a zone is named

    zones = _known_zones()
    if name not in zones:
        import difflib

        same = [zone for zone in zones if zone.lower() == name.lower()]
        close = same or difflib.get_close_matches(name, zones, n=1, cutoff=0.8)
        return unknown + (f' (did you mean "{close[0]}"?)' if close else "") + advice
    try:
        zoneinfo.ZoneInfo(name)
    except Exception as error:  # noqa: BLE001 - IsADirectoryError, ValueError, ...: all mean "no"
        return f"time zone {_shown(name)} cannot be loaded ({_reason(error)})."
    return None


@functools.cache
def _known_zones() -> frozenset[str]:
    """Every IANA zone on this computer (or in the tzdata package); read once, it is slow-ish."""
    import zoneinfo

    try:
        return frozenset(zoneinfo.available_timezones())
    except Exception:  # noqa: BLE001 - an unreadable zone database: no zone is known
        return frozenset()


@functools.cache
def _installed_languages() -> tuple[tuple[str, str], ...]:
    # only when a language is named; [language] tables alone, not the content pack and its dataclasses
    from kiosk.content.interface_text import installed_languages

    return tuple(installed_languages())


def _check_language(code: str, key: str = "default_language") -> str | None:
    try:
        languages = _installed_languages()
    except Exception as error:  # noqa: BLE001 - a broken translations folder must not be a traceback
        return f'"{key}" cannot be checked: the translations cannot be read ({error}).'
    if code in {known for known, _name in languages}:
        return None
    installed = ", ".join(f'"{known}" ({name})' for known, name in languages) or "none"
    return f'"{key}" must be an installed language: {installed}; {_shown(code)} is not installed.'


def _check_language_list(codes: list) -> str | None:
    if not all(isinstance(code, str) for code in codes):
        return f'"languages" must be {_HELP["languages"]}; each code is text in quotes.'
    if len(set(codes)) != len(codes):
        return '"languages" names a language twice.'
    for code in codes:
        problem = _check_language(code, "languages")
        if problem:
            return problem
    return None


def _check_procedure(procedure: str) -> str | None:
    from kiosk.content.interface_text import DEFAULT_TRANSLATIONS_DIR

    if not re.fullmatch(r"[a-z][a-z0-9_]*", procedure):
        return f'"procedure" must be {_HELP["procedure"]}; {_shown(procedure)} is not a procedure id.'
    if not (DEFAULT_TRANSLATIONS_DIR.parent / "assets" / "content" / f"{procedure}.toml").is_file():
        return f'"procedure" names no content pack: there is no assets/content/{procedure}.toml.'
    return None


def _check_path_text(key: str, path: str) -> str | None:
    for char in path:
        if unicodedata.category(char) == "Cc":
            return f'"{key}" contains a control character (U+{ord(char):04X}); it must be a path.'
    return None


_MRN_PATTERN_MAX = 200


def _check_mrn_pattern(pattern: str) -> str | None:
    """A regular expression Python can compile, that refuses an empty MRN."""
    advice = ' The default is "[A-Za-z0-9-]{3,20}"; delete the line to use it.'
    if len(pattern) > _MRN_PATTERN_MAX:
        return f'"mrn_pattern" is {len(pattern)} characters long; at most {_MRN_PATTERN_MAX}.{advice}'
    try:
        compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as error:
        return (f'"mrn_pattern" is not a regular expression the kiosk can read ({error}). In TOML, '
                f"write it in single quotes ('...') so that a backslash stays a backslash.{advice}")
    if compiled.fullmatch(""):
        return f'"mrn_pattern" accepts an empty hospital number; it must ask for at least one character.{advice}'
    return None


_VALUE_CHECKS = {
    "hospital_name": _check_hospital_name,
    "page_size": _check_page_size,
    "time_zone": _check_time_zone,
    "default_language": _check_language,
    "staff_language": lambda code: _check_language(code, "staff_language"),
    "procedure": _check_procedure,
    "consents_folder": lambda path: _check_path_text("consents_folder", path),
    "seal_certificate": lambda path: _check_path_text("seal_certificate", path),
    "mrn_pattern": _check_mrn_pattern,
    "kiosk_id": lambda name: _check_kiosk_id(name),
    "central_database": lambda url: _check_address("central_database", url, ("postgresql://", "postgres://")),
    "fhir_url": lambda url: _check_address("fhir_url", url, ("http://", "https://")),
    "hl7_address": lambda address: _check_hl7_address(address),
    "fhir_mrn_system": lambda text: _check_path_text("fhir_mrn_system", text),
    "hl7_sending_facility": lambda text: _check_path_text("hl7_sending_facility", text),
    "hl7_receiving_application": lambda text: _check_path_text("hl7_receiving_application", text),
    "hl7_receiving_facility": lambda text: _check_path_text("hl7_receiving_facility", text),
}


def _check_kiosk_id(name: str) -> str | None:
    if name and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}", name):
        return (f'"kiosk_id" must be {_HELP["kiosk_id"]}: letters, digits, ".", "_" and "-", at most 63; '
                f'not {_shown(name)}.')
    return None


def _check_address(key: str, value: str, schemes: tuple[str, ...]) -> str | None:
    if value and (not value.startswith(schemes) or any(c.isspace() or not c.isprintable() for c in value)):
        shown = "that text" if key in _SECRET else _shown(value)
        return f'"{key}" must be {_HELP[key]}; {shown} does not start with {" or ".join(schemes)}.'
    return None


def _check_hl7_address(address: str) -> str | None:
    if not address:
        return None
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        return f'"hl7_address" must be {_HELP["hl7_address"]}; {_shown(address)} is not host:port.'
    return None


_SECTIONS = ("central", "fhir", "hl7")  # [central] database = "..." is central_database = "..."


def _flatten_sections(raw: dict) -> dict:
    """`[central] database = ...` as `central_database = ...` (and [fhir] url, [hl7] address):
    the hand-off settings may be written as tables, as IT writes them elsewhere."""
    if not any(isinstance(raw.get(section), dict) for section in _SECTIONS):
        return raw
    flat = {}
    for key, value in raw.items():
        if key in _SECTIONS and isinstance(value, dict):
            for inner, inner_value in value.items():
                flat[f"{key}_{inner}"] = inner_value
        else:
            flat[key] = value
    return flat


def _check_value(key: str, value: object, default: object) -> str | None:
    """What is wrong with `value` for setting `key`, in plain words; None if it is fine."""
    if isinstance(default, tuple) and isinstance(value, list):
        return _check_language_list(value)
    if type(value) is not type(default):
        shown = _kind(value) if key in _SECRET or isinstance(value, (dict, list)) else _shown(value)
        return f'"{key}" must be {_kind(default)}, not {shown}: {_HELP[key]}.'
    low, high = _RANGES.get(key, (None, None))
    if low is not None and not low <= value <= high:
        return f'"{key}" must be {_HELP[key]}; {value} is out of range.'
    check = _VALUE_CHECKS.get(key)
    return check(value) if check else None


def _problems_error(problems: list[tuple[int | None, str]], source: str) -> SettingsError:
    """One error naming every problem, each on its own line with the file and line."""
    problems.sort(key=lambda problem: problem[0] or 0)
    return SettingsError("\n".join(f"{source}, line {line}: {text}" if line else f"{source}: {text}"
                                   for line, text in problems))


def parse_settings(text: str, *, source: str = SETTINGS_FILE) -> Settings:
    """Settings from TOML text; any problem raises SettingsError naming `source` and the line.

    Checks: TOML syntax; unknown keys; types; the number ranges; page_size; time_zone (a real
    IANA zone); default_language (an installed translation); hospital_name (not blank, at most
    120 characters, no control characters); no control characters in paths; mrn_pattern (a
    regular expression that compiles and refuses an empty MRN). The files the
    settings name are checked by `load_settings`, which knows the data folder.
    """
    return _parse(text, source)[0]


def _parse(text: str, source: str) -> tuple[Settings, Layout]:
    if text.startswith(_BOM):  # Windows editors start UTF-8 files with one
        text = text[1:]
    layout = scan(text)
    depth, deep_line = layout.deepest
    if depth > _MAX_NESTING:
        raise SettingsError(f"{source}, line {deep_line}: values are nested {depth} deep here; no setting "
                            f"is a list or a table. Fix that line, or delete the file to start again.")
    try:
        raw = toml_cache.loads(text, source)  # tomllib is imported only for a text not seen before
    except toml_cache.decode_error() as error:
        line, problem = syntax_problem(error, layout)
        raise SettingsError(f"{source}, line {line}: {problem}") from None
    except RecursionError:
        raise SettingsError(f"{source}, line {deep_line or 1}: values are nested too deeply here; no "
                            f"setting is a list or a table.") from None
    except Exception as error:  # noqa: BLE001 - MemoryError, ValueError...: a message, never a traceback
        raise SettingsError(f"{source}: cannot be read as TOML ({_named(error)}). Delete the file to "
                            f"start again from the defaults.") from None
    raw = _flatten_sections(raw)
    known = {f.name: f for f in fields(Settings)}
    problems: list[tuple[int | None, str]] = []
    values = {}
    for key, value in raw.items():
        line = layout.key_lines.get(key)
        if key not in known:
            import difflib

            close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
            guess = f' Did you mean "{close[0]}"?' if close else ""
            problems.append((line, f"unknown setting {_quoted(key)}.{guess} Known settings: "
                                   f"{', '.join(known)}."))
            continue
        problem = _check_value(key, value, known[key].default)
        if problem:
            problems.append((line, problem))
        else:
            values[key] = tuple(value) if isinstance(value, list) else value
    if problems:
        raise _problems_error(problems, source)
    return Settings(**values), layout


def _make_folders(folder: Path) -> None:
    """Create `folder` and any missing parents, each private to this account (0700)."""
    missing = []
    current = folder
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    for new_folder in reversed(missing):
        try:
            os.mkdir(new_folder, 0o700)
        except FileExistsError:
            if not new_folder.is_dir():
                raise


def _check_consents_folder(settings: Settings, data_dir: Path) -> str | None:
    """The consents folder exists (made if missing), is a folder, and a file can be made in it."""
    try:
        folder = settings.consents_path(data_dir)
    except (OSError, ValueError, RuntimeError) as error:
        return f'"consents_folder" is not a usable folder path ({_reason(error)}).'
    named = f"the consents folder {folder}" + ("" if settings.consents_folder else
                                               ' (the default, as "consents_folder" is not set)')
    try:
        _make_folders(folder)
        if not folder.is_dir():
            return f"{named} is not a folder. Set \"consents_folder\" to a folder."
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"{named} cannot be written to (permission denied)."
        handle, name = tempfile.mkstemp(prefix=".kiosk-write-check-", dir=folder)
        os.close(handle)
        os.unlink(name)
    except OSError as error:
        return f"{named} cannot be created or written to ({_reason(error)})."
    return None


def _check_seal_certificate(settings: Settings, data_dir: Path) -> str | None:
    """`seal_certificate`, if set, names a readable, non-empty file."""
    try:
        path = settings.seal_certificate_path(data_dir)
    except (OSError, ValueError, RuntimeError) as error:
        return f'"seal_certificate" is not a usable file path ({_reason(error)}).'
    if path is None:
        return None
    named = f'the seal certificate {path} (from "seal_certificate")'
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return f"{named} is not a file; it must be a PKCS#12 (.p12/.pfx) file."
        if info.st_size == 0:
            return f"{named} is empty; it must be a PKCS#12 (.p12/.pfx) file."
        with open(path, "rb") as file:
            file.read(1)
    except FileNotFoundError:
        return f"{named} does not exist. Put the file there, or set \"seal_certificate\" to \"\"."
    except OSError as error:
        return f"{named} cannot be read ({_reason(error)})."
    return None


def _write_default_file(data_dir: Path, path: Path) -> None:
    """The commented default file, private to this account (0600) in a private folder (0700)."""
    if os.path.lexists(data_dir) and not data_dir.is_dir():
        raise SettingsError(f"{data_dir}: the data folder is a file, not a folder; check --data-dir "
                            f"or KIOSK_DATA_DIR.")
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    except FileExistsError:
        return  # another process wrote it meanwhile
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(default_settings_text())
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        path.unlink(missing_ok=True)  # never leave half a settings file behind
        raise


def _read_file(path: Path) -> bytes:
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise SettingsError(f"{path}: is not a file. Remove it to start again from the defaults.")
    with open(path, "rb") as file:
        data = file.read(_MAX_BYTES + 1)
    if len(data) > _MAX_BYTES:
        raise SettingsError(f"{path}: is larger than {_MAX_BYTES // 1024} KB, so it is not a settings "
                            f"file. Delete it to start again from the defaults.")
    return data


def _decode(data: bytes, source: str) -> str:
    """UTF-8 text (a BOM is allowed); otherwise an error naming the line and byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SettingsError(f'{source}, line 1: the file is saved as UTF-16 ("Unicode"); save it as '
                            f"UTF-8 instead.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        bad = " ".join(f"0x{byte:02x}" for byte in data[error.start:error.end])
        raise SettingsError(f"{source}, line {line}: the file is not UTF-8 text (byte {error.start + 1}, "
                            f"column {column}: {bad}); save it as UTF-8.") from None


def load_settings(data_dir: Path, *, check_files: bool = True) -> Settings:
    """Read `settings.toml` from `data_dir`, writing a commented default file on first run.

    Everything `parse_settings` checks, and also (unless `check_files` is False): the consents
    folder exists (it is created, 0700, if missing), is a folder and can be written to;
    `seal_certificate`, if set, is a readable file. Any problem raises SettingsError naming
    the file and the line. `check_files=False` is for the paper form: when the archive is
    broken, the blank form is exactly what the ward needs, so a folder must not stop it.
    """
    path = data_dir / SETTINGS_FILE
    source = str(path)
    try:
        try:
            if not os.path.lexists(path):
                _write_default_file(data_dir, path)
            text = _decode(_read_file(path), source)
        except OSError as error:
            raise SettingsError(f"{path}: cannot be read or created ({_reason(error)}).") from None
        settings, layout = _parse(text, source)
        problems = []
        for key, check in (("consents_folder", _check_consents_folder),
                           ("seal_certificate", _check_seal_certificate)) if check_files else ():
            problem = check(settings, data_dir)
            if problem:
                problems.append((layout.key_lines.get(key), problem))
        if problems:
            raise _problems_error(problems, source)
        return settings
    except SettingsError:
        raise
    except Exception as error:  # noqa: BLE001 - a bug here must still give IT a message, not a traceback
        raise SettingsError(f"{source}: cannot be checked ({_named(error)}). Please report this; deleting "
                            f"the file starts again from the defaults.") from None
