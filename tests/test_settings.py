"""Settings precedence: defaults < pyproject [tool.agent] < .agent.toml < AGENT_* < flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.config.settings import DEFAULT_SCALE, load_settings
from agent.errors import InputError


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, env={})
    assert settings.scoring.scale == DEFAULT_SCALE
    assert (settings.scoring.aging_start_days, settings.scoring.aging_rate) == (1, 0.1)
    assert settings.scoring.aging_max == 2.0
    assert settings.scoring.actionable_threshold == 1.0
    assert settings.backlog.path == "backlog.yml"


def test_precedence_of_every_layer(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.agent.scoring]\naging_rate = 0.2\naging_max = 3.0\nactionable_threshold = 2.0\n"
        "[tool.agent.backlog]\npath = 'work/backlog.yml'\n",
        encoding="utf-8",
    )
    (tmp_path / ".agent.toml").write_text("[scoring]\naging_max = 4.0\n", encoding="utf-8")
    env = {"AGENT_SCORING__ACTIONABLE_THRESHOLD": "1.5", "AGENT_MODEL": "ignored-here"}
    settings = load_settings(tmp_path, env=env, overrides={"scoring": {"aging_rate": 0.3}})
    assert settings.scoring.aging_rate == 0.3  # flag beats pyproject
    assert settings.scoring.aging_max == 4.0  # .agent.toml beats pyproject
    assert settings.scoring.actionable_threshold == 1.5  # env beats pyproject
    assert settings.backlog.path == "work/backlog.yml"


def test_env_lists_accept_json_or_commas(tmp_path: Path) -> None:
    assert (
        load_settings(tmp_path, env={"AGENT_SCORING__SCALE": "[1,2,3,5,8,13,20]"}).scoring.scale[-1]
        == 20
    )
    assert load_settings(tmp_path, env={"AGENT_SCORING__SCALE": "13,1,2"}).scoring.scale == (
        1,
        2,
        13,
    )


def test_bad_value_in_pyproject_names_file_line_and_setting(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.agent.scoring]\naging_rate = 'fast'\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        load_settings(tmp_path, env={})
    assert caught.value.lines[0].startswith(
        f"{tmp_path / 'pyproject.toml'}:5: setting 'scoring.aging_rate': "
    )


def test_unknown_setting_and_env_variable_are_named(tmp_path: Path) -> None:
    (tmp_path / ".agent.toml").write_text("[scoring]\nagin_rate = 1\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_settings(tmp_path, env={"AGENT_SCORING__AGING_MAX": "lots"})
    lines = sorted(caught.value.lines)
    assert lines[0].startswith(
        f"{tmp_path / '.agent.toml'}:2: setting 'scoring.agin_rate': unknown"
    )
    assert lines[1].startswith(
        "environment variable AGENT_SCORING__AGING_MAX: setting 'scoring.aging_max'"
    )


def test_invalid_toml_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / ".agent.toml").write_text("[scoring\n", encoding="utf-8")
    expected = r"\.agent\.toml:1:9: setting 'scoring': invalid TOML: Expected ']'"
    with pytest.raises(InputError, match=expected):
        load_settings(tmp_path, env={})


def test_scale_and_bands_are_checked(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="distinct positive integers"):
        load_settings(tmp_path, env={"AGENT_SCORING__SCALE": "[0, 1]"})
    with pytest.raises(InputError, match="band_critical >= band_high"):
        load_settings(tmp_path, env={"AGENT_SCORING__BAND_HIGH": "3"})
