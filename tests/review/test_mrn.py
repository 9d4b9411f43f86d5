"""The MRN keypad offers exactly what the mrn_pattern setting lets into a hospital number."""

import re
import string

import pytest

from kiosk.review.mrn import CANDIDATES, mrn_keys
from kiosk.settings import Settings


def test_the_default_pattern_gives_digits_capitals_and_the_hyphen_but_no_slash_or_space():
    keys = mrn_keys(Settings().mrn_pattern)
    assert keys == tuple(string.digits + string.ascii_uppercase + "-")
    assert "/" not in keys and " " not in keys


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\d{6,8}", string.digits),
    (r"(?i)[a-z]{2}\d{6}", string.digits + string.ascii_uppercase),
    (r"[a-z]{3}", string.ascii_lowercase),
    (r"MRN/\d+|\d{3} \d{3}", string.digits + "MNR" + "/ "),
    (r"(?:RX|TX)-\d{4}", string.digits + "RTX" + "-"),
])
def test_each_pattern_gives_its_own_keys(pattern, expected):
    assert "".join(mrn_keys(pattern)) == expected


@pytest.mark.parametrize("pattern", [Settings().mrn_pattern, r"\d{6,8}", r"MRN/\d+|\d{3} \d{3}", r"(?i)[a-z]{2}\d{6}"])
def test_no_key_offered_is_a_character_the_pattern_never_takes(pattern):
    compiled = re.compile(pattern)
    for char in CANDIDATES:
        if char in mrn_keys(pattern) or char.upper() in mrn_keys(pattern):
            continue  # a small letter is typed as its capital
        # a character left out never appears in any value the pattern takes, tried at every length
        for n in range(1, 9):
            assert not compiled.fullmatch(char * n) and not compiled.fullmatch("1" * (n - 1) + char)
