"""Planted canary secrets never appear in any tool output (or in a result's data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.tools.base import ToolResult
from agent.tools.registry import call_tool
from agent.workspace.worktree import ItemWorkspace
from tests.toolkit import everything, user_repo, worked_item

ENV_CANARY = "canary-env-7f3a9c2e41"
AWS_CANARY = "AKIAZZCANARY7F3A9C2E"
GH_CANARY = "ghp_" + "C4n4ry" * 6
CANARIES = (ENV_CANARY, AWS_CANARY, GH_CANARY)

FILES = {
    ".env": f"SERVICE_PASSWORD={ENV_CANARY}\nDEBUG=1\n",
    "src/config.py": f'AWS_KEY_ID = "{AWS_CANARY}"\nREGION = "eu-west-1"\n',
    "tests/test_config.py": (
        "from src.config import AWS_KEY_ID\n\n\n"
        f'def test_key_is_rotated():\n    assert AWS_KEY_ID == "{GH_CANARY}"\n'
    ),
}


@pytest.fixture(autouse=True)
def _plain_pytest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


def _calls(ws: ItemWorkspace) -> list[tuple[str, dict[str, object]]]:
    (ws.root / "src" / "config.py").write_text(
        f'AWS_KEY_ID = "{AWS_CANARY}"\nTOKEN = "{GH_CANARY}"\nREGION = "us-east-1"\n'
    )
    return [
        ("read_file", {"path": ".env"}),
        ("read_file", {"path": "src/config.py"}),
        ("list_dir", {"path": ".", "recursive": True}),
        ("search", {"pattern": "AKIA|ghp_|SERVICE"}),
        ("search", {"pattern": "PASSWORD", "glob": ".env"}),
        ("replace_text", {"path": "src/config.py", "old": "us-east-1", "new": "eu-north-1"}),
        ("replace_text", {"path": "src/config.py", "old": "AWS_KEY = 1", "new": "X = 2"}),
        ("run_tests", {"selection": ["tests/test_config.py"]}),
        ("git_status", {}),
        ("git_diff", {}),
        ("git_diff", {"stat": True, "since_base": True}),
        ("check_quality", {}),
        ("run_command", {"argv": ["cat", "src/config.py"]}),
        ("run_command", {"argv": ["cat", "HEAD:.env"]}),
        ("run_command", {"argv": ["python", "-m", "pytest", "-q", "tests"]}),
        ("git_commit", {"message": f"fix: rotate key {AWS_CANARY}"}),
        ("git_log", {}),
    ]


def test_canaries_never_reach_tool_output(tmp_path: Path) -> None:
    repo = user_repo(tmp_path, FILES)
    env = {
        "AGENT_TOOLS__SHELL_ENABLED": "true",
        "AGENT_TOOLS__SHELL_ALLOW": '["cat", "python -m pytest"]',
    }
    results: list[tuple[str, ToolResult]] = []
    with worked_item(repo, **env) as ws:
        for name, arguments in _calls(ws):
            results.append((name, call_tool(ws, name, arguments)))
    assert len(results) == 17
    for name, result in results:
        text = everything(result)
        for canary in CANARIES:
            assert canary not in text, f"{name} leaked {canary[:6]}...: {text[:500]}"
            assert canary[:8] not in text, f"{name} leaked a prefix of {canary[:4]}: {text[:500]}"
    outputs = [result.output for _name, result in results]
    assert "rule '.env*'" in outputs[0] and outputs[4] == "no match for 'PASSWORD'"
    assert 'AWS_KEY_ID = "[REDACTED]"' in outputs[1]
    for index in (3, 5, 7, 9, 12, 14, 15, 16):  # the secrets were there, redacted
        assert "[REDACTED]" in outputs[index], results[index][0]
    assert "rule '.env*'" in outputs[13]  # cat HEAD:.env
    assert results[15][1].ok  # the change itself is committed; only outputs are clean


def test_abbreviated_tokens_in_assertion_messages_are_redacted_but_prose_is_not() -> None:
    from agent.scanners.secrets import redact

    message = "assert 'AKIAZZCANARY7F3A9C2E' == 'ghp_C4n4ryC4...yC4n4ryC4n4ry'"
    assert redact(message) == "assert '[REDACTED]' == '[REDACTED]'"
    assert redact("key sk-proj-abc\u2026xyz end") == "key [REDACTED] end"
    prose = "Wait... the task_list... is empty; skip ghp_ ... later"
    assert redact(prose) == prose
