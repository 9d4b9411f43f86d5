import functools
import os
import random
import re
import stat
from dataclasses import dataclass, fields
from pathlib import Path

import pytest

from kiosk.settings import Settings, SettingsError, default_settings_text, load_settings, parse_settings


def test_defaults_when_the_file_is_missing_and_a_commented_file_is_written(tmp_path):
    settings = load_settings(tmp_path)
    assert settings == Settings()
    text = (tmp_path / "settings.toml").read_text()
    assert "hospital_name" in text and "# " in text


def test_the_written_defaults_parse_back_to_the_defaults():
    assert parse_settings(default_settings_text()) == Settings()


def test_values_are_read(tmp_path):
    (tmp_path / "settings.toml").write_text('hospital_name = "St Mary\'s"\npage_size = "Letter"\n'
                                            'idle_timeout_seconds = 300\ntime_zone = "Europe/Paris"\n')
    s = load_settings(tmp_path)
    assert (s.hospital_name, s.page_size, s.idle_timeout_seconds, s.time_zone) == \
        ("St Mary's", "Letter", 300, "Europe/Paris")


@pytest.mark.parametrize("text, fragment", [
    ('hospital_name = "A"\npage_size = A4\n', "line 2"),
    ('hospital_name = "A"\n\nidle_timeout_seconds = "soon"\n', "line 3"),
    ('idle_timeout_seconds = 5\n', "out of range"),
    ('hopsital_name = "A"\n', 'unknown setting "hopsital_name"'),
    ('page_size = "A5"\n', "line 1"),
    ('time_zone = "Mars/Olympus"\n', "unknown time zone"),
    ('reduce_motion = "yes"\n', "line 1"),
])
def test_a_broken_file_names_the_line_and_the_problem(tmp_path, text, fragment):
    (tmp_path / "settings.toml").write_text(text)
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    message = str(caught.value)
    assert fragment in message
    assert str(tmp_path / "settings.toml") in message
    assert "Traceback" not in message


def test_consents_folder_is_relative_to_the_data_folder(tmp_path):
    assert Settings().consents_path(tmp_path) == (tmp_path / "consents").resolve()
    assert Settings(consents_folder="/srv/pdfs").consents_path(tmp_path) == (tmp_path / "/srv/pdfs").resolve()


# --- every check, each naming the real line --------------------------------------------------


def _refused(data_dir, text, *, binary=False) -> str:
    """The message load_settings gives for this file content (it must refuse it)."""
    path = data_dir / "settings.toml"
    path.write_bytes(text if binary else text.encode("utf-8"))
    with pytest.raises(SettingsError) as caught:
        load_settings(data_dir)
    message = str(caught.value)
    assert str(path) in message and "Traceback" not in message
    return message


def _first_line(message: str) -> int | None:
    found = re.search(r"\bline (\d+)\b", message)
    return int(found.group(1)) if found else None


@pytest.mark.parametrize("zone", ["Europe", "../etc", "UTC\\u0000", "/etc/localtime", "Europe/London/",
                                  "posixrules", "zone.tab", "Mars/Olympus", "Europe\\\\London"])
def test_time_zone_must_be_a_real_iana_zone(tmp_path, zone):
    message = _refused(tmp_path, f'# zone\nhospital_name = "A"\n  "time_zone"  =  "{zone}"\n')
    assert _first_line(message) == 3 and "unknown time zone" in message


def test_a_misspelt_time_zone_gets_a_suggestion(tmp_path):
    message = _refused(tmp_path, 'time_zone = "europe/london"\n')
    assert 'did you mean "Europe/London"' in message and _first_line(message) == 1


def test_default_language_must_be_an_installed_translation(tmp_path):
    message = _refused(tmp_path, 'hospital_name = "A"\n\ndefault_language = "de"\n')
    assert _first_line(message) == 3 and 'installed language: "en" (English)' in message
    assert "'de' is not installed" in message


@pytest.mark.parametrize("name, fragment", [
    ('""', "must not be blank"),
    ('"   "', "must not be blank"),
    ('"' + "x" * 121 + '"', "121 characters long; at most 120"),
    ('"' + "St Mary " * 225 + '"', "1800 characters long"),
    ('"St\\u0007Mary"', "control character (U+0007)"),
    ('"St\\nMary"', "control character (U+000A)"),
    ('"""St\nMary"""', "control character (U+000A)"),
    ("'St\tMary'", "control character (U+0009)"),
    ('"St\\u2028Mary"', "control character (U+2028)"),
])
def test_hospital_name_is_not_blank_short_and_plain(tmp_path, name, fragment):
    message = _refused(tmp_path, f'page_size = "A4"\nhospital_name = {name}\nlarge_text = true\n')
    assert _first_line(message) == 2 and fragment in message


def test_a_hospital_name_of_120_characters_is_fine(tmp_path):
    (tmp_path / "settings.toml").write_text(f'hospital_name = "{"Ä" * 120}"\n', encoding="utf-8")
    assert load_settings(tmp_path).hospital_name == "Ä" * 120


@pytest.mark.parametrize("folder, fragment", [
    ("/dev/null", "/dev/null is not a folder"),
    ("settings.toml", "is not a folder"),
    ("settings.toml/sub", "cannot be created"),
    ("a\\u0000b", "control character (U+0000)"),
])
def test_consents_folder_must_be_a_writable_folder(tmp_path, folder, fragment):
    message = _refused(tmp_path, f'hospital_name = "A"\n\n\nconsents_folder = "{folder}"\n')
    assert _first_line(message) == 4 and fragment in message


def test_a_missing_consents_folder_is_created_at_load_privately(tmp_path):
    (tmp_path / "settings.toml").write_text('consents_folder = "a/b/c"\n')
    settings = load_settings(tmp_path)
    for folder in (tmp_path / "a", tmp_path / "a/b", tmp_path / "a/b/c"):
        assert folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    assert settings.consents_path(tmp_path) == (tmp_path / "a/b/c").resolve()
    assert list((tmp_path / "a/b/c").iterdir()) == []  # the write check leaves nothing behind


def test_a_consents_folder_that_cannot_be_written_is_refused(tmp_path, monkeypatch):
    (tmp_path / "settings.toml").write_text('hospital_name = "A"\nconsents_folder = "pdfs"\n')

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr("kiosk.settings.tempfile.mkstemp", read_only)
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert _first_line(str(caught.value)) == 2 and "Read-only file system" in str(caught.value)


def test_the_default_consents_folder_is_checked_too(tmp_path):
    (tmp_path / "consents").write_text("a file where the folder should be")
    message = _refused(tmp_path, 'hospital_name = "A"\n')
    assert "consents_folder\" is not set" in message and "is not a folder" in message


def test_a_utf8_bom_is_accepted(tmp_path):
    (tmp_path / "settings.toml").write_bytes(b'\xef\xbb\xbfhospital_name = "St Mary"\n')
    assert load_settings(tmp_path).hospital_name == "St Mary"
    assert parse_settings('\ufeffpage_size = "Letter"\n').page_size == "Letter"


def test_bytes_that_are_not_utf8_name_the_line_and_byte(tmp_path):
    message = _refused(tmp_path, b'page_size = "A4"\n# ok\nhospital_name = "H\xf4pital"\n', binary=True)
    assert _first_line(message) == 3 and "not UTF-8" in message and "byte 41, column 19: 0xf4" in message


def test_a_utf16_file_is_explained(tmp_path):
    message = _refused(tmp_path, 'hospital_name = "A"\n'.encode("utf-16"), binary=True)
    assert "UTF-16" in message and "UTF-8" in message


@pytest.mark.parametrize("text, line, fragment", [
    ('hospital_name = "A"\npage_size = "A4\nlarge_text = true\n', 2, "closing quote"),
    ('hospital_name = "A"\npage_size = "A4', 2, "end of the file"),
    ('hospital_name = "A"\n\nlarge_text true\n', 3, "name = value"),
    ('hospital_name = "A"\nlarge_text = true\n# x\nlarge_text = false\n', 4, "given twice"),
    ('large_text = true\n"large_text" = false', 2, "given twice"),
    ("large_text = true\nx = 1\nseal_certificate_password = '''\na\nb\n'''\n"
     "'seal_certificate_password' = '''\nc\n'''\n",
     7, "given twice"),
    ('hospital_name = "A\\qB"\n', 1, "backslash"),
    ('hospital_name = """A\nB\nC \\q"""\n', 3, "starts on line 1"),
    ('page_size = A4\n', 1, 'such as "A4"'),
    ('a = 1\n[extra\n', 2, "table declaration"),
    ('idle_timeout_seconds = [1, 2\nlarge_text = true\n', 1, "Unclosed array"),
    ('idle_timeout_seconds = { a = 1\n', 1, "Unclosed inline table"),
    ('hospital_name = "A"\nseal_certificate_password = """never\nclosed\n\n', 2, "end of the file"),
    ('[a]\nx = 1\n[a]\n', 3, "twice"),
    ('hospital_name = "A"\n\ufefftime_zone = ""\n', 2, "not valid TOML"),
    ('\ufeff\ufeffhospital_name = "A"\n', 1, "not valid TOML"),
])
def test_toml_syntax_errors_name_the_real_line(tmp_path, text, line, fragment):
    message = _refused(tmp_path, text)
    assert _first_line(message) == line and fragment in message and "not valid TOML" in message


@pytest.mark.parametrize("value", [
    "[" * 3000 + "]" * 3000,
    "{a=" * 3000 + "1" + "}" * 3000,
    "[\n" * 1000 + "]\n" * 1000,
    "[" * 150 + "]" * 150,
])
def test_deep_nesting_is_refused_with_a_line_not_a_recursion_error(tmp_path, value):
    message = _refused(tmp_path, f'hospital_name = "A"\nidle_timeout_seconds = {value}\n')
    assert _first_line(message) == 2 and "nested" in message


@pytest.mark.parametrize("raised", [RecursionError(), MemoryError(), ValueError("odd"), OverflowError("big"),
                                    IndexError("bug")])
def test_any_parser_exception_becomes_a_settings_error(tmp_path, monkeypatch, raised):
    def broken(text):
        raise raised

    monkeypatch.setattr("kiosk.settings.tomllib.loads", broken)
    message = _refused(tmp_path, 'hospital_name = "A"\n')
    assert "Traceback" not in message


@pytest.mark.parametrize("text, line, kind", [
    ('hospital_name = "A"\n[time_zone]\nx = 1\n', 2, "not a table"),
    ('hospital_name = "A"\n\n[[page_size]]\n', 3, "not a list"),
    ('hospital_name = { name = "A" }\n', 1, "not a table"),
    ('hospital_name = "A"\ntime_zone.sub = "UTC"\n', 2, "not a table"),
    ('idle_timeout_seconds = [120]\n', 1, "not a list"),
    ('reduce_motion = "yes"\n', 1, "true or false, not 'yes'"),
    ('idle_timeout_seconds = 120.0\n', 1, "a whole number, not 120.0"),
    ('page_size = 1979-05-27\n', 1, "not the date/time 1979-05-27"),
])
def test_tables_lists_and_wrong_types_say_what_they_are(tmp_path, text, line, kind):
    message = _refused(tmp_path, text)
    assert kind in message and _first_line(message) == line


@pytest.mark.parametrize("text, line", [
    ('"time_zone" = "Europe"\n', 1),
    ("\n'time_zone'='Europe'\n", 2),
    ('a_comment = 1\n', 1),
    ('\n\n   time_zone   \t=   "Europe"   # the zone\n', 3),
    ('"time\\u005fzone" = "Europe"\n', 1),
    ('# time_zone = "Europe/London"\nhospital_name = "A"\ntime_zone = "Europe"\n', 3),
    ("seal_certificate_password = '''\ntime_zone = \"UTC\"\n'''\ntime_zone = \"Europe\"\n", 4),
    ('hospital_name = "A"\n[hospital]\ntime_zone = "Europe"\n', 2),
    ('time_zone . area = "Europe"\n', 1),
    ('[ "time_zone" ]\n', 1),
])
def test_keys_are_found_however_they_are_written(tmp_path, text, line):
    assert _first_line(_refused(tmp_path, text)) == line


def test_every_problem_in_the_file_is_reported_at_once(tmp_path):
    message = _refused(tmp_path, 'hopsital_name = "A"\n\nidle_timeout_seconds = 5\ntime_zone = "Europe"\n')
    lines = message.splitlines()
    assert len(lines) == 3 and [_first_line(text) for text in lines] == [1, 3, 4]
    assert 'Did you mean "hospital_name"' in lines[0]


def test_seal_certificate_must_name_a_readable_file(tmp_path):
    assert Settings().seal_certificate_path(tmp_path) is None
    relative = Settings(seal_certificate="certs/h.p12")
    assert relative.seal_certificate_path(tmp_path) == (tmp_path / "certs/h.p12").resolve()
    assert Settings(seal_certificate="/etc/h.p12").seal_certificate_path(tmp_path) == Path("/etc/h.p12")
    (tmp_path / "empty.p12").write_bytes(b"")
    for value, fragment in [("missing.p12", "does not exist"), (".", "is not a file"), ("/dev/null", "is not a file"),
                            ("empty.p12", "is empty"), ("a\\u0000b", "control character")]:
        message = _refused(tmp_path, f'hospital_name = "A"\nseal_certificate = "{value}"\n')
        assert _first_line(message) == 2 and fragment in message, message
    (tmp_path / "hospital.p12").write_bytes(b"0\x82")
    (tmp_path / "settings.toml").write_text('seal_certificate = "hospital.p12"\nseal_certificate_password = "pw"\n')
    settings = load_settings(tmp_path)
    assert settings.seal_certificate_path(tmp_path) == (tmp_path / "hospital.p12").resolve()
    assert settings.seal_certificate_password == "pw"


def test_the_seal_password_is_never_shown(tmp_path):
    assert "hunter2" not in repr(Settings(seal_certificate_password="hunter2"))
    message = _refused(tmp_path, "seal_certificate_password = 12345678\n")
    assert "12345678" not in message and "not a whole number" in message and _first_line(message) == 1


def test_the_first_run_files_are_private(tmp_path):
    data = tmp_path / "new" / "data"
    load_settings(data)
    assert stat.S_IMODE(data.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE((data / "settings.toml").stat().st_mode) == 0o600 & ~_umask()
    assert parse_settings((data / "settings.toml").read_text()) == Settings()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_data_folder_that_is_a_file_is_explained(tmp_path):
    (tmp_path / "data").write_text("x")
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path / "data")
    assert "is a file, not a folder" in str(caught.value)


def test_a_settings_file_that_is_a_folder_is_explained(tmp_path):
    (tmp_path / "settings.toml").mkdir()
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert "is not a file" in str(caught.value)


# --- the generated fuzz test ---------------------------------------------------------------------
# Valid files in many layouts, each broken by one mutation that knows which line it broke.
# Every one must be refused with a SettingsError naming the file and, for an error about a key or
# the TOML syntax, that real line first.

FUZZ_SEED = 20240611
KEYS = [f.name for f in fields(Settings)]
VALID = {
    "hospital_name": ['"St Mary\'s Hospital"', "'Royal Infirmary'", '"A"', '"Hôpital Saint-Louis"'],
    "page_size": ['"A4"', '"Letter"', "'letter'"],
    "idle_timeout_seconds": ["120", "30", "3600", "+300", "1_200"],
    "idle_countdown_seconds": ["30", "5", "300"],
    "done_screen_seconds": ["30", "5", "600"],
    "time_zone": ['"Europe/London"', '""', '"America/Argentina/Buenos_Aires"', '"UTC"', '"Etc/GMT+5"'],
    "default_language": ['"en"', "'en'"],
    "consents_folder": ['""', '"consents"', '"pdfs/2026"'],
    "reduce_motion": ["true", "false"],
    "high_contrast": ["true", "false"],
    "large_text": ["false", "true"],
    "seal_certificate": ['""', '"seal.p12"'],
    "seal_certificate_password": ['""', '"s3cret"', "'''\nline one\ntime_zone = \"Nowhere\"\n'''",
                                  '"""\n[not_a_table]\nhospital_name = 5"""'],
}
WRONG = {
    str: ["1", "true", "1.5", "[]", '["x"]', "{ a = 1 }", "1979-05-27", "07:32:00", "nan", "-inf", "0x1F"],
    int: ['"120"', "true", "120.0", "[120]", "{}", "1979-05-27T07:32:00Z", "inf", "'soon'"],
    bool: ['"yes"', "1", '"true"', "[true]", "0", "{}"],
}
RANGES = {"idle_timeout_seconds": (30, 3600), "idle_countdown_seconds": (5, 300), "done_screen_seconds": (5, 600)}
BAD_ZONES = ["Europe", "../etc/passwd", "/etc/localtime", "Europe/London/", "UTC\\u0000", "Mars/Olympus",
             "europe/london", " Europe/London", "Europe//London", "zone.tab", "tzdata.zi", "leapseconds",
             "Europe/../UTC", "posixrules", "Europe/London\\n", "x" * 300, "America", "UTC ", "Europe\\\\London",
             "Europe/Lon don"]
BAD_LANGUAGES = ["de", "EN", "", "en_GB", "../en", "e\\u0000n", "english", "en ", "x" * 200, "fr"]
BAD_NAMES = ['""', '"   "', '"\\t"', '"' + "x" * 121 + '"', '"' + "x" * 1800 + '"', '"A\\u0007B"',
             '"St\\nMary"', '"""St\nMary"""', '"A\\u2028B"', '"A\\u0000B"', "'A\tB'", '"\\u001b[31mRed"']
BAD_PAGES = ['"A5"', '"a 4"', '""', '"Legal"', '"A4 "']
UNKNOWN = ['hopsital_name = "A"', '"Time_Zone" = "UTC"', 'hospital.name = "x"', "'odd key' = 1", '"" = 1',
           "idle_timeout = 120", "reduceMotion = true", '"\\u0068ospital" = 1', "a.b.c = 1"]
UNKNOWN_TABLES = ["[extra]\nfoo = 1", '[ "hospital" ]\nname = "x"', '[[printers]]\nname = "lp0"',
                  '[kiosk]\ntime_zone = "Europe/London"']
BAD_FOLDERS = ['"/dev/null"', '"settings.toml"', '"settings.toml/sub"', '"a\\u0000b"', '"a\\nb"', '"seal.p12"']
BAD_SEALS = ['"missing.p12"', '"."', '"/dev/null"', '"empty.p12"', '"a\\u0000b"', '"pdfs"', '"/nonexistent/x.pfx"']
BAD_BYTES = [b"\xff", b"\xe9", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82", b"\x80", b"\xf8\x88\x80\x80\x80"]


@dataclass
class Chunk:
    text: str  # one statement, comment or blank line; a multi-line value holds "\n"
    key: str | None = None


@dataclass
class Case:
    name: str
    data: bytes
    line: int | None  # the line the message must name first; None when the error has no line
    fragment: str  # a piece of text the message must contain


def _kind_of(key):
    return type(getattr(Settings(), key))


def _key_text(rng, key):
    return rng.choice([key, key, f'"{key}"', f"'{key}'", f"  {key}", f"\t{key}",
                       '"' + key.replace("_", "\\u005F", 1) + '"', f'"{key}"'.replace("_", "\\u005f")])


def _statement(rng, key, value, *, comment=True):
    text = _key_text(rng, key) + rng.choice([" = ", "=", "   =   ", "\t=\t", " =", "= "]) + value
    if comment and "\n" not in value and rng.random() < 0.2:
        text += "  # " + rng.choice(["noted", 'was "A5"', "time_zone = 1"])
    return text


def valid_chunks(rng):
    """A valid settings file in some layout: a random subset of keys, odd spacing and quoting."""
    chunks = [Chunk("# Vertebroplasty kiosk settings")] if rng.random() < 0.5 else []
    for key in rng.sample(KEYS, k=rng.randint(4, len(KEYS))):
        if rng.random() < 0.3:
            chunks.append(Chunk(rng.choice(["", "# a comment", "   # indented", '# time_zone = "Nowhere"', "  "])))
        chunks.append(Chunk(_statement(rng, key, rng.choice(VALID[key])), key))
    return chunks


def _line_of(chunks, index, offset=0):
    return 1 + sum(chunk.text.count("\n") + 1 for chunk in chunks[:index]) + offset


def _render(chunks, newline="\n", final_newline=True):
    text = "\n".join(chunk.text for chunk in chunks) + ("\n" if final_newline else "")
    return text.replace("\n", newline)


def _set(rng, chunks, key, text):
    """`chunks` with `key`'s statement replaced by `text` (inserted somewhere if absent): (chunks, index)."""
    chunks = list(chunks)
    where = [i for i, chunk in enumerate(chunks) if chunk.key == key]
    if where:
        chunks[where[0]] = Chunk(text, key)
        return chunks, where[0]
    index = rng.randint(0, len(chunks))
    chunks.insert(index, Chunk(text, key))
    return chunks, index


def _append(chunks, key, text):
    """`key`'s statement removed and `text` (a [table] that would swallow what follows) put last."""
    chunks = [chunk for chunk in chunks if chunk.key != key] + [Chunk(text, key)]
    return chunks, len(chunks) - 1


def _mutations(rng):
    """(name, mutate) pairs; mutate(rng, chunks) -> (chunks, index, offset, fragment, options)."""
    found = []

    def add(name, mutate):
        found.append((name, mutate))

    for key in KEYS:
        for wrong in WRONG[_kind_of(key)]:
            add(f"type-{key}-{wrong}", lambda r, c, k=key, w=wrong: (*_set(r, c, k, _statement(r, k, w)), 0,
                                                                     f'"{k}"', {}))
        for table in [f"[{key}]\nx = 1", f"[[{key}]]", f'[ "{key}" . x ]\ny = 2']:
            add(f"table-{key}", lambda r, c, k=key, t=table: (*_append(c, k, t), 0, f'"{k}"', {}))
        for inline in ["{ a = 1 }", "[]", "[[1], [2]]"]:
            add(f"inline-{key}", lambda r, c, k=key, v=inline: (*_set(r, c, k, _statement(r, k, v)), 0, "not a", {}))
        add(f"dotted-{key}", lambda r, c, k=key: (*_set(r, c, k, f"{k}.sub = 1"), 0, "not a table", {}))
    for key, (low, high) in RANGES.items():
        for number in [low - 1, high + 1, 0, -1, 10 ** 20, -(10 ** 6)]:
            add(f"range-{key}-{number}", lambda r, c, k=key, n=number: (*_set(r, c, k, _statement(r, k, str(n))), 0,
                                                                          "out of range", {}))
    for zone in BAD_ZONES:
        add(f"zone-{zone[:20]}", lambda r, c, z=zone: (*_set(r, c, "time_zone", _statement(r, "time_zone", f'"{z}"')),
                                                        0, "unknown time zone", {}))
    for code in BAD_LANGUAGES:
        add(f"language-{code[:20]}", lambda r, c, v=code: (*_set(r, c, "default_language",
                                                                   _statement(r, "default_language", f'"{v}"')),
                                                             0, '"default_language"', {}))
    for name in BAD_NAMES:
        add(f"name-{name[:20]}", lambda r, c, v=name: (*_set(r, c, "hospital_name", _statement(r, "hospital_name", v)),
                                                        0, '"hospital_name"', {}))
    for size in BAD_PAGES:
        add(f"page-{size}", lambda r, c, v=size: (*_set(r, c, "page_size", _statement(r, "page_size", v)), 0,
                                                   '"page_size"', {}))
    for text in UNKNOWN:
        add(f"unknown-{text[:20]}", lambda r, c, t=text: _insert(r, c, t, "unknown setting"))
    for text in UNKNOWN_TABLES:
        add(f"unknown-table-{text[:20]}", lambda r, c, t=text: (*_append(c, "~table", t), 0, "unknown setting", {}))
    for folder in BAD_FOLDERS:
        add(f"folder-{folder}", lambda r, c, v=folder: (*_set(r, c, "consents_folder",
                                                              _statement(r, "consents_folder", v)), 0, "consents", {}))
    for seal in BAD_SEALS:
        add(f"seal-{seal}", lambda r, c, v=seal: (*_set(r, c, "seal_certificate", _statement(r, "seal_certificate", v)),
                                                   0, "seal_certificate", {}))
    syntax = "not valid TOML"
    for key in ["hospital_name", "time_zone", "page_size", "consents_folder"]:
        add(f"unclosed-quote-{key}", lambda r, c, k=key: (*_set(r, c, k, _statement(r, k, '"abc', comment=False)), 0,
                                                          syntax, {}))
        add(f"unclosed-quote-last-{key}", lambda r, c, k=key: (*_append(c, k, _statement(r, k, '"abc')), 0, syntax,
                                                               {"final_newline": False}))
        for bad in ['"a\\qb"', '"\\u12"', '"\\uD800"', '"\\x41"', '"C:\\Users"']:
            add(f"escape-{key}-{bad}", lambda r, c, k=key, b=bad: (*_set(r, c, k, _statement(r, k, b)), 0, syntax, {}))
    add("escape-multiline", lambda r, c: (*_set(r, c, "hospital_name", 'hospital_name = """first\nsecond \\q"""'), 1,
                                          syntax, {}))
    add("escape-multiline-3", lambda r, c: (*_set(r, c, "seal_certificate_password",
                                                  'seal_certificate_password = """a\nb\n\\uZZZZ\n"""'), 2, syntax, {}))
    for key in KEYS:
        add(f"missing-equals-{key}", lambda r, c, k=key: (*_set(r, c, k, _key_text(r, k) + " " + r.choice(VALID[k])),
                                                          0, syntax, {}))
        add(f"duplicate-{key}", lambda r, c, k=key: _duplicate(r, c, k))
        for bare in ["A4", "yes", "12 seconds", "1979-13-45", '"a" "b"', "", "0777", "1 2", "[1 2]", "{ a = 1, }"]:
            add(f"bare-{key}-{bare}", lambda r, c, k=key, b=bare: (*_set(r, c, k, f"{k} = {b}"), 0, syntax, {}))
        add(f"unclosed-array-{key}", lambda r, c, k=key: (*_set(r, c, k, f"{k} = [1, 2"), 0, syntax, {}))
        add(f"unclosed-array-last-{key}", lambda r, c, k=key: (*_append(c, k, f"{k} = [\n1,\n2"), 0, syntax,
                                                               {"final_newline": False}))
        add(f"unclosed-inline-{key}", lambda r, c, k=key: (*_set(r, c, k, f"{k} = {{ a = 1"), 0, syntax, {}))
        add(f"unclosed-multiline-{key}", lambda r, c, k=key: (*_append(c, k, f'{k} = """never\nclosed'), 0, syntax,
                                                              {}))
        add(f"lone-cr-{key}", lambda r, c, k=key: (*_set(r, c, k, f"{k} = 1\r{k}2 = 2"), 0, syntax, {}))
        add(f"nul-{key}", lambda r, c, k=key: (*_set(r, c, k, f'{k} = "a\x00b"'), 0, syntax, {}))
        for deep in ["[" * 3000 + "]" * 3000, "{a=" * 3000 + "1" + "}" * 3000, "[\n" * 1000 + "]\n" * 999 + "]",
                     "[" * 150 + "]" * 150]:
            add(f"deep-{key}", lambda r, c, k=key, d=deep: (*_set(r, c, k, f"{_key_text(r, k)} = {d}"), 0,
                                                            "nested", {}))
    for broken in ["[extra", "[]", "[[extra]", "[" * 3000 + "x" + "]" * 3000, '= "x"', "}", '"unterminated key = 1',
                   "\u00a0time_zone = 'UTC'", "hospital_name", "[a]\n[a]", "\ufeffhospital_name = 'A'",
                   "time_zone = 'UTC' = 'UTC'", "a = 1\na.b = 2"]:
        last = broken in ("[a]\n[a]",) or broken.startswith("a = 1")
        offset = 1 if "\n" in broken else 0
        add(f"broken-{broken[:20]}", lambda r, c, t=broken, o=offset, l=last: (
            *(_append(c, "~broken", t) if l else _insert(r, c, t, syntax)[:2]), o, syntax, {}))
    for bad in BAD_BYTES:
        add(f"bytes-{bad.hex()}", lambda r, c, b=bad: _bad_bytes(r, c, b))
    add("latin-1", lambda r, c: (*_set(r, c, "hospital_name", 'hospital_name = "Hôpital"'), 0, "not UTF-8",
                                 {"encoding": "latin-1"}))
    add("utf-16", lambda r, c: (c, None, 0, "UTF-16", {"encoding": "utf-16"}))
    add("double-bom", lambda r, c: (c, 0, 0, syntax, {"prefix": "\ufeff\ufeff"}))
    return found


def _insert(rng, chunks, text, fragment):
    chunks = list(chunks)
    index = rng.randint(0, len(chunks))
    chunks.insert(index, Chunk(text, "~inserted"))
    return chunks, index, 0, fragment, {}


def _duplicate(rng, chunks, key):
    chunks, index = _set(rng, chunks, key, _statement(rng, key, rng.choice(VALID[key])))
    again = rng.randint(index + 1, len(chunks))
    chunks.insert(again, Chunk(_statement(rng, key, rng.choice(VALID[key])), key))
    return chunks, again, 0, "not valid TOML", {}


def _bad_bytes(rng, chunks, bad):
    index = rng.randrange(len(chunks))
    return chunks, index, 0, "not UTF-8", {"bad_bytes": bad}


def _encode(chunks, index, options, newline):
    text = options.get("prefix", "") + _render(chunks, newline, options.get("final_newline", True))
    data = text.encode(options.get("encoding", "utf-8"))
    if "bad_bytes" in options:  # at the end of the broken chunk's first line
        start = len(_render(chunks[:index], newline).encode()) if index else 0
        first = chunks[index].text.split("\n")[0].replace("\n", newline).encode()
        at = start + len(first)
        data = data[:at] + options["bad_bytes"] + data[at:]
    return data


@functools.cache
def malformed_cases() -> tuple[Case, ...]:
    """Every mutation applied to two differently laid out valid files: deterministic (seeded)."""
    rng = random.Random(FUZZ_SEED)
    cases = []
    for round_ in range(2):
        for name, mutate in _mutations(rng):
            chunks, index, offset, fragment, options = mutate(rng, valid_chunks(rng))
            newline = "\r\n" if rng.random() < 0.15 else "\n"
            data = _encode(chunks, index, options, newline)
            if rng.random() < 0.15 and "encoding" not in options and "prefix" not in options:
                data = b"\xef\xbb\xbf" + data  # a BOM changes no line
            line = None if index is None else _line_of(chunks, index, offset)
            cases.append(Case(f"{len(cases):03d}-{name}", data, line, fragment))
    return tuple(cases)


def valid_files() -> list[bytes]:
    rng = random.Random(FUZZ_SEED + 1)
    files = []
    for number in range(60):
        data = _render(valid_chunks(rng), "\r\n" if number % 4 == 0 else "\n").encode()
        files.append(b"\xef\xbb\xbf" + data if number % 3 == 0 else data)
    return files


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("fuzz")
    (data / "seal.p12").write_bytes(b"0\x82\x01\x00not really PKCS#12")
    (data / "empty.p12").write_bytes(b"")
    return data


def test_the_generator_s_valid_files_all_load(fuzz_dir):
    for data in valid_files():
        (fuzz_dir / "settings.toml").write_bytes(data)
        assert isinstance(load_settings(fuzz_dir), Settings), data


def test_the_fuzz_test_generates_enough_malformed_files():
    cases = malformed_cases()
    assert len(cases) >= 500 and len({case.data for case in cases}) >= 500


@pytest.mark.parametrize("case", malformed_cases(), ids=lambda case: case.name)
def test_a_malformed_settings_file_is_refused_naming_the_file_and_line(fuzz_dir, case):
    path = fuzz_dir / "settings.toml"
    path.write_bytes(case.data)
    with pytest.raises(SettingsError) as caught:  # any other exception fails the test
        load_settings(fuzz_dir)
    message = str(caught.value)
    assert str(path) in message and case.fragment in message and "Traceback" not in message, message
    if case.line is not None:
        assert _first_line(message) == case.line, message
