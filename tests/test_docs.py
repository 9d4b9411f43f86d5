"""The README is part of the product: every setting and command must be documented there."""

from dataclasses import fields
from pathlib import Path

import pytest

from kiosk.cli import build_parser
from kiosk.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_readme_opens_with_the_two_commands():
    block = README.split("```")[1].strip().splitlines()
    assert block == ["uv run kiosk", "uv run pytest"]


@pytest.mark.parametrize("name", [f.name for f in fields(Settings)])
def test_every_setting_is_documented(name):
    assert f"| `{name}` |" in README


def test_every_command_is_documented():
    commands = build_parser()._subparsers._group_actions[0].choices
    for command in commands:
        assert f"`kiosk {command}" in README or f"kiosk {command}" in README, command
    assert "--data-dir" in README and "KIOSK_DATA_DIR" in README and "--blank" in README
