from __future__ import annotations

from pathlib import Path

import pytest

from authlint.config.load import find_config, load_settings
from authlint.config.selection import select_rules
from authlint.errors import ConfigError


def test_closest_config_wins_and_plain_pyproject_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "authlint.toml").write_text('ignore = ["E002"]\n')
    app = tmp_path / "app"
    app.mkdir()
    (app / "pyproject.toml").write_text("[project]\nname='x'\n")
    assert find_config(app) == tmp_path / "authlint.toml"
    (app / "pyproject.toml").write_text("[tool.authlint]\nselect = ['E']\n")
    assert find_config(app) == app / "pyproject.toml"


def test_settings_are_read(tmp_path: Path) -> None:
    (tmp_path / "authlint.toml").write_text(
        'select = ["E"]\nallowed-origins = ["https://app.example.com"]\n'
        'target-nats-version = "2.10.0"\nper-file-ignores = {"tests/**" = ["E001"]}\n'
    )
    settings, _ = load_settings([str(tmp_path)])
    assert settings.select == ("E",)
    assert settings.allowed_origins == ("https://app.example.com",)
    assert settings.nats_version() == (2, 10, 0)
    assert settings.per_file_ignores == {"tests/**": ("E001",)}
    assert settings.root == tmp_path.resolve()


@pytest.mark.parametrize(
    "body, message",
    [
        ("selct = ['E']\n", "unknown key 'selct' (did you mean 'select'?)"),
        ("allowed-origins = ['*']\n", "is not an origin"),
        ("respect-gitignore = 'yes'\n", "expected true or false"),
        ("select = [\n", "invalid TOML"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / "authlint.toml").write_text(body)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        load_settings([str(tmp_path)])


def test_unknown_rule_codes_and_options(tmp_path: Path) -> None:
    (tmp_path / "authlint.toml").write_text("ignore = ['ZZZ9']\n")
    settings, _ = load_settings([str(tmp_path)])
    with pytest.raises(ConfigError, match="unknown rule code or prefix 'ZZZ9'"):
        select_rules(settings)
    (tmp_path / "authlint.toml").write_text("[rules.ZZZ999]\nx = 1\n")
    settings, _ = load_settings([str(tmp_path)])
    with pytest.raises(ConfigError, match="unknown rule 'ZZZ999'"):
        select_rules(settings)
    (tmp_path / "authlint.toml").write_text("[rules.E001]\nx = 1\n")
    settings, _ = load_settings([str(tmp_path)])
    with pytest.raises(ConfigError, match="unknown option"):
        select_rules(settings)
