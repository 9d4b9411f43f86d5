"""The generated fuzz test of the settings file: valid files in many layouts, each broken by one
mutation that knows which line it broke. Every one must be refused with a SettingsError naming the
file and, for an error about a key or the TOML syntax, that real line first.

The rules themselves, one behaviour per test, are in tests/test_settings.py (and the line finder's
in tests/test_settings_lines.py); this file checks they hold together on 1,280 generated files.
tests/test_cli.py runs the same files through the CLI.
"""

import functools
import random
import re
from dataclasses import dataclass, fields

import pytest

from kiosk.settings import Settings, SettingsError, load_settings


def _first_line(message: str) -> int | None:
    found = re.search(r"\bline (\d+)\b", message)
    return int(found.group(1)) if found else None


FUZZ_SEED = 20240611
KEYS = [f.name for f in fields(Settings)]
VALID = {
    "hospital_name": ['"St Mary\'s Hospital"', "'Royal Infirmary'", '"A"', '"Hôpital Saint-Louis"'],
    "page_size": ['"A4"', '"Letter"', "'letter'"],
    "idle_timeout_seconds": ["120", "30", "3600", "+300", "1_200"],
    "idle_countdown_seconds": ["30", "5", "300"],
    "done_screen_seconds": ["30", "5", "600"],
    "time_zone": ['"Europe/London"', '""', '"America/Argentina/Buenos_Aires"', '"UTC"', '"Etc/GMT+5"'],
    "default_language": ['"en"', "'en'", '"ar"'],
    "languages": ["[]", '["en"]', '["en", "ar", "zh"]', "[ 'es' , 'en' ]"],
    "staff_language": ['"en"', "'de'"],
    "procedure": ['"vertebroplasty"'],
    "consents_folder": ['""', '"consents"', '"pdfs/2026"'],
    "reduce_motion": ["true", "false"],
    "high_contrast": ["true", "false"],
    "large_text": ["false", "true"],
    "read_aloud_by_default": ["false", "true"],
    "seal_certificate": ['""', '"seal.p12"'],
    "mrn_pattern": ['"[A-Za-z0-9-]{3,20}"', "'[0-9]{6,8}'", "'MRN\\d+'"],
    "kiosk_id": ['""', '"ward-3-kiosk"', "'kiosk.2'"],
    "central_database": ['""', '"postgresql://kiosk@127.0.0.1:5432/consents"', "'postgres://k:p@db/c'"],
    "fhir_url": ['""', '"https://fhir.example.org/fhir"', "'http://127.0.0.1:8090/fhir'"],
    "hl7_address": ['""', '"127.0.0.1:2575"', "'mdm.example.org:6661'"],
    "fhir_mrn_system": ['""', '"urn:oid:1.2.826.0.1.3680043.9.1"', "'https://hospital.example/mrn'"],
    "hl7_sending_facility": ['""', '"WARD3"'],
    "hl7_receiving_application": ['""', '"EPR"'],
    "hl7_receiving_facility": ['""', '"STELSEWHERE"'],
    "seal_certificate_password": ['""', '"s3cret"', "'''\nline one\ntime_zone = \"Nowhere\"\n'''",
                                  '"""\n[not_a_table]\nhospital_name = 5"""'],
}
WRONG = {
    str: ["1", "true", "1.5", "[]", '["x"]', "{ a = 1 }", "1979-05-27", "07:32:00", "nan", "-inf", "0x1F"],
    int: ['"120"', "true", "120.0", "[120]", "{}", "1979-05-27T07:32:00Z", "inf", "'soon'"],
    bool: ['"yes"', "1", '"true"', "[true]", "0", "{}"],
    tuple: ['"en"', "1", "true", "{ a = 1 }", "[1]", '["xx"]', '["en", "en"]', "1979-05-27"],
}
RANGES = {"idle_timeout_seconds": (30, 3600), "idle_countdown_seconds": (5, 300), "done_screen_seconds": (5, 600)}
BAD_ZONES = ["Europe", "../etc/passwd", "/etc/localtime", "Europe/London/", "UTC\\u0000", "Mars/Olympus",
             "europe/london", " Europe/London", "Europe//London", "zone.tab", "tzdata.zi", "leapseconds",
             "Europe/../UTC", "posixrules", "Europe/London\\n", "x" * 300, "America", "UTC ", "Europe\\\\London",
             "Europe/Lon don"]
BAD_LANGUAGES = ["xx", "EN", "", "en_GB", "../en", "e\\u0000n", "english", "en ", "x" * 200, "hi"]
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
        for inline in ["{ a = 1 }"] if _kind_of(key) is tuple else ["{ a = 1 }", "[]", "[[1], [2]]"]:
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
    index = rng.randint(1 if text.startswith("\ufeff") else 0, len(chunks))  # a BOM first is allowed
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
