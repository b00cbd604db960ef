"""End to end: the repository's instructions reach every phase's prompt and the PR names them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agent.backlog.store import read_backlog
from agent.commands.runs import show_status
from agent.config.settings import DEFAULT_SCALE, load_settings
from agent.discovery.engine import discover
from agent.graph.state import CycleOutcome
from tests.graph_support import NOW, SLUGIFY_TEST, action, demo, options, run_agent, scripted
from tests.support import git

pytestmark = pytest.mark.slow  # each test runs the graph on a real repository with real test runs

TOKEN = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"
ROOT_RULE = "Prefer small pure functions and keep the public API stable."
CALCLIB_RULE = "In calclib, every function handles the empty input first."
CONTRIBUTING_RULE = "Sign your commits."


def accept(payload: dict[str, Any]) -> dict[str, Any]:
    """The human accepts the drafted criteria."""
    return {"action": "accept"}


def with_instructions(repo: Path) -> None:
    """Commit a root AGENTS.md (with a secret), a nested one and CONTRIBUTING.md."""
    files = {
        "AGENTS.md": f"# Rules\n\n{ROOT_RULE}\nThe staging token is {TOKEN}.\n",
        "calclib/AGENTS.md": f"# calclib\n\n{CALCLIB_RULE}\n",
        "CONTRIBUTING.md": f"# Contributing\n\n{CONTRIBUTING_RULE}\n",
    }
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, "add", *files)
    git(repo, "commit", "-q", "-m", "docs: instructions for agents")


def test_instructions_reach_every_phase_and_are_listed_in_the_pr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = demo(tmp_path)
    with_instructions(repo)
    discover(repo, load_settings(repo, env={}), ("comments",), NOW, write=True)
    backlog = read_backlog(repo / "backlog.yml", DEFAULT_SCALE)
    fixme = next(i.id for i in backlog.items if i.source and i.source.tag == "FIXME")
    test_file = SLUGIFY_TEST
    model = scripted(
        json.dumps({"criteria": ['slugify("Hello, World!") is "hello-world"'], "questions": []}),
        json.dumps({"content": test_file}),
        action(
            "replace_text",
            path="calclib/text.py",
            old='    return re.sub(r"[^a-z0-9]+", "-", title.lower())',
            new='    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")',
        ),
    )

    state, code, _ = run_agent(repo, model, options(item_id=fixme, interactive=True), accept)

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    assert len(model.calls) == 3  # clarify, red, green
    for call in model.calls:
        system = call.messages[0]
        assert system["role"] == "system"
        content = str(system["content"])
        assert content.index(CALCLIB_RULE) < content.index(ROOT_RULE)  # nearest first
        assert CONTRIBUTING_RULE in content
        assert "The staging token is [REDACTED]." in content
        assert all(TOKEN not in str(message.get("content")) for message in call.messages)
    pr = (repo / ".agent" / "prs" / f"{fixme}.md").read_text(encoding="utf-8")
    assert "## Repository instructions" in pr
    assert "`calclib/AGENTS.md`, `AGENTS.md`, `CONTRIBUTING.md`" in pr
    show_status(repo, as_json=False)
    shown = capsys.readouterr().out
    assert "instructions: AGENTS.md, CONTRIBUTING.md (every item)" in shown
    assert "instructions: calclib/AGENTS.md (items whose files are under calclib/)" in shown
    assert code == 0
