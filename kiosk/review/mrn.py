"""Which keys the MRN keypad offers: exactly the characters the ``mrn_pattern`` setting lets
into a hospital number, so the keypad never offers a key whose character is refused later
(the old digits layout offered "/" and space). No Qt here.

    mrn_keys("[A-Za-z0-9-]{3,20}")  # ("0", ..., "9", "A", ..., "Z", "-")

Letters are offered in capitals when the pattern takes a capital (wristbands print them so),
and in small letters only where the pattern takes no capital for them.
"""

from __future__ import annotations

import re
import string
from functools import cache

# Python 3.11+ keeps the regular-expression parser and compiler here: re's own reading of the
# pattern is the truth, so no second parser can disagree with the check in actions.py.
from re import _compiler as _sre_compile
from re import _constants as _c
from re import _parser as _sre_parse

# What a hospital number might be made of; the pattern decides which of these it is.
CANDIDATES = string.digits + string.ascii_uppercase + string.ascii_lowercase + "-/. _"


@cache
def mrn_keys(pattern: str) -> tuple[str, ...]:
    """The keypad's characters for ``pattern``, digits first, then letters, then the rest."""
    allowed = {c for c in CANDIDATES if _can_contain(pattern, c)}
    keys = [c for c in string.digits if c in allowed]
    upper = [c for c in string.ascii_uppercase if c in allowed]
    lower = [c for c in string.ascii_lowercase if c in allowed]
    keys += upper + [c for c in lower if c.upper() not in allowed]
    keys += [c for c in "-/. _" if c in allowed]
    return tuple(keys)


def _can_contain(pattern: str, char: str) -> bool:
    flags = re.compile(pattern).flags
    return any(_atom_takes(op, av, char, flags) for op, av in _atoms(_sre_parse.parse(pattern)))


def _atoms(parsed):
    """Every single-character test in a parsed pattern, however deeply nested."""
    for op, av in parsed:
        if op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY, _c.CATEGORY):
            yield op, av
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            yield from _atoms(av[2])
        elif op is _c.SUBPATTERN:
            yield from _atoms(av[-1])
        elif op is _c.BRANCH:
            for branch in av[1]:
                yield from _atoms(branch)
        elif op in (getattr(_c, "ATOMIC_GROUP", None),):
            yield from _atoms(av)


def _atom_takes(op, av, char: str, flags: int) -> bool:
    # One atom compiled alone answers for it, with the pattern's own flags (IGNORECASE ...).
    if op is _c.ANY:
        return char != "\n"
    single = _sre_parse.SubPattern(_sre_parse.State(), [(op, av)])
    single.state.flags = flags
    return _sre_compile.compile(single, flags).fullmatch(char) is not None
