"""kiosk.settings: the settings file and the folders it names - the first run, reading the file's
bytes, the consents folder, the seal certificate - one behaviour per test, each message asserted
whole. What each value may be: tests/test_settings.py."""

import os
import stat
import tempfile
from pathlib import Path

import pytest

from kiosk.settings import Settings, SettingsError, default_data_dir, load_settings, parse_settings
from tests.test_settings import DEFAULT_TEXT


def _refused(data_dir: Path, content: str | bytes) -> str:
    """load_settings' message for this settings.toml (it must refuse it)."""
    path = data_dir / "settings.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(SettingsError) as caught:
        load_settings(data_dir)
    return str(caught.value)


def _loaded(data_dir: Path, content: str | bytes) -> Settings:
    path = data_dir / "settings.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return load_settings(data_dir)


@pytest.fixture
def umask_022():
    """The umask a desktop session usually gives: modes must come from the kiosk, not from it."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- the first run and the data folder ------------------------------------------------------------


def test_a_missing_file_gives_the_defaults_and_is_written(tmp_path):
    assert load_settings(tmp_path) == Settings()
    assert (tmp_path / "settings.toml").read_text(encoding="utf-8") == DEFAULT_TEXT


def test_a_nested_data_folder_that_does_not_exist_yet_is_created_private(tmp_path, umask_022):
    data = tmp_path / "new" / "deeper" / "data"
    assert load_settings(data) == Settings()
    assert _mode(data) == 0o700
    assert _mode(data / "settings.toml") == 0o600
    assert (data / "settings.toml").read_text(encoding="utf-8") == DEFAULT_TEXT


def test_an_existing_empty_data_folder_gets_the_default_file(tmp_path, umask_022):
    tmp_path.chmod(0o755)
    assert load_settings(tmp_path) == Settings()
    assert _mode(tmp_path / "settings.toml") == 0o600
    assert _mode(tmp_path) == 0o755  # a folder the kiosk did not make is left as it is


def test_a_file_written_meanwhile_by_another_process_is_kept(tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    path.write_text('hospital_name = "Theirs"\n')
    real_lexists = os.path.lexists
    monkeypatch.setattr("kiosk.settings.os.path.lexists", lambda p: False if Path(p) == path else real_lexists(p))
    assert load_settings(tmp_path).hospital_name == "Theirs"
    assert path.read_text() == 'hospital_name = "Theirs"\n'


def test_the_first_run_file_is_whole_on_disk_before_it_is_read(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync

    def fsync(handle):
        synced.append((tmp_path / "settings.toml").read_text(encoding="utf-8"))
        real_fsync(handle)

    monkeypatch.setattr("kiosk.settings.os.fsync", fsync)
    load_settings(tmp_path)
    assert synced == [DEFAULT_TEXT]


def test_a_first_run_file_that_cannot_be_finished_is_removed(tmp_path, monkeypatch):
    def disk_full(handle):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kiosk.settings.os.fsync", disk_full)
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert str(caught.value) == f"{tmp_path / 'settings.toml'}: cannot be read or created (No space left on device)."
    assert list(tmp_path.iterdir()) == []


def test_a_half_written_file_already_gone_is_not_a_second_error(tmp_path, monkeypatch):
    def disk_full_and_gone(handle):
        (tmp_path / "settings.toml").unlink()
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kiosk.settings.os.fsync", disk_full_and_gone)
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert str(caught.value) == f"{tmp_path / 'settings.toml'}: cannot be read or created (No space left on device)."


def test_the_first_run_file_is_written_where_the_system_has_no_o_cloexec(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "O_CLOEXEC", raising=False)  # Windows
    assert load_settings(tmp_path) == Settings()
    assert (tmp_path / "settings.toml").read_text(encoding="utf-8") == DEFAULT_TEXT


def test_a_data_folder_that_is_a_file_is_explained(tmp_path):
    (tmp_path / "data").write_text("x")
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path / "data")
    assert str(caught.value) == (f"{tmp_path / 'data'}: the data folder is a file, not a folder; check --data-dir "
                                 f"or KIOSK_DATA_DIR.")


def test_a_settings_file_that_is_a_folder_is_explained(tmp_path):
    (tmp_path / "settings.toml").mkdir()
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert str(caught.value) == (f"{tmp_path / 'settings.toml'}: is not a file. Remove it to start again from the "
                                 f"defaults.")


def test_a_settings_file_that_cannot_be_read_is_explained(tmp_path, monkeypatch):
    (tmp_path / "settings.toml").write_text('hospital_name = "A"\n')

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("kiosk.settings.open", denied, raising=False)
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert str(caught.value) == f"{tmp_path / 'settings.toml'}: cannot be read or created (Permission denied)."


@pytest.mark.parametrize("env", ["", None])
def test_the_data_folder_is_the_platform_s_user_data_folder_by_default(monkeypatch, env):
    asked = []

    def user_data_dir(*args, **kwargs):
        asked.append((args, kwargs))
        return "/home/nurse/.local/share/vertebroplasty-kiosk"

    monkeypatch.setattr("platformdirs.user_data_dir", user_data_dir)
    if env is None:
        monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    else:
        monkeypatch.setenv("KIOSK_DATA_DIR", env)
    assert default_data_dir() == Path("/home/nurse/.local/share/vertebroplasty-kiosk")
    assert asked == [(("vertebroplasty-kiosk",), {"appauthor": False})]  # no "author" folder on Windows


def test_kiosk_data_dir_names_the_data_folder(monkeypatch):
    monkeypatch.setenv("KIOSK_DATA_DIR", "/srv/kiosk")
    assert default_data_dir() == Path("/srv/kiosk")


# --- reading the file -----------------------------------------------------------------------------


def test_every_setting_is_read(tmp_path):
    (tmp_path / "pdfs").mkdir()
    (tmp_path / "h.p12").write_bytes(b"0\x82")
    settings = _loaded(tmp_path, """\
hospital_name = "St Mary's"
page_size = "Letter"
idle_timeout_seconds = 300
idle_countdown_seconds = 20
done_screen_seconds = 45
time_zone = "Europe/Paris"
default_language = "en"
consents_folder = "pdfs"
reduce_motion = true
high_contrast = true
large_text = true
seal_certificate = "h.p12"
seal_certificate_password = "pw"
""")
    assert settings == Settings(hospital_name="St Mary's", page_size="Letter", idle_timeout_seconds=300,
                                idle_countdown_seconds=20, done_screen_seconds=45, time_zone="Europe/Paris",
                                default_language="en", consents_folder="pdfs", reduce_motion=True,
                                high_contrast=True, large_text=True, seal_certificate="h.p12",
                                seal_certificate_password="pw")


def test_a_utf8_bom_is_accepted(tmp_path):
    assert _loaded(tmp_path, b'\xef\xbb\xbfhospital_name = "St Mary"\n').hospital_name == "St Mary"
    assert parse_settings('\ufeffpage_size = "Letter"\n').page_size == "Letter"


def test_load_settings_names_its_file_in_every_problem(tmp_path):
    assert _refused(tmp_path, 'page_size = "A5"\nlarge_text = 1\n') == (
        f"{tmp_path / 'settings.toml'}, line 1: \"page_size\" must be \"A4\" or \"Letter\", not 'A5'.\n"
        f"{tmp_path / 'settings.toml'}, line 2: \"large_text\" must be true or false, not 1: true for text a quarter "
        f"larger on every screen.")


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_a_utf16_file_is_explained(tmp_path, bom):
    assert _refused(tmp_path, bom + 'hospital_name = "A"\n'.encode("utf-16-le")) == (
        f'{tmp_path / "settings.toml"}, line 1: the file is saved as UTF-16 ("Unicode"); save it as UTF-8 instead.')


@pytest.mark.parametrize("data, where", [
    (b'hospital_name = "H\xf4pital"\n', "line 1: the file is not UTF-8 text (byte 19, column 19: 0xf4)"),
    (b'page_size = "A4"\n# ok\nhospital_name = "H\xf4pital"\n', "line 3: the file is not UTF-8 text (byte 41, "
                                                                 "column 19: 0xf4)"),
    (b'# \xe2\x82\n', "line 1: the file is not UTF-8 text (byte 3, column 3: 0xe2 0x82)"),
    (b'\nhospital_name = "H\xf4pital"\n', "line 2: the file is not UTF-8 text (byte 20, column 19: 0xf4)"),
])
def test_bytes_that_are_not_utf8_name_the_line_column_and_byte(tmp_path, data, where):
    assert _refused(tmp_path, data) == f"{tmp_path / 'settings.toml'}, {where}; save it as UTF-8."


def test_a_settings_file_of_exactly_1_mb_is_read(tmp_path):
    last = b"large_text = true"  # cut by one byte, this would not be TOML
    data = (b"#" * 1023 + b"\n") * 1023 + b"#" * (1024 - len(last) - 1) + b"\n" + last
    assert len(data) == 1 << 20
    assert _loaded(tmp_path, data).large_text is True


def test_a_settings_file_larger_than_1_mb_is_refused(tmp_path):
    data = (b"#" * 1023 + b"\n") * 1024 + b"\n"
    assert len(data) == (1 << 20) + 1
    assert _refused(tmp_path, data) == (f"{tmp_path / 'settings.toml'}: is larger than 1024 KB, so it is not a "
                                        f"settings file. Delete it to start again from the defaults.")


class _ReadSizes:
    """A file that records how much each read asks for."""

    def __init__(self, file, sizes):
        self._file, self._sizes = file, sizes

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()

    def read(self, size=-1):
        self._sizes.append(size)
        return self._file.read(size)


def _read_sizes(monkeypatch, name: str) -> list:
    """Each size load_settings asks for when it reads the file called `name`."""
    sizes = []
    real_open = open

    def spying_open(path, *args, **kwargs):
        file = real_open(path, *args, **kwargs)
        return _ReadSizes(file, sizes) if Path(path).name == name else file

    monkeypatch.setattr("kiosk.settings.open", spying_open, raising=False)
    return sizes


def test_a_huge_settings_file_is_never_read_whole(tmp_path, monkeypatch):
    (tmp_path / "settings.toml").write_bytes(b"#" * (4 << 20))
    sizes = _read_sizes(monkeypatch, "settings.toml")
    with pytest.raises(SettingsError):
        load_settings(tmp_path)
    assert sizes == [(1 << 20) + 1]


# --- the consents folder --------------------------------------------------------------------------


def test_the_consents_folder_is_relative_to_the_data_folder(tmp_path):
    assert Settings().consents_path(tmp_path) == (tmp_path / "consents").resolve()
    assert Settings(consents_folder="a/b").consents_path(tmp_path) == (tmp_path / "a/b").resolve()
    assert Settings(consents_folder="/srv/pdfs").consents_path(tmp_path) == Path("/srv/pdfs")


def test_a_missing_nested_consents_folder_is_created_private_and_left_empty(tmp_path, umask_022):
    settings = _loaded(tmp_path, 'consents_folder = "a/b/c"\n')
    assert [_mode(tmp_path / folder) for folder in ("a", "a/b", "a/b/c")] == [0o700, 0o700, 0o700]
    assert settings.consents_path(tmp_path) == (tmp_path / "a/b/c").resolve()
    assert list((tmp_path / "a/b/c").iterdir()) == []


def test_an_existing_consents_folder_is_used_as_it_is(tmp_path, umask_022):
    (tmp_path / "pdfs").mkdir(mode=0o750)
    assert _loaded(tmp_path, 'consents_folder = "pdfs"\n').consents_folder == "pdfs"
    assert _mode(tmp_path / "pdfs") == 0o750


def test_the_write_check_uses_a_hidden_file_and_removes_it(tmp_path, monkeypatch):
    made = []
    real_mkstemp = tempfile.mkstemp

    def mkstemp(**kwargs):
        handle, name = real_mkstemp(**kwargs)
        made.append(Path(name))
        return handle, name

    monkeypatch.setattr("kiosk.settings.tempfile.mkstemp", mkstemp)
    _loaded(tmp_path, 'consents_folder = "pdfs"\n')
    assert len(made) == 1 and made[0].parent == (tmp_path / "pdfs").resolve()
    assert made[0].name.startswith(".kiosk-write-check-") and not made[0].exists()


def test_a_folder_made_meanwhile_by_another_process_is_used(tmp_path, monkeypatch):
    real_mkdir = os.mkdir

    def mkdir_raced(path, mode=0o777):
        real_mkdir(path, mode)
        raise FileExistsError(17, "File exists")

    monkeypatch.setattr("kiosk.settings.os.mkdir", mkdir_raced)
    assert _loaded(tmp_path, 'consents_folder = "a/b"\n').consents_folder == "a/b"
    assert (tmp_path / "a/b").is_dir()


def test_a_file_made_meanwhile_where_a_folder_should_be_is_refused(tmp_path, monkeypatch):
    def file_raced(path, mode=0o777):
        Path(path).write_text("x")
        raise FileExistsError(17, "File exists")

    monkeypatch.setattr("kiosk.settings.os.mkdir", file_raced)
    folder = (tmp_path / "pdfs").resolve()
    assert _refused(tmp_path, 'hospital_name = "A"\nconsents_folder = "pdfs"\n') == (
        f"{tmp_path / 'settings.toml'}, line 2: the consents folder {folder} cannot be created or written to (File "
        f"exists).")


@pytest.mark.parametrize("folder, problem", [
    ("/dev/null", 'the consents folder /dev/null is not a folder. Set "consents_folder" to a folder.'),
    ("settings.toml", 'the consents folder {data}/settings.toml is not a folder. Set "consents_folder" to a folder.'),
    ("settings.toml/sub", "the consents folder {data}/settings.toml/sub cannot be created or written to (Not a "
                          "directory)."),
])
def test_a_consents_folder_that_is_not_a_folder_is_refused(tmp_path, folder, problem):
    data = tmp_path.resolve()
    assert _refused(tmp_path, f'hospital_name = "A"\n\n\nconsents_folder = "{folder}"\n') == (
        f"{tmp_path / 'settings.toml'}, line 4: {problem.format(data=data)}")


def test_the_default_consents_folder_is_checked_too_and_said_to_be_the_default(tmp_path):
    (tmp_path / "consents").write_text("a file where the folder should be")
    assert _refused(tmp_path, 'hospital_name = "A"\n') == (
        f"{tmp_path / 'settings.toml'}: the consents folder {(tmp_path / 'consents').resolve()} (the default, as "
        f'"consents_folder" is not set) is not a folder. Set "consents_folder" to a folder.')


def test_a_consents_folder_that_cannot_be_entered_and_written_is_refused(tmp_path, monkeypatch):
    asked = []

    def access(path, mode):
        asked.append(mode)
        return False

    monkeypatch.setattr("kiosk.settings.os.access", access)
    assert _refused(tmp_path, 'consents_folder = "pdfs"\n') == (
        f"{tmp_path / 'settings.toml'}, line 1: the consents folder {(tmp_path / 'pdfs').resolve()} cannot be written "
        f"to (permission denied).")
    assert asked == [os.W_OK | os.X_OK]


@pytest.mark.parametrize("error, reason", [
    (OSError(30, "Read-only file system"), "Read-only file system"),
    (OSError("the disk went away"), "the disk went away"),
    (OSError(), "OSError"),
])
def test_a_consents_folder_where_no_file_can_be_made_is_refused_with_the_reason(tmp_path, monkeypatch, error, reason):
    def cannot(**kwargs):
        raise error

    monkeypatch.setattr("kiosk.settings.tempfile.mkstemp", cannot)
    assert _refused(tmp_path, 'hospital_name = "A"\nconsents_folder = "pdfs"\n') == (
        f"{tmp_path / 'settings.toml'}, line 2: the consents folder {(tmp_path / 'pdfs').resolve()} cannot be created "
        f"or written to ({reason}).")


def test_a_consents_folder_in_a_symlink_loop_is_refused(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    message = _refused(tmp_path, 'consents_folder = "loop/pdfs"\n')
    assert message.startswith(f'{tmp_path / "settings.toml"}, line 1: "consents_folder" is not a usable folder '
                              f'path (Symlink loop from ')


@pytest.mark.parametrize("error", [OSError("bad path"), ValueError("bad path"), RuntimeError("bad path")])
@pytest.mark.parametrize("key, what", [("consents_folder", "folder"), ("seal_certificate", "file")])
def test_a_path_that_cannot_be_resolved_is_refused(tmp_path, monkeypatch, error, key, what):
    def unresolvable(self, data_dir):
        raise error

    monkeypatch.setattr(Settings, "consents_path" if key == "consents_folder" else "seal_certificate_path",
                        unresolvable)
    assert _refused(tmp_path, f'hospital_name = "A"\n{key} = "x"\n') == (
        f'{tmp_path / "settings.toml"}, line 2: "{key}" is not a usable {what} path (bad path).')


def test_with_check_files_false_the_folders_are_neither_checked_nor_made(tmp_path):
    (tmp_path / "settings.toml").write_text('consents_folder = "a/b"\nseal_certificate = "missing.p12"\n')
    assert load_settings(tmp_path, check_files=False).consents_folder == "a/b"
    assert not (tmp_path / "a").exists()


# --- the seal certificate -------------------------------------------------------------------------


def test_the_seal_certificate_is_relative_to_the_data_folder(tmp_path):
    assert Settings().seal_certificate_path(tmp_path) is None
    assert Settings(seal_certificate="certs/h.p12").seal_certificate_path(tmp_path) == \
        (tmp_path / "certs/h.p12").resolve()
    assert Settings(seal_certificate="/etc/h.p12").seal_certificate_path(tmp_path) == Path("/etc/h.p12")


def test_a_readable_seal_certificate_is_accepted(tmp_path):
    (tmp_path / "hospital.p12").write_bytes(b"0\x82")
    settings = _loaded(tmp_path, 'seal_certificate = "hospital.p12"\nseal_certificate_password = "pw"\n')
    assert (settings.seal_certificate, settings.seal_certificate_password) == ("hospital.p12", "pw")


@pytest.mark.parametrize("value, problem", [
    ("missing.p12", 'does not exist. Put the file there, or set "seal_certificate" to "".'),
    (".", "is not a file; it must be a PKCS#12 (.p12/.pfx) file."),
    ("/dev/null", "is not a file; it must be a PKCS#12 (.p12/.pfx) file."),
    ("empty.p12", "is empty; it must be a PKCS#12 (.p12/.pfx) file."),
])
def test_a_seal_certificate_that_is_not_a_readable_file_is_refused(tmp_path, value, problem):
    (tmp_path / "empty.p12").write_bytes(b"")
    path = (tmp_path / value).resolve()
    assert _refused(tmp_path, f'hospital_name = "A"\nseal_certificate = "{value}"\n') == (
        f'{tmp_path / "settings.toml"}, line 2: the seal certificate {path} (from "seal_certificate") {problem}')


def test_a_seal_certificate_that_cannot_be_opened_is_refused(tmp_path, monkeypatch):
    (tmp_path / "settings.toml").write_text('seal_certificate = "h.p12"\n')
    (tmp_path / "h.p12").write_bytes(b"0\x82")
    real_open = open

    def denied(path, *args, **kwargs):
        if Path(path).name == "h.p12":
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("kiosk.settings.open", denied, raising=False)
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert str(caught.value) == (f'{tmp_path / "settings.toml"}, line 1: the seal certificate '
                                 f'{(tmp_path / "h.p12").resolve()} (from "seal_certificate") cannot be read '
                                 f"(Permission denied).")


def test_only_the_start_of_the_seal_certificate_is_read_at_load(tmp_path, monkeypatch):
    (tmp_path / "h.p12").write_bytes(b"0\x82" + bytes(1 << 20))
    (tmp_path / "settings.toml").write_text('seal_certificate = "h.p12"\n')
    sizes = _read_sizes(monkeypatch, "h.p12")
    assert load_settings(tmp_path).seal_certificate == "h.p12"
    assert sizes == [1]


# --- all the checks together ----------------------------------------------------------------------


def test_folder_and_certificate_problems_are_reported_together_in_line_order(tmp_path):
    (tmp_path / "consents").write_text("a file where the folder should be")
    message = _refused(tmp_path, 'hospital_name = "A"\nseal_certificate = "missing.p12"\n')
    assert [line.split(": ", 1)[0] for line in message.splitlines()] == [
        str(tmp_path / "settings.toml"), f"{tmp_path / 'settings.toml'}, line 2"]


def test_a_bug_in_a_check_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    def bug(settings, data_dir):
        raise KeyError("x")

    monkeypatch.setattr("kiosk.settings._check_consents_folder", bug)
    assert _refused(tmp_path, 'hospital_name = "A"\n') == (
        f"{tmp_path / 'settings.toml'}: cannot be checked (KeyError: 'x'). Please report this; deleting the file "
        f"starts again from the defaults.")
