"""What nodes get injected besides state: settings, options, the model, the progress printer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from agent.config.settings import Settings
from agent.llm.actions import Mode
from agent.llm.protocol import ChatModel
from agent.llm.trajectory import TrajectoryLog


@dataclass(frozen=True)
class RunOptions:
    """Choices made on the command line for one run."""

    item_id: str | None = None
    """Work this item instead of the top-ranked one."""
    max_items: int = 1
    """Items to work before the run ends."""
    interactive: bool = False
    """Ask the human in the terminal (clarification chat); False means --yes, no TTY or CI."""
    discover: bool = True
    """Run discovery before scoring."""
    sources: tuple[str, ...] = ("comments", "tests", "backlog")
    """Discovery sources of the run's discover step."""
    discover_only: bool = False
    """Stop after discovery and scoring (print the ranked backlog)."""
    auto_merge: bool = False
    """Merge into the base branch when every auto-approve criterion holds."""
    push: bool = False
    """Push each finished item's branch to the forge remote (docs/forge.md)."""
    pr: bool = False
    """Push, then open (or update) a draft pull request per finished item; needs a forge."""
    sync_branches: bool = False
    """Rebase the branches under review onto the base first (also `workspace.sync_branches`)."""


def _quiet(message: str) -> None:
    """Discard a progress message."""


@dataclass
class RunContext:
    """Live objects of a run; rebuilt (not restored) when a run resumes."""

    repo: Path
    settings: Settings
    options: RunOptions
    model: ChatModel | None
    mode: Mode
    log: TrajectoryLog | None = None
    say: Callable[[str], None] = field(default=_quiet)
