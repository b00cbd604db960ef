"""A BLOCKED item from an issue gets one comment there; a reply comes back to `agent clarify`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.backlog.models import Status
from agent.commands.clarify import clarify_command
from agent.forge.escalate import MARKER
from agent.graph.state import CycleOutcome
from tests.discovery_support import discover
from tests.forge.conftest import Forge
from tests.graph_support import demo, item, options, run_agent, scripted
from tests.support import git

QUESTION = "Which locale should be used?"


def issue_repo(tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
               monkeypatch: pytest.MonkeyPatch) -> Path:  # fmt: skip
    """The demo repository with issue #7 (no criteria: to be clarified) discovered as GH-7."""
    repo = demo(tmp_path)
    (repo / ".agent.toml").write_text(forge.config(), encoding="utf-8")
    git(repo, "add", ".agent.toml")
    git(repo, "commit", "-q", "-m", "forge settings")
    forge.state.add_issue(7, "Format numbers for the user's locale", "Numbers look odd.")
    assert discover(capsys, monkeypatch, str(repo), "--sources", "issues").code == 0
    assert item(repo, "GH-7").status is Status.NEW
    return repo


def draft(*questions: str) -> str:
    return json.dumps({"criteria": ["numbers use the locale's separators"],
                       "questions": list(questions)})  # fmt: skip


def test_a_blocked_issue_item_gets_exactly_one_comment_across_runs(
    tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    repo = issue_repo(tmp_path, forge, capsys, monkeypatch)

    for _run in range(2):
        state, code, _lines = run_agent(repo, scripted(draft(QUESTION)), options(item_id="GH-7"))
        [result] = state.results
        assert code == 1 and result.outcome is CycleOutcome.BLOCKED

    [comment] = forge.state.comments[7]
    assert comment["body"].startswith(MARKER.format(item_id="GH-7"))
    assert QUESTION in comment["body"] and "agent clarify GH-7" in comment["body"]
    assert len(forge.state.calls("POST", r"/issues/7/comments$")) == 1
    assert item(repo, "GH-7").status is Status.BLOCKED


def test_a_reply_on_the_issue_answers_agent_clarify(
    tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    repo = issue_repo(tmp_path, forge, capsys, monkeypatch)
    forge.state.comments[7] = [{"body": "an earlier remark", "login": "octocat"}]
    run_agent(repo, scripted(draft(QUESTION)), options(item_id="GH-7"))
    forge.state.comments[7].append({"body": "Use de_DE: 1.234,5", "login": "octocat"})
    model = scripted(draft())

    code = clarify_command(repo, "GH-7", interactive=False, chat=model)

    assert code == 0
    [call] = model.calls
    prompt = call.messages[-1]["content"]
    assert "Use de_DE: 1.234,5" in prompt and "an earlier remark" not in prompt
    ready = item(repo, "GH-7")
    assert ready.status is Status.READY
    assert ready.acceptance_criteria == ["numbers use the locale's separators"]
