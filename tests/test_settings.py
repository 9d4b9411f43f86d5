"""kiosk.settings: what each value in settings.toml may be, one behaviour per test, each message
asserted whole with its line. How the file is found, read and written and the folders it names:
tests/test_settings_files.py. Where keys and statements are in the text: tests/test_settings_lines.py.
The generated fuzz (1,280 broken files, all the rules together): tests/test_settings_fuzz.py."""

import zoneinfo

import pytest

import kiosk.settings
from kiosk.settings import Settings, SettingsError, default_settings_text, parse_settings


KNOWN = ("hospital_name, page_size, idle_timeout_seconds, idle_countdown_seconds, done_screen_seconds, time_zone, "
         "default_language, languages, staff_language, procedure, consents_folder, reduce_motion, high_contrast, large_text, read_aloud_by_default, seal_certificate, "
         "seal_certificate_password, mrn_pattern, kiosk_id, central_database, fhir_url, hl7_address, "
         "fhir_mrn_system, hl7_sending_facility, hl7_receiving_application, hl7_receiving_facility")


FIX_TOML = " Fix that line, or delete the file to start again from the defaults."


ZONE_ADVICE = '; use an IANA name such as "Europe/London", or "" for the computer\'s own zone.'


HELP = {
    "idle_timeout_seconds": 'seconds without a touch before the kiosk asks "Are you still there?" (30 to 3600)',
    "idle_countdown_seconds": "seconds the patient has to answer that question (5 to 300)",
    "done_screen_seconds": "seconds the thank-you screen stays before the kiosk returns to Welcome (5 to 600)",
}


def __getattr__(name):
    # tests/test_cli.py takes the generated files from here; made only when asked for
    if name == "malformed_cases":
        from tests.test_settings_fuzz import malformed_cases

        return malformed_cases
    raise AttributeError(name)


def _problems(text: str) -> list[str]:
    """parse_settings' message for `text`, one string per problem (it must refuse the text)."""
    with pytest.raises(SettingsError) as caught:
        parse_settings(text)
    return str(caught.value).splitlines()


# --- the default file -----------------------------------------------------------------------------


DEFAULT_TEXT = """\
# Vertebroplasty consent kiosk settings. Delete a line to use the default.

# the name printed on every consent
hospital_name = "Your hospital"

# "A4" or "Letter"
page_size = "A4"

# seconds without a touch before the kiosk asks "Are you still there?" (30 to 3600)
idle_timeout_seconds = 120

# seconds the patient has to answer that question (5 to 300)
idle_countdown_seconds = 30

# seconds the thank-you screen stays before the kiosk returns to Welcome (5 to 600)
done_screen_seconds = 30

# an IANA time zone such as "Europe/London"; empty means the computer's own
time_zone = ""

# the language code the Welcome screen starts in, such as "en"
default_language = "en"

# the languages Welcome offers, in order, as a list of codes such as ["en", "es", "ar"]; empty or left out offers every installed language
languages = []

# the hospital's working language, such as "en": a consent in another language gets a summary page in it, and the nurse station starts in it
staff_language = "en"

# the content pack the kiosk shows, such as "vertebroplasty" (assets/content/<procedure>.toml)
procedure = "vertebroplasty"

# where consent PDFs are stored; relative paths are inside the data folder
consents_folder = ""

# true to show still pictures instead of animations
reduce_motion = false

# true for black-on-white screens and strong picture colours
high_contrast = false

# true for text a quarter larger on every screen
large_text = false

# true to read each screen aloud as soon as it is shown ("Read to me" stops it)
read_aloud_by_default = false

# a PKCS#12 (.p12/.pfx) file with the hospital's own signing certificate; empty means the kiosk makes and uses \
its own key
seal_certificate = ""

# the password of that PKCS#12 file
seal_certificate_password = ""

# a regular expression a hospital number (MRN) must match as a whole
mrn_pattern = "[A-Za-z0-9-]{3,20}"

# this kiosk's name in the central database, such as "ward-3-kiosk"; empty means the computer's host name
kiosk_id = ""

# a PostgreSQL address, postgresql://user:password@host:5432/database, that every consent and review event is also sent to; empty keeps them on this computer only
central_database = ""

# the base URL of the hospital's FHIR R4 server, such as https://fhir.example.org/fhir; each consent is sent to it as a transaction Bundle; empty sends nothing
fhir_url = ""

# an HL7 v2 MLLP listener, "host:port", that each consent is sent to as MDM^T02 with its PDF; empty sends nothing
hl7_address = ""

# the hospital's system URI (or urn:oid:...) of its hospital numbers, for the FHIR Patient's identifier; empty means urn:kiosk:mrn
fhir_mrn_system = ""

# MSH-4 of the HL7 messages: the code the hospital's interface team gave this kiosk
hl7_sending_facility = ""

# MSH-5 of the HL7 messages: the application that receives them
hl7_receiving_application = ""

# MSH-6 of the HL7 messages: the hospital's facility code
hl7_receiving_facility = ""
"""


def test_the_default_file_names_every_setting_with_what_it_means():
    assert default_settings_text() == DEFAULT_TEXT


def test_the_default_file_parses_back_to_the_defaults():
    assert parse_settings(default_settings_text()) == Settings()


# --- number ranges: both ends in, one past either end out -----------------------------------------


@pytest.mark.parametrize("key, value", [
    ("idle_timeout_seconds", 30), ("idle_timeout_seconds", 3600),
    ("idle_countdown_seconds", 5), ("idle_countdown_seconds", 300),
    ("done_screen_seconds", 5), ("done_screen_seconds", 600),
])
def test_a_number_at_either_end_of_its_range_is_accepted(key, value):
    assert getattr(parse_settings(f"{key} = {value}\n"), key) == value


@pytest.mark.parametrize("key, value", [
    ("idle_timeout_seconds", 29), ("idle_timeout_seconds", 3601),
    ("idle_countdown_seconds", 4), ("idle_countdown_seconds", 301),
    ("done_screen_seconds", 4), ("done_screen_seconds", 601),
    ("idle_timeout_seconds", -120), ("done_screen_seconds", 10 ** 30),
])
def test_a_number_past_either_end_of_its_range_is_refused(key, value):
    assert _problems(f'page_size = "A4"\n{key} = {value}\n') == [
        f'settings.toml, line 2: "{key}" must be {HELP[key]}; {value} is out of range.']


# --- types ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("line, problem", [
    ('reduce_motion = "yes"', "\"reduce_motion\" must be true or false, not 'yes': true to show still pictures "
                              "instead of animations."),
    ("large_text = 0", '"large_text" must be true or false, not 0: true for text a quarter larger on every screen.'),
    ("idle_timeout_seconds = 120.0", f'"idle_timeout_seconds" must be a whole number, not 120.0: '
                                     f'{HELP["idle_timeout_seconds"]}.'),
    ("idle_countdown_seconds = true", f'"idle_countdown_seconds" must be a whole number, not true: '
                                      f'{HELP["idle_countdown_seconds"]}.'),
    ('done_screen_seconds = "30"', f'"done_screen_seconds" must be a whole number, not \'30\': '
                                   f'{HELP["done_screen_seconds"]}.'),
    ("hospital_name = false", '"hospital_name" must be text in quotes, not false: the name printed on every consent.'),
    ("page_size = 1979-05-27", '"page_size" must be text in quotes, not the date/time 1979-05-27: "A4" or "Letter".'),
    ("time_zone = 07:32:00", '"time_zone" must be text in quotes, not the date/time 07:32:00: an IANA time zone such '
                             'as "Europe/London"; empty means the computer\'s own.'),
    ("default_language = 1979-05-27T07:32:00", '"default_language" must be text in quotes, not the date/time '
                                               '1979-05-27T07:32:00: the language code the Welcome screen starts '
                                               'in, such as "en".'),
    ("page_size = [1]", '"page_size" must be text in quotes, not a list: "A4" or "Letter".'),
    ("page_size = { a = 1 }", '"page_size" must be text in quotes, not a table: "A4" or "Letter".'),
    ("page_size.sub = 1", '"page_size" must be text in quotes, not a table: "A4" or "Letter".'),
    ("consents_folder = 1.5", '"consents_folder" must be text in quotes, not 1.5: where consent PDFs are stored; '
                              'relative paths are inside the data folder.'),
])
def test_a_value_of_the_wrong_type_says_what_it_is_and_what_is_wanted(line, problem):
    assert _problems(f"high_contrast = false\n\n{line}\n") == [f"settings.toml, line 3: {problem}"]


@pytest.mark.parametrize("value, kind", [
    ("12345678", "a whole number"), ("1.5", "a decimal number"), ("true", "true or false"),
    ("1979-05-27", "a date/time"), ("07:32:00", "a date/time"), ("1979-05-27T07:32:00Z", "a date/time"),
    ("[1]", "a list"), ("{ a = 1 }", "a table"),
])
def test_the_seal_password_is_never_shown_only_its_kind(value, kind):
    assert _problems(f"seal_certificate_password = {value}\n") == [
        f'settings.toml, line 1: "seal_certificate_password" must be text in quotes, not {kind}: the password of '
        f'that PKCS#12 file.']


def test_the_seal_password_is_not_in_the_settings_repr():
    assert "hunter2" not in repr(Settings(seal_certificate_password="hunter2"))


# --- mrn_pattern ----------------------------------------------------------------------------------


MRN_DEFAULT_ADVICE = ' The default is "[A-Za-z0-9-]{3,20}"; delete the line to use it.'


def test_the_default_mrn_pattern_is_the_rule_the_station_always_had():
    import re

    pattern = re.compile(Settings().mrn_pattern)
    assert [bool(pattern.fullmatch(m)) for m in ("40512", "AB-1234", "12", "x" * 21, "40 512", "40/512")] == [
        True, True, False, False, False, False]


@pytest.mark.parametrize("written, pattern", [
    ("mrn_pattern = '[0-9]{6,8}'", "[0-9]{6,8}"),
    ("mrn_pattern = 'MRN\\d{5}'", "MRN\\d{5}"),
    ('mrn_pattern = "[0-9]{2}/[0-9]{4}"', "[0-9]{2}/[0-9]{4}"),
])
def test_a_hospital_sets_its_own_mrn_pattern(written, pattern):
    assert parse_settings(written + "\n").mrn_pattern == pattern


def test_an_mrn_pattern_that_is_not_a_regular_expression_says_so_kindly():
    assert _problems('page_size = "A4"\nmrn_pattern = "[0-9"\n') == [
        'settings.toml, line 2: "mrn_pattern" is not a regular expression the kiosk can read (unterminated '
        "character set at position 0). In TOML, write it in single quotes ('...') so that a backslash stays a "
        "backslash." + MRN_DEFAULT_ADVICE]


@pytest.mark.parametrize("pattern", ["", "[0-9]*", "x?", "(MRN)?[0-9]{0,6}"])
def test_an_mrn_pattern_that_accepts_an_empty_number_is_refused(pattern):
    assert _problems(f"mrn_pattern = '{pattern}'\n") == [
        'settings.toml, line 1: "mrn_pattern" accepts an empty hospital number; it must ask for at least one '
        "character." + MRN_DEFAULT_ADVICE]


def test_an_mrn_pattern_longer_than_200_characters_is_refused():
    assert _problems(f"mrn_pattern = '{'[0-9]' * 41}'\n") == [
        'settings.toml, line 1: "mrn_pattern" is 205 characters long; at most 200.' + MRN_DEFAULT_ADVICE]


def test_an_mrn_pattern_of_the_wrong_type_says_what_is_wanted():
    assert _problems("mrn_pattern = 6\n") == [
        'settings.toml, line 1: "mrn_pattern" must be text in quotes, not 6: a regular expression a hospital '
        "number (MRN) must match as a whole."]


# --- page_size ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["A4", "a4", "Letter", "letter", "LETTER"])
def test_page_size_is_a4_or_letter_in_any_case(size):
    assert parse_settings(f'page_size = "{size}"\n').page_size == size


@pytest.mark.parametrize("size, shown", [
    ("A5", "'A5'"),
    ("", "''"),
    ("A4 ", "'A4 '"),
    ("x" * 60, repr("x" * 60)),
    ("x" * 61, repr("x" * 50) + "... (61 characters)"),
])
def test_page_size_refused_shows_what_was_written_and_short(size, shown):
    assert _problems(f'page_size = "{size}"\n') == [
        f'settings.toml, line 1: "page_size" must be "A4" or "Letter", not {shown}.']


# --- hospital_name --------------------------------------------------------------------------------


def test_a_hospital_name_of_120_characters_is_accepted():
    assert parse_settings(f'hospital_name = "{"Ä" * 120}"\n').hospital_name == "Ä" * 120


@pytest.mark.parametrize("length", [121, 1800])
def test_a_hospital_name_longer_than_120_characters_is_refused(length):
    assert _problems(f'page_size = "A4"\nhospital_name = "{"Ä" * length}"\n') == [
        f'settings.toml, line 2: "hospital_name" is {length} characters long; at most 120 fit on a consent.']


@pytest.mark.parametrize("name", ['""', '"   "', '"\\t \\t"', "''"])
def test_a_blank_hospital_name_is_refused(name):
    assert _problems(f"hospital_name = {name}\n") == [
        'settings.toml, line 1: "hospital_name" must not be blank: it is printed on every consent.']


@pytest.mark.parametrize("name, code, position", [
    ('"St\\u0007Mary"', "0007", 3),
    ('"\\u0000"', "0000", 1),
    ('"St\\nMary"', "000A", 3),
    ('"""St\nMary"""', "000A", 3),
    ("'St\tMary'", "0009", 3),
    ('"St Mary\\u007f"', "007F", 8),
    ('"St\\u2028Mary"', "2028", 3),
    ('"St\\u2029Mary"', "2029", 3),
    ('"\\u001b[31mRed"', "001B", 1),
])
def test_a_hospital_name_with_a_control_character_names_it_and_where(name, code, position):
    assert _problems(f'page_size = "A4"\nhospital_name = {name}\n') == [
        f'settings.toml, line 2: "hospital_name" contains a control character (U+{code}) at character {position}; '
        f'the name must be plain text on one line.']


def test_a_hospital_name_with_a_lone_surrogate_is_refused():
    assert _problems('hospital_name = "St\ud800Mary"\n') == [
        'settings.toml, line 1: "hospital_name" contains a control character (U+D800) at character 3; the name '
        'must be plain text on one line.']


@pytest.mark.parametrize("name", ["St Mary's", "Hôpital Saint-Louis", "Łódź", "مستشفى", "A\u00a0B", "\u200fA"])
def test_a_hospital_name_in_any_script_is_accepted(name):
    assert parse_settings(f'hospital_name = "{name}"\n').hospital_name == name


# --- time_zone ------------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["", "UTC", "Europe/London", "America/Argentina/Buenos_Aires", "Etc/GMT+5",
                                  "Etc/GMT-14"])
def test_a_real_iana_zone_or_none_is_accepted(zone):
    assert parse_settings(f'time_zone = "{zone}"\n').time_zone == zone


@pytest.mark.parametrize("zone, shown", [
    ("Europe", "'Europe'"),
    ("Mars/Olympus", "'Mars/Olympus'"),
    ("../etc", "'../etc'"),
    ("/etc/localtime", "'/etc/localtime'"),
    ("Europe/London/", "'Europe/London/'"),
    ("Europe//London", "'Europe//London'"),
    ("UTC\\u0000", "'UTC\\x00'"),
    ("zone.tab", "'zone.tab'"),
    ("posixrules", "'posixrules'"),
    ("Europe\\\\London", "'Europe\\\\London'"),
    ("x" * 65, repr("x" * 50) + "... (65 characters)"),
])
def test_a_zone_that_is_not_a_real_iana_zone_is_refused(zone, shown):
    assert _problems(f'# zone\nhospital_name = "A"\n  "time_zone"  =  "{zone}"\n') == [
        f"settings.toml, line 3: unknown time zone {shown}{ZONE_ADVICE}"]


@pytest.mark.parametrize("zone, meant", [
    ("europe/london", "Europe/London"),
    ("EUROPE/LONDON", "Europe/London"),  # too far for a close match: the same letters in another case
    ("Europe/Londn", "Europe/London"),
    ("America/Buenos_Aires_", "America/Buenos_Aires"),
])
def test_a_misspelt_zone_gets_a_suggestion(zone, meant):
    assert _problems(f'time_zone = "{zone}"\n') == [
        f"settings.toml, line 1: unknown time zone '{zone}' (did you mean \"{meant}\"?){ZONE_ADVICE}"]


def test_a_zone_listed_but_not_loadable_is_refused(monkeypatch):
    def broken(name):
        raise ValueError("not a TZif file")

    monkeypatch.setattr(zoneinfo, "ZoneInfo", broken)
    assert _problems('time_zone = "Europe/London"\n') == [
        "settings.toml, line 1: time zone 'Europe/London' cannot be loaded (not a TZif file)."]


def test_with_no_readable_zone_database_every_zone_is_unknown(monkeypatch):
    def unreadable():
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(zoneinfo, "available_timezones", unreadable)
    kiosk.settings._known_zones.cache_clear()
    try:
        assert _problems('time_zone = "Europe/London"\n') == [
            f"settings.toml, line 1: unknown time zone 'Europe/London'{ZONE_ADVICE}"]
    finally:
        kiosk.settings._known_zones.cache_clear()


# --- default_language -----------------------------------------------------------------------------


def test_an_installed_language_is_accepted():
    assert parse_settings('default_language = "en"\n').default_language == "en"


@pytest.mark.parametrize("code", ["xx", "EN", "", "en ", "../en"])
def test_a_language_that_is_not_installed_is_refused_listing_those_that_are(code):
    from kiosk.content import available_languages

    installed = ", ".join(f'"{known}" ({name})' for known, name in available_languages())
    assert _problems(f'hospital_name = "A"\n\ndefault_language = "{code}"\n') == [
        f'settings.toml, line 3: "default_language" must be an installed language: {installed}; {code!r} is not '
        f'installed.']


@pytest.mark.parametrize("text, problem", [
    ('languages = ["en", "xx"]', "\"languages\" must be an installed language"),
    ('languages = ["en", "en"]', "names a language twice"),
    ('languages = [1]', "each code is text in quotes"),
    ('languages = "en"', "\"languages\" must be a list"),
    ('staff_language = "xx"', "\"staff_language\" must be an installed language"),
    ('procedure = "knee"', "there is no assets/content/knee.toml"),
    ('procedure = "../x"', "is not a procedure id"),
])
def test_languages_staff_language_and_procedure_are_checked(text, problem):
    [message] = _problems(text + "\n")
    assert problem in message, message


def test_the_languages_setting_is_kept_in_its_order():
    settings = parse_settings('languages = ["en", "ar"]\nstaff_language = "en"\n')
    assert settings.languages == ("en", "ar") and settings.staff_language == "en"


@pytest.mark.parametrize("languages, listed", [
    ((("en", "English"), ("fr", "Français")), '"en" (English), "fr" (Français)'),
    ((), "none"),
])
def test_the_installed_languages_are_listed_each_with_its_name(monkeypatch, languages, listed):
    monkeypatch.setattr("kiosk.settings._installed_languages", lambda: languages)
    assert _problems('default_language = "de"\n') == [
        f"settings.toml, line 1: \"default_language\" must be an installed language: {listed}; 'de' is not "
        f"installed."]


def test_unreadable_translations_are_a_message_not_a_traceback(monkeypatch):
    def broken():
        raise OSError("translations/en.toml is damaged")

    monkeypatch.setattr("kiosk.settings._installed_languages", broken)
    assert _problems('default_language = "en"\n') == [
        'settings.toml, line 1: "default_language" cannot be checked: the translations cannot be read '
        '(translations/en.toml is damaged).']


# --- paths ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["consents_folder", "seal_certificate"])
@pytest.mark.parametrize("value, code", [("a\\u0000b", "0000"), ("a\\nb", "000A"), ("\\u007f", "007F")])
def test_a_path_with_a_control_character_is_refused(key, value, code):
    assert _problems(f'hospital_name = "A"\n{key} = "{value}"\n') == [
        f'settings.toml, line 2: "{key}" contains a control character (U+{code}); it must be a path.']


# --- unknown settings, and every problem at once --------------------------------------------------


@pytest.mark.parametrize("line, key, guess", [
    ('hopsital_name = "A"', '"hopsital_name"', ' Did you mean "hospital_name"?'),
    ("idle_timeout = 120", '"idle_timeout"', ' Did you mean "idle_timeout_seconds"?'),
    ('"Time_Zone" = "UTC"', '"Time_Zone"', ' Did you mean "time_zone"?'),
    ("hospital = 1", '"hospital"', ' Did you mean "hospital_name"?'),
    ("language = 1", '"language"', ' Did you mean "languages"?'),  # the list of languages, not default_language
    ("colour = 1", '"colour"', ""),
    ('"" = 1', '""', ""),
    ('"a\\u0007b" = 1', '"a\\u0007b"', ""),
    ("[printers]\nname = 1", '"printers"', ""),
])
def test_an_unknown_setting_is_named_with_a_guess_and_the_known_ones(line, key, guess):
    assert _problems(f'page_size = "A4"\n{line}\n') == [
        f"settings.toml, line 2: unknown setting {key}.{guess} Known settings: {KNOWN}."]


@pytest.mark.parametrize("length, shown", [(80, '"' + "k" * 80 + '"'), (81, '"' + "k" * 80 + '"...')])
def test_an_unknown_setting_s_name_is_shown_short(length, shown):
    assert _problems(f"{'k' * length} = 1\n") == [f"settings.toml, line 1: unknown setting {shown}. Known settings: "
                                                  f"{KNOWN}."]


def test_every_problem_in_the_file_is_reported_at_once_in_line_order():
    assert _problems('time_zone = "Europe"\nhopsital_name = "A"\n\nidle_timeout_seconds = 5\n') == [
        f"settings.toml, line 1: unknown time zone 'Europe'{ZONE_ADVICE}",
        f'settings.toml, line 2: unknown setting "hopsital_name". Did you mean "hospital_name"? Known settings: '
        f"{KNOWN}.",
        f'settings.toml, line 4: "idle_timeout_seconds" must be {HELP["idle_timeout_seconds"]}; 5 is out of range.']


def test_parse_settings_names_the_source_it_is_given():
    with pytest.raises(SettingsError) as caught:
        parse_settings("page_size = 1\n", source="/etc/kiosk/settings.toml")
    assert str(caught.value).startswith("/etc/kiosk/settings.toml, line 1: ")


@pytest.mark.parametrize("text, line", [
    ('"time_zone" = "Europe"\n', 1),
    ("\n'time_zone'='Europe'\n", 2),
    ('\n\n   time_zone   \t=   "Europe"   # the zone\n', 3),
    ('"time\\u005fzone" = "Europe"\n', 1),
    ('# time_zone = "Europe/London"\nhospital_name = "A"\ntime_zone = "Europe"\n', 3),
    ("seal_certificate_password = '''\ntime_zone = \"UTC\"\n'''\ntime_zone = \"Europe\"\n", 4),
    ('hospital_name = "A"\n[hospital]\ntime_zone = "Europe"\n', 2),
    ('time_zone . area = "Europe"\n', 1),
    ('[ "time_zone" ]\n', 1),
])
def test_a_problem_names_the_line_of_its_key_however_the_key_is_written(text, line):
    assert _problems(text)[0].startswith(f"settings.toml, line {line}: ")


# --- TOML syntax and nesting ----------------------------------------------------------------------


@pytest.mark.parametrize("text, line, what", [
    ('hospital_name = "A"\npage_size = "A4\nlarge_text = true\n', 2,
     "Illegal character '\\n'. Is a closing quote missing?"),
    ('hospital_name = "A"\npage_size = "A4', 2, "Unterminated string (at the end of the file). Is a closing quote "
                                                "missing?"),
    ('hospital_name = "A"\nlarge_text = true\n# x\nlarge_text = false\n', 4,
     "Cannot overwrite a value. Is this setting given twice?"),
    ("seal_certificate_password = '''\na\n'''\n'seal_certificate_password' = '''\nc\n'''\n", 4,
     "Cannot overwrite a value (noticed at line 6). Is this setting given twice?"),
    ('idle_timeout_seconds = [1, 2\nlarge_text = true\n', 1,
     "Unclosed array (noticed at line 2). Is a ] or a comma missing?"),
])
def test_a_syntax_error_names_its_line(text, line, what):
    assert _problems(text) == [f"settings.toml, line {line}: this is not valid TOML: {what}{FIX_TOML}"]


@pytest.mark.parametrize("depth", [1, 100])
def test_nesting_up_to_100_deep_is_only_the_wrong_type(depth):
    assert _problems(f'hospital_name = "A"\nidle_timeout_seconds = {"[" * depth}{"]" * depth}\n') == [
        f'settings.toml, line 2: "idle_timeout_seconds" must be a whole number, not a list: '
        f'{HELP["idle_timeout_seconds"]}.']


@pytest.mark.parametrize("value, depth", [
    ("[" * 101 + "]" * 101, 101),
    ("{a=" * 3000 + "1" + "}" * 3000, 3000),
    ("[\n" * 1000 + "]\n" * 1000, 1000),
])
def test_nesting_deeper_than_100_is_refused_before_parsing(value, depth):
    assert _problems(f'hospital_name = "A"\nidle_timeout_seconds = {value}\n') == [
        f"settings.toml, line 2: values are nested {depth} deep here; no setting is a list or a table. Fix that "
        f"line, or delete the file to start again."]


@pytest.mark.parametrize("text, line", [('hospital_name = "A"\n', 1), ('hospital_name = "A"\nx = [[1]]\n', 2)])
def test_a_recursion_error_while_parsing_names_the_deepest_line(monkeypatch, text, line):
    def too_deep(text):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("tomllib.loads", too_deep)  # what kiosk.toml_cache parses a new text with
    assert _problems(text) == [f"settings.toml, line {line}: values are nested too deeply here; no setting is a list "
                               f"or a table."]


@pytest.mark.parametrize("raised, named", [
    (MemoryError(), "MemoryError"), (ValueError("odd"), "ValueError: odd"), (IndexError("bug"), "IndexError: bug"),
])
def test_any_other_parser_exception_is_a_message(monkeypatch, raised, named):
    def broken(text):
        raise raised

    monkeypatch.setattr("tomllib.loads", broken)
    assert _problems('hospital_name = "A"\n') == [
        f"settings.toml: cannot be read as TOML ({named}). Delete the file to start again from the defaults."]


# --- the hand-off (issue 14) ---------------------------------------------------------------------


def test_the_hand_off_may_be_written_as_tables_as_it_is_elsewhere():
    settings = parse_settings('hospital_name = "A"\n[central]\ndatabase = "postgresql://kiosk@db.example/kiosk"\n'
                              '[fhir]\nurl = "https://fhir.example.org/fhir"\n[hl7]\naddress = "10.0.0.5:2575"\n')
    assert (settings.central_database, settings.fhir_url, settings.hl7_address) == (
        "postgresql://kiosk@db.example/kiosk", "https://fhir.example.org/fhir", "10.0.0.5:2575")
    assert parse_settings("") == Settings()  # the embedded default sends nothing anywhere
    assert not (Settings().central_database or Settings().fhir_url or Settings().hl7_address)


@pytest.mark.parametrize("line, expected", [
    ('central_database = "mysql://kiosk:secret@db"', 'does not start with postgresql:// or postgres://'),
    ('fhir_url = "ftp://fhir"', "does not start with http:// or https://"),
    ('hl7_address = "10.0.0.5"', "is not host:port"),
    ('hl7_address = "host:99999"', "is not host:port"),
    ('kiosk_id = "ward 3"', 'letters, digits'),
])
def test_a_hand_off_address_that_cannot_work_is_refused_kindly(line, expected):
    with pytest.raises(SettingsError) as refused:
        parse_settings(line + "\n")
    assert expected in str(refused.value)
    assert "secret" not in str(refused.value)  # a database password is never shown
