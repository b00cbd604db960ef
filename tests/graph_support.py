"""Helpers for end-to-end runs of the agent graph on real temporary repositories."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.backlog.models import BacklogItem
from agent.backlog.store import read_backlog
from agent.config.settings import DEFAULT_SCALE, Settings, load_settings
from agent.demo import create_demo_repo
from agent.graph.run_context import RunOptions
from agent.graph.runner import resume_run, start_run
from agent.graph.state import RunState
from agent.llm.protocol import ChatModel, Completion, Usage
from tests.scripted_model import ScriptedModel

NOW = datetime(2026, 11, 21, tzinfo=UTC)
USAGE = Usage(prompt_tokens=100, completion_tokens=20)


def action(tool: str, **arguments: Any) -> str:
    """A json-mode action reply."""
    return json.dumps({"tool": tool, "arguments": arguments})


def scripted(*replies: str | Completion) -> ScriptedModel:
    """A scripted model whose replies report usage (so budgets count them)."""
    return ScriptedModel(list(replies), model_name="scripted", usage=USAGE)


def demo(tmp_path: Path) -> Path:
    """A fresh copy of the shipped demo repository."""
    return create_demo_repo(tmp_path / "demo")


SLUGIFY_TEST = (
    "from calclib.text import slugify\n\n\n"
    "def test_slugify_strips_dashes():\n"
    '    assert slugify("Hello, World!") == "hello-world"\n'
)
"""A RED test for the demo's FIXME (calclib/text.py): what a model writes for it."""


def no_answers(payload: dict[str, Any]) -> dict[str, Any]:
    """An `ask` that fails the test: nobody should be asked."""
    raise AssertionError(f"unexpected question to the human: {payload}")


def run_agent(
    repo: Path,
    model: ChatModel,
    options: RunOptions,
    ask: Callable[[dict[str, Any]], dict[str, Any]] = no_answers,
    settings: Settings | None = None,
) -> tuple[RunState, int, list[str]]:
    """Run the graph; returns the final state, the exit code and the progress lines."""
    lines: list[str] = []
    settings = settings or json_settings(repo)
    state, code = start_run(repo, settings, options, NOW, ask, lines.append, model)
    return state, code, lines


def resume_agent(repo: Path, model: ChatModel) -> tuple[RunState, int]:
    """Resume the latest run."""
    return resume_run(repo, json_settings(repo), no_answers, lambda _m: None, model)


def json_settings(repo: Path, rewrite: str = "off", **model: Any) -> Settings:
    """Settings with json action mode (as the bundled model); scripted tests drive the tool loop."""
    overrides = {"model": {"action_mode": "json", **model}, "agent": {"green_rewrite": rewrite}}
    return load_settings(repo, env={}, overrides=overrides)


def item(repo: Path, item_id: str) -> BacklogItem:
    """An item as backlog.yml now has it."""
    found = read_backlog(repo / "backlog.yml", DEFAULT_SCALE).get(item_id)
    assert found is not None
    return found


def options(**fields: Any) -> RunOptions:
    """Run options for tests: no discovery unless asked, never interactive."""
    base: dict[str, Any] = {"discover": False, "interactive": False}
    return RunOptions(**{**base, **fields})


def mean_fix() -> str:
    """The scripted GREEN action that fixes the demo's mean()."""
    return action(
        "replace_text",
        path="calclib/stats.py",
        old="    return sum(values) / (len(values) - 1)",
        new="    return sum(values) / len(values)",
    )


def sequence(values: Sequence[str]) -> list[str]:
    """Lines of a list (for readable assertions)."""
    return list(values)
