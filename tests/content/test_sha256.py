"""The pack's SHA-256, recorded with each consent, pins the exact text the patient saw."""

import hashlib

from kiosk.content import load_pack


def test_is_the_hash_of_structure_and_translation_bytes(mini):
    expected = hashlib.sha256(
        mini.structure.read_bytes() + b"\0" + mini.text("en").read_bytes()
    ).hexdigest()
    assert mini.load().sha256 == expected


def test_is_stable_across_loads():
    assert load_pack("en").sha256 == load_pack("en").sha256


def test_changes_when_one_byte_of_text_changes(mini):
    before = mini.load().sha256
    mini.edit(mini.text("en"), "Body A.", "Body a.")
    assert mini.load().sha256 != before


def test_changes_when_the_structure_changes(mini):
    before = mini.load().sha256
    mini.edit(mini.structure, 'version = "0.0.1"', 'version = "0.0.2"')
    assert mini.load().sha256 != before
