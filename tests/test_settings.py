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
