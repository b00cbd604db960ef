"""Settings sections for item workspaces and the model's tools (`[tool.agent.workspace]`, ...)."""

from __future__ import annotations

from pydantic import Field

from agent.config.section import Section

DEFAULT_SHELL_ALLOW = (
    "python -m pytest",
    "python -m ruff check",
    "python -m mypy",
    "ls",
)


class WorkspaceSettings(Section):
    """Where and as whom the agent works on an item."""

    base_branch: str | None = None
    """Branch item branches start from; default: the branch checked out in the repository."""
    branch_prefix: str = "agent/"
    """Prefix of item branches: `<prefix><item-id>-<slug>`."""
    author_name: str = "agent"
    """Author and committer name of agent commits (set per commit, never in git config)."""
    author_email: str = "agent@localhost"
    """Author and committer email of agent commits."""
    worktree_dir: str | None = None
    """Directory holding item worktrees; default: `<git dir>/agent-worktrees`."""
    sync_branches: bool = False
    """`agent run` first rebases the branches under review onto the base (as `agent sync`)."""


class ToolSettings(Section):
    """Limits on what tools read and return to the model."""

    output_tokens: int = Field(default=2000, ge=50)
    """Most tokens of one tool output; longer output is cut with a note."""
    max_file_bytes: int = Field(default=256_000, ge=1)
    """Larger files are refused by read_file, search and replace_text."""
    max_search_results: int = Field(default=100, ge=1)
    """Most matching lines search returns."""
    shell_enabled: bool = False
    """Offer the run_command tool (allowlisted commands, no shell) to the model at all."""
    shell_allow: tuple[str, ...] = DEFAULT_SHELL_ALLOW
    """Allowed command prefixes (words); deletions, network, installs, push/reset never run."""
    shell_timeout_s: float = Field(default=120.0, gt=0)
    """Wall-clock limit of one shell command; its whole process group is killed at the limit."""
