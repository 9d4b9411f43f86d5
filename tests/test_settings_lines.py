"""kiosk.settings_lines: where each key, statement and nesting is in a TOML text, and tomllib's
complaints pointed at the line IT should look at. Plain data in, plain data out: no files."""

import tomllib

import pytest

from kiosk.settings_lines import Layout, scan, syntax_problem


def _keys(text):
    return scan(text).key_lines


# --- scan: the line of each top-level key --------------------------------------------------------


@pytest.mark.parametrize("text, key_lines", [
    ("", {}),
    ("a = 1\nb = 2\n", {"a": 1, "b": 2}),
    ("# a comment\n\n   a = 1  # and another\n", {"a": 3}),
    ("a = 1\r\nb = 2\r\n", {"a": 1, "b": 2}),
    ("\ta\t=\t1\n", {"a": 1}),
    ("a=1\nb=2", {"a": 1, "b": 2}),
    ("a = 1\na = 2\n", {"a": 1}),  # the first line that names it
    ("a-b_c9 = 1\n", {"a-b_c9": 1}),
    ("a . b . c = 1\nd.e = 2\n", {"a": 1, "d": 2}),
    ('a."b.c" = 1\n', {"a": 1}),
    ('"a b" = 1\n', {"a b": 1}),
    ("'a b' = 1\n", {"a b": 1}),
    ('"it\'s" = 1\n', {"it's": 1}),
    ("'say \"hi\"' = 1\n", {'say "hi"': 1}),
    ('"" = 1\n', {"": 1}),
    ('  "x" . y = 1\n', {"x": 1}),
    ("X = 1\nXa.b = 2\n[X_t]\n", {"X": 1, "Xa": 2, "X_t": 3}),
    ('"X" = 1\n', {"X": 1}),
])
def test_scan_finds_each_top_level_key_on_its_line(text, key_lines):
    assert _keys(text) == key_lines


@pytest.mark.parametrize("text, key", [
    ('"time\\u005fzone" = 1\n', "time_zone"),
    ('"\\U0001F600" = 1\n', "\U0001f600"),
    ('"\\U0010FFFF" = 1\n', "\U0010ffff"),  # the last code point there is
    ('"\\b\\t\\n\\f\\r\\"\\\\" = 1\n', '\b\t\n\f\r"\\'),
    ('"a\\"b" = 1\n', 'a"b'),
    ("'a\\tb' = 1\n", "a\\tb"),  # a literal key decodes nothing
    ("'a\\' = 1\n", "a\\"),
])
def test_scan_decodes_a_quoted_key_as_toml_does(text, key):
    assert _keys(text) == {key: 1} == {k: 1 for k in tomllib.loads(text)}


@pytest.mark.parametrize("text, key", [
    ('"a\\qb" = 1\n', "a\\qb"),
    ('"\\u12" = 1\n', "\\u12"),
    ('"\\uZZZZ" = 1\n', "\\uZZZZ"),
    ('"\\U00110000" = 1\n', "\\U00110000"),  # past the last code point: kept, never a ValueError
    ('"a\\u12', "a\\u12"),  # cut short by the end of the text
    ('"a\\', "a\\"),
    ('"a\\t', "a\t"),  # decoded as far as the text goes
    ('"a\\"', 'a"'),
    ('"abc = 1\nb = 2\n', "abc = 1"),  # an unclosed quote ends at its line
])
def test_scan_keeps_an_escape_toml_refuses_as_written(text, key):
    assert list(_keys(text))[0] == key


@pytest.mark.parametrize("text", ["a", "a.", "a .", '"a', "'a", '"a\\', "[", "[[", "[a", "[a.", "a =", "a = [",
                                  'a = "', 'a = "x\\', 'a = """', 'a = """x\\', "a = '''", "a = { b = [",
                                  "=", "]", "\\", '"\\u', '"\\U0001'])
def test_scan_never_raises_on_a_text_cut_short(text):
    assert scan(text).statements == [(1, 1)]


def test_scan_records_keys_in_tables_only_by_the_table_s_name():
    text = "x = 1\n[t]\ny = 2\n[[arr]]\nz = 3\n[ \"q t\" . sub ]\n"
    assert _keys(text) == {"x": 1, "t": 2, "arr": 4, "q t": 6}


@pytest.mark.parametrize("text, key_lines", [
    ("[t]\nt = 1\n", {"t": 1}),
    ("[a]\nb = 1\n[b]\n", {"a": 1, "b": 3}),
    ("[[a]]\n[[a]]\n", {"a": 1}),
    ("[]\nx = 1\n", {}),
])
def test_scan_after_a_table_header_no_key_is_at_the_root(text, key_lines):
    assert _keys(text) == key_lines


# --- scan: statements and what spans lines -----------------------------------------------------


@pytest.mark.parametrize("text, statements", [
    ("", []),
    ("  \t\n\n\r\n", []),
    ("# one\n# two\n", []),
    ("a = 1\r\n\r\nb = 2\r\n", [(1, 1), (3, 3)]),
    ("a = 1\n[t]\n\nb = 2\n[[u]]\n", [(1, 1), (2, 2), (4, 4), (5, 5)]),
    ("a = [\n1,\n2\n]\nb = 1\n", [(1, 4), (5, 5)]),
    ("a = [ # ]\n1 ]\nb = 2\n", [(1, 2), (3, 3)]),
    ("a = [[1],\n[2]]\nb = 1\n", [(1, 2), (3, 3)]),
    ("a = { b = [1,\n2] }\nc = 1\n", [(1, 2), (3, 3)]),
    ('a = """\nb = 1\n"""\nc = 2\n', [(1, 3), (4, 4)]),
    ("a = '''\nb = 1\n'''\nc = 2\n", [(1, 3), (4, 4)]),
    ('a = """x\\\ny"""\nb = 1\n', [(1, 2), (3, 3)]),  # a line-ending backslash: the newline still counts
    ('a = """x\\"""\ny"""\nb = 1\n', [(1, 2), (3, 3)]),  # an escaped quote does not close
    ("a = '''C:\\'''\nb = 1\n", [(1, 1), (2, 2)]),  # no escapes in a literal string
    ('a = """a""""\nb = 1\n', [(1, 1), (2, 2)]),
    ('a = ["""x"""", "["]\nb = 1\n', [(1, 1), (2, 2)]),  # """x"""" is x and a quote: the [ is text
    ("a = ['''x''''', '[']\nb = 1\n", [(1, 1), (2, 2)]),
    ('a = "[", "\\"["\nb = 1\n', [(1, 1), (2, 2)]),
    ("a = '[\\'\nb = 1\n", [(1, 1), (2, 2)]),
    ('a = "x\\\nb = 1\n', [(1, 1), (2, 2)]),  # an unterminated string ends at its line
    ("a = 'x\nb = 1\n", [(1, 1), (2, 2)]),
    ("a = 1 ]]\nb = [\n1]\nc = 2\n", [(1, 1), (2, 3), (4, 4)]),  # a stray ] closes nothing
    ("a = 1 # [\nb = 2\n", [(1, 1), (2, 2)]),
    ("a = [1,\n2\n", [(1, 3)]),  # left open: to the end
    ("junk here\n= 1\n}\n", [(1, 1), (2, 2), (3, 3)]),
    ("a=[\n1,\n]\nb = 2\n", [(1, 3), (4, 4)]),  # a value straight after the =
    ('a="""\n"""\nb = 2\n', [(1, 2), (3, 3)]),
    ('"a"=[\n1]\nb = 2\n', [(1, 2), (3, 3)]),
    ('a."b c" = [\n1]\nd = 2\n', [(1, 2), (3, 3)]),
    ("a = { X = 1 }\nb = 2\n", [(1, 1), (2, 2)]),  # X is a key in the table, not a bracket or a quote
    ("a = [{ X = 1 },\n2]\nb = 3\n", [(1, 2), (3, 3)]),
    ("a = { X = [\n1] }\nb = 2\n", [(1, 2), (3, 3)]),
    ('a = ["\\t", "["]\nb = 1\n', [(1, 1), (2, 2)]),  # an escape is two characters, no more
    ('a = """x\\t\ny"""\nb = 1\n', [(1, 2), (3, 3)]),
    ('a = """x""""""""\nb = 1\n"""\nc = 2\n', [(1, 3), (4, 4)]),  # at most two more quotes: then a new string
    ('a = """x\\\n', [(1, 2)]),  # left open at the end, its last newline counted
    ('"a"X = [\n1]\nb = 2\n', [(1, 1), (2, 2), (3, 3)]),  # junk after a key: no value is guessed
])
def test_scan_finds_the_lines_each_statement_spans(text, statements):
    assert scan(text).statements == statements


def test_scan_reads_a_multi_line_string_that_ends_the_text():
    assert scan('a = """x"""').statements == scan("a = '''x'''").statements == [(1, 1)]


def test_scan_counts_lines_past_a_multi_line_value_for_the_keys_after_it():
    text = 'a = """\none\ntwo\n"""\nb = [\n1,\n]\nc = 3\n'
    assert _keys(text) == {"a": 1, "b": 5, "c": 8}


# --- scan: the deepest nesting ----------------------------------------------------------------


@pytest.mark.parametrize("text, deepest", [
    ("a = 1\n", (0, 0)),
    ("a = []\n", (1, 1)),
    ("a=[[1]]\n", (2, 1)),
    ("a = { X = [1] }\n", (2, 1)),
    ("a = 1\nb = [[1], {c = [2]}]\n", (3, 2)),
    ("a = [[1]]\nb = [[2]]\n", (2, 1)),  # the first of equals
    ("a = [1]\nb = [[2]]\n", (2, 2)),
    ("a = [\n[\n[1]\n]\n]\nb = [[1]]\n", (3, 1)),
    ('a = "[[[", \'{{\'\n', (0, 0)),
    ("a = 1 # [[[\n", (0, 0)),
    ("[[a]]\n", (0, 0)),  # a header is not a value
    ("[" * 150 + "]" * 150, (0, 0)),
    ("a = " + "[" * 150 + "]" * 150, (150, 1)),
])
def test_scan_finds_the_deepest_nesting_and_its_statement(text, deepest):
    assert scan(text).deepest == deepest


@pytest.mark.parametrize("statements, line, start", [
    ([(1, 1), (3, 5), (7, 7)], 3, 3),
    ([(1, 1), (3, 5), (7, 7)], 4, 3),
    ([(1, 1), (3, 5), (7, 7)], 5, 3),
    ([(1, 1), (3, 5), (7, 7)], 7, 7),
    ([(1, 1), (3, 5), (7, 7)], 6, 6),  # a comment or blank line between: the line itself
    ([(1, 1), (3, 5), (7, 7)], 9, 9),
    ([(3, 4)], 2, 2),
    ([], 5, 5),
])
def test_statement_at_is_the_first_line_of_the_statement_a_line_is_part_of(statements, line, start):
    assert Layout({}, statements, (0, 0)).statement_at(line) == start


# --- syntax_problem: tomllib's complaint at the right line, in plain words -----------------------

_FIX = " Fix that line, or delete the file to start again from the defaults."


def _problem(text):
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads(text)
    return syntax_problem(caught.value, scan(text))


@pytest.mark.parametrize("text, line, what", [
    ('a = "x\nb = 1\n', 1, "Illegal character '\\n'. Is a closing quote missing?"),
    ('a = "x', 1, "Unterminated string (at the end of the file). Is a closing quote missing?"),
    ('a = 1\nb = """x\n\n', 2, "Unterminated string (at the end of the file). Is a closing quote missing?"),
    ("a = 1\n\nb 1\n", 3, "Expected '=' after a key in a key/value pair. Write each setting as name = value."),
    ("a = A4\n", 1, 'Invalid value. Text must be in quotes, such as "A4".'),
    ('a = "x\\qy"\n', 1, "Unescaped '\\' in a string. Write \\\\ for a backslash, or put the text in 'single "
                         "quotes'."),
    ("a = 1\nb = 2\na = 3\n", 3, "Cannot overwrite a value. Is this setting given twice?"),
    ("[a]\n\n[a]\n", 3, "Cannot declare ('a',) twice. Is this table given twice?"),
    ("a = [1,\n2\nb = 3\n", 1, "Unclosed array (noticed at line 3). Is a ] or a comma missing?"),
    ("a = [1, 2", 1, "Unclosed array (at the end of the file). Is a ] or a comma missing?"),
    ("a = { b = 1\n", 1, "Unclosed inline table. Is a } or a comma missing?"),
    ('a = { b = """\nx""" \nc = 1\n', 1, "Unclosed inline table (noticed at line 2). Is a } or a comma missing?"),
    ("a = 1\n= 2\n", 2, "Invalid statement."),
    ("a = 1\n[b\n", 2, "Expected ']' at the end of a table declaration."),
    ("a = 1 2\n", 1, "Expected newline or end of document after a statement."),
])
def test_a_syntax_error_names_its_line_and_what_to_look_for(text, line, what):
    assert _problem(text) == (line, f"this is not valid TOML: {what}{_FIX}")


@pytest.mark.parametrize("text, line, what", [
    ('a = 1\na = """\nx"""\n', 2, "Cannot overwrite a value (noticed at line 3). Is this setting given twice?"),
    ('[a.b]\n[a]\nb.c = """\nx"""\n', 3, "Cannot redefine namespace ('a', 'b') (noticed at line 4)."),
    ('a = {b = 1}\na.c = """\nx"""\n', 2, "Cannot mutate immutable namespace ('a',) (noticed at line 3)."),
])
def test_a_key_given_twice_is_shown_at_the_line_its_statement_starts(text, line, what):
    assert _problem(text) == (line, f"this is not valid TOML: {what}{_FIX}")


def test_a_bad_escape_in_a_multi_line_value_names_its_own_line_and_the_statement_s():
    assert _problem('a = 1\nb = """x\ny\\q"""\n') == (
        3, "this is not valid TOML: Unescaped '\\' in a string (in the setting that starts on line 2). Write "
           f"\\\\ for a backslash, or put the text in 'single quotes'.{_FIX}")


def test_an_error_before_any_statement_names_its_own_line():
    assert _problem("\n\r") == (2, f"this is not valid TOML: Invalid statement.{_FIX}")


def test_an_error_on_a_comment_line_is_not_said_to_be_in_the_setting_above():
    assert _problem("a = 1\n# note \x01\n") == (2, f"this is not valid TOML: Found invalid character '\\x01'.{_FIX}")


@pytest.mark.parametrize("statements, line", [([], 1), ([(2, 3)], 2), ([(1, 1), (4, 6)], 4)])
def test_an_error_at_the_end_of_the_document_names_the_last_statement(statements, line):
    error = tomllib.TOMLDecodeError("Unclosed array (at end of document)")
    assert syntax_problem(error, Layout({}, statements, (0, 0))) == (
        line, f"this is not valid TOML: Unclosed array (at the end of the file). Is a ] or a comma missing?{_FIX}")


def test_a_complaint_without_a_position_is_passed_on_whole():
    error = tomllib.TOMLDecodeError("Something new")
    assert syntax_problem(error, Layout({}, [(3, 3)], (0, 0))) == (
        3, f"this is not valid TOML: Something new (at the end of the file).{_FIX}")
