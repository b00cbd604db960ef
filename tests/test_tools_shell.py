"""The shell tool: off by default, allowlisted argv only, never-list, timeout, path checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.tools.shell import forbidden_reason, run_command
from tests.pyenv_support import make_venv
from tests.toolkit import call, user_repo, worked_item


def test_disabled_by_default(tmp_path: Path) -> None:
    with worked_item(user_repo(tmp_path)) as ws:
        result = call(run_command, ws, argv=["ls"])
    assert not result.ok and "disabled" in result.output


def test_allowlisted_command_runs_without_shell(tmp_path: Path) -> None:
    with worked_item(user_repo(tmp_path), AGENT_TOOLS__SHELL_ENABLED="true") as ws:
        listed = call(run_command, ws, argv=["ls", "src"])
        injected = call(run_command, ws, argv=["ls", "src; touch pwned"])
        other = call(run_command, ws, argv=["touch", "x"])
        pwned = (ws.root / "pwned").exists() or (ws.root / "x").exists()
    assert listed.ok and listed.output.splitlines() == ["$ ls src", "(exit 0)", "calc.py"]
    assert not injected.ok and "No such file" in injected.output  # one literal argument
    assert not other.ok and "not on the allowlist" in other.output
    assert other.data["refused_rule"] == "tools.shell_allow"
    assert not pwned


@pytest.mark.parametrize(
    "argv",
    [
        ["rm", "-rf", "src"],
        ["rm", "-r", "src"],
        ["curl", "http://example.invalid"],
        ["wget", "x"],
        ["pip", "install", "requests"],
        ["python", "-m", "pip", "install", "x"],
        ["uv", "pip", "install", "x"],
        ["npm", "install"],
        ["git", "push", "origin", "main"],
        ["git", "reset", "--hard"],
        ["git", "commit", "--amend"],
        ["sudo", "ls"],
    ],
)
def test_never_list_wins_over_allowlist(tmp_path: Path, argv: list[str]) -> None:
    assert forbidden_reason(argv) is not None
    everything = '["rm", "curl", "wget", "pip", "python", "uv", "npm", "git", "sudo"]'
    with worked_item(
        user_repo(tmp_path), AGENT_TOOLS__SHELL_ENABLED="true", AGENT_TOOLS__SHELL_ALLOW=everything
    ) as ws:
        result = call(run_command, ws, argv=argv)
        assert (ws.root / "src" / "calc.py").exists()
    assert not result.ok and "never allowed" in result.output
    assert result.data["refused_rule"] == "shell_never"


def test_paths_in_arguments_checked(tmp_path: Path) -> None:
    with worked_item(user_repo(tmp_path), AGENT_TOOLS__SHELL_ENABLED="true") as ws:
        (ws.root / ".env").write_text("API_KEY=zzzzzzzzzzzz\n")
        escape = call(run_command, ws, argv=["ls", "../.."])
        restricted = call(run_command, ws, argv=["ls", ".env"])
    assert not escape.ok and "escapes the repository" in escape.output
    assert not restricted.ok and "rule '.env*'" in restricted.output


def test_timeout_kills_command(tmp_path: Path) -> None:
    env = {
        "AGENT_TOOLS__SHELL_ENABLED": "true",
        "AGENT_TOOLS__SHELL_ALLOW": '["sleep"]',
        "AGENT_TOOLS__SHELL_TIMEOUT_S": "0.5",
    }
    with worked_item(user_repo(tmp_path), **env) as ws:
        result = call(run_command, ws, argv=["sleep", "30"])
    assert not result.ok and "(timed out and was killed)" in result.output


def test_credentials_not_in_command_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MY_SERVICE_TOKEN", "tok-value-not-for-the-model")
    env = {"AGENT_TOOLS__SHELL_ENABLED": "true", "AGENT_TOOLS__SHELL_ALLOW": '["env"]'}
    with worked_item(user_repo(tmp_path), **env) as ws:
        result = call(run_command, ws, argv=["env"])
    assert result.ok and "tok-value-not-for-the-model" not in result.output
    assert "MY_SERVICE_TOKEN" not in result.output and "PATH=" in result.output


def test_python_is_the_test_runs_interpreter_with_the_worktrees_src(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    make_venv(repo / ".venv", with_pytest=False)
    allow = '["python -c"]'
    code = "import sys, calc; print(sys.prefix); print(calc.__file__)"
    with worked_item(repo, AGENT_TOOLS__SHELL_ENABLED="true", AGENT_TOOLS__SHELL_ALLOW=allow) as ws:
        assert ws.settings.tests.python_reason == "the repository's .venv"
        result = call(run_command, ws, argv=["python", "-c", code])
        src = ws.root / "src"
    assert result.ok, result.output
    assert result.output.splitlines()[2:] == [str(repo / ".venv"), str(src / "calc.py")]
