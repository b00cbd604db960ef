"""Helpers for workspace and tool tests: a user repository and an item worktree on it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from agent.config.settings import Settings, load_settings
from agent.tools.base import ToolResult
from agent.workspace.worktree import ItemWorkspace, close_workspace, open_workspace
from tests.support import make_repo

SAMPLE = {
    "pyproject.toml": '[project]\nname = "sample"\nversion = "0"\n',
    "src/calc.py": "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n",
    "tests/test_calc.py": (
        "from src.calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"
    ),
    "README.md": "# sample\n",
}


@contextmanager
def item_workspace(
    repo_path: Path,
    item_id: str,
    title: str,
    settings: Settings | None = None,
    item_type: str | None = None,
) -> Iterator[ItemWorkspace]:
    """Work an item in its own worktree; remove the worktree afterwards, whatever happens."""
    workspace = open_workspace(repo_path, item_id, title, settings, item_type)
    try:
        yield workspace
    finally:
        close_workspace(workspace)


def user_repo(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """A user's repository on branch main with the sample project committed."""
    return make_repo(tmp_path / "user", {**SAMPLE, **(files or {})})


@contextmanager
def worked_item(
    repo: Path, item_id: str = "BL-1", title: str = "Fix the adder", **env: str
) -> Iterator[ItemWorkspace]:
    """An item worktree (a bug) on `repo`, settings read with extra AGENT_* variables."""
    settings = load_settings(repo, env=env)
    with item_workspace(repo, item_id, title, settings, item_type="bug") as workspace:
        yield workspace


def everything(result: ToolResult) -> str:
    """A tool result's output and data, as one string to search."""
    return result.output + "\n" + json.dumps(result.data, default=str)


def call(function: Any, workspace: ItemWorkspace, **arguments: Any) -> ToolResult:
    """Call a tool function with arguments validated by its argument model."""
    from agent.tools.registry import TOOLS

    spec = next(spec for spec in TOOLS if spec.function is function)
    result: ToolResult = spec.function(workspace, spec.args_model.model_validate(arguments))
    return result
