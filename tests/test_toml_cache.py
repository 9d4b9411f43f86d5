"""kiosk.toml_cache: a text parsed once is read back, never a stale or damaged entry."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk import toml_cache
from kiosk.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[1]
TEXT = 'title = "Consent"\n[ui]\nstart = "Start"\nsizes = [1, 2.5, true]\n'


@pytest.fixture
def cache(tmp_path):
    folder = tmp_path / "cache"
    toml_cache.use_folder(folder)
    yield folder
    toml_cache.use_folder(None)


def entry(folder: Path, name: str = "en.toml") -> Path:
    return folder / f"{name}.marshal"


def test_a_text_parsed_once_is_read_back_equal_from_its_entry(cache):
    first = toml_cache.loads(TEXT, "en.toml")
    assert first == tomllib.loads(TEXT)
    assert sorted(p.name for p in cache.iterdir()) == ["en.toml.marshal"]
    assert stat.S_IMODE(entry(cache).stat().st_mode) == 0o600
    again = toml_cache.loads(TEXT, "/somewhere/else/en.toml")  # one entry per file name
    assert again == first and again is not first
    assert type(again["ui"]["sizes"][2]) is bool


def test_an_entry_is_read_without_importing_tomllib(cache):
    toml_cache.loads(TEXT, "en.toml")
    probe = ("import sys; from pathlib import Path; from kiosk import toml_cache; "
             f"toml_cache.use_folder(Path({str(cache)!r})); "
             f"data = toml_cache.loads({TEXT!r}, 'en.toml'); print(data['ui']['start'], 'tomllib' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["Start", "False"], result.stderr


def test_an_edited_text_is_parsed_again_and_replaces_the_entry(cache):
    toml_cache.loads(TEXT, "en.toml")
    edited = TEXT.replace('"Start"', '"Begin"')
    assert toml_cache.loads(edited, "en.toml")["ui"]["start"] == "Begin"
    assert toml_cache.loads(TEXT.replace('"Start"', '"Go"'), "en.toml")["ui"]["start"] == "Go"
    assert len(list(cache.iterdir())) == 1


@pytest.mark.parametrize("damage", [b"", b"\x00\x01garbage", b"truncated"])
def test_a_damaged_entry_is_ignored_and_written_again(cache, damage):
    toml_cache.loads(TEXT, "en.toml")
    whole = entry(cache).read_bytes()
    entry(cache).write_bytes(whole[:len(whole) // 2] if damage == b"truncated" else damage)
    assert toml_cache.loads(TEXT, "en.toml") == tomllib.loads(TEXT)
    assert entry(cache).read_bytes() == whole


def test_an_entry_whose_text_differs_is_never_used(cache):
    import marshal

    cache.mkdir()
    forged = {"title": "Forged"}
    entry(cache).write_bytes(marshal.dumps((1, TEXT + " ", forged)))  # one character off
    assert toml_cache.loads(TEXT, "en.toml")["title"] == "Consent"


def test_dates_are_parsed_every_time_and_never_cached(cache):
    text = "reviewed = 2024-05-01\n"
    assert toml_cache.loads(text, "en.toml") == tomllib.loads(text)
    assert not cache.exists() or list(cache.iterdir()) == []


def test_broken_toml_raises_as_tomllib_does_and_is_never_cached(cache):
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        toml_cache.loads("a = [1, 2\n", "en.toml")
    assert issubclass(toml_cache.decode_error(), ValueError) and caught.type is toml_cache.decode_error()
    assert not cache.exists()


def test_no_folder_means_no_cache_and_a_missing_data_folder_is_not_made(tmp_path):
    toml_cache.use_folder(None)
    assert toml_cache.loads(TEXT, "en.toml") == tomllib.loads(TEXT)
    toml_cache.use_folder(tmp_path / "gone" / "cache")
    try:
        assert toml_cache.loads(TEXT, "en.toml") == tomllib.loads(TEXT)
    finally:
        toml_cache.use_folder(None)
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_cache_folder_only_means_parsing_again(cache):
    cache.mkdir()
    os.chmod(cache, 0o500)
    try:
        if os.access(cache, os.W_OK):  # root writes anyway: make the entry a folder instead
            os.chmod(cache, 0o700)
            entry(cache).mkdir()
        assert toml_cache.loads(TEXT, "en.toml") == tomllib.loads(TEXT)
        assert toml_cache.loads(TEXT, "en.toml") == tomllib.loads(TEXT)
        assert [p.name for p in cache.iterdir()] in ([], ["en.toml.marshal"])
        assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]
    finally:
        os.chmod(cache, 0o700)


def test_cached_settings_still_report_a_bad_value_with_its_line(tmp_path, cache):
    (tmp_path / "settings.toml").write_text('hospital_name = "St Elsewhere"\nidle_timeout_seconds = 5\n')
    for _ in range(2):  # parsed, then read from the cache: the same message both times
        with pytest.raises(SettingsError) as caught:
            load_settings(tmp_path)
        assert "settings.toml, line 2" in str(caught.value) and "idle_timeout_seconds" in str(caught.value)
    assert entry(cache, "settings.toml").exists()


def test_cached_settings_with_broken_toml_are_reported_every_time(tmp_path, cache):
    (tmp_path / "settings.toml").write_text('hospital_name = "St Elsewhere\n')
    for _ in range(2):
        with pytest.raises(SettingsError) as caught:
            load_settings(tmp_path)
        assert "settings.toml, line 1" in str(caught.value)
    assert not cache.exists()


def test_a_remembered_value_is_used_for_the_same_key_and_made_again_for_another(tmp_path):
    toml_cache.use_folder(tmp_path / "cache")
    try:
        calls = []

        def compute():
            calls.append(1)
            return [("en", "English")]

        assert toml_cache.remembered("languages.x", [("a", 1, 2)], compute) == [("en", "English")]
        assert toml_cache.remembered("languages.x", [("a", 1, 2)], compute) == [("en", "English")]
        assert len(calls) == 1
        toml_cache.remembered("languages.x", [("a", 1, 3)], compute)  # the file changed
        assert len(calls) == 2
    finally:
        toml_cache.use_folder(None)


def test_installed_languages_follow_a_changed_file(tmp_path, monkeypatch):
    import shutil

    from kiosk.content.interface_text import DEFAULT_TRANSLATIONS_DIR, installed_languages

    folder = tmp_path / "translations"
    shutil.copytree(DEFAULT_TRANSLATIONS_DIR / "en", folder / "en")
    toml_cache.use_folder(tmp_path / "cache")
    try:
        assert installed_languages(folder) == [("en", "English")]
        ui = folder / "en" / "ui.toml"
        ui.write_text(ui.read_text(encoding="utf-8").replace('name = "English"', 'name = "English (UK)"'),
                      encoding="utf-8")
        assert installed_languages(folder) == [("en", "English (UK)")]
    finally:
        toml_cache.use_folder(None)
