"""Git tools: status, diff, commit and log in the item's worktree; never push or rewrite history."""

from __future__ import annotations

import re

import git
from pydantic import Field

from agent.config.scope import check_limits
from agent.config.workspace import WorkspaceSettings
from agent.tools.base import ToolArgs, ToolResult, Workspace
from agent.tools.common import (
    ConfiguredWorkspace,
    Refused,
    ToolConfig,
    is_allowed,
    resolve_path,
    tool,
)
from agent.workspace import gitutil

CONVENTIONAL = re.compile(
    r"^(feat|fix|docs|style|refactor|perf|test|build|ci|chore|revert)(\([\w./-]+\))?!?: \S.*"
)


class GitStatusArgs(ToolArgs):
    """Show the branch and the changed, staged and new files of the worktree."""


class GitDiffArgs(ToolArgs):
    """Show the changes (new files included); `since_base` shows the whole item's changes."""

    stat: bool = False
    """Only the per-file summary (files and changed line counts)."""
    since_base: bool = False
    """Compare with the commit the item started from instead of the last commit."""
    path: str | None = None
    """Only this file or directory."""


class GitCommitArgs(ToolArgs):
    """Commit all changes; the message must follow Conventional Commits (`fix: ...`)."""

    message: str | None = None
    """Commit message: `type(scope): summary`, optionally a blank line and a body; omitted: the
    item's template message."""


class GitLogArgs(ToolArgs):
    """Show the most recent commits of the item's branch."""

    limit: int = Field(default=10, ge=1, le=100)
    """How many commits to show."""


def _repo(workspace: Workspace) -> git.Repo:
    return git.Repo(workspace.root)


@tool
def git_status(workspace: Workspace, args: GitStatusArgs, config: ToolConfig) -> ToolResult:
    """Show `git status --short --branch`."""
    output = _repo(workspace).git.status("--short", "--branch", "--untracked-files=all")
    return ToolResult(ok=True, output=output or "clean", returncode=0)


@tool
def git_diff(workspace: Workspace, args: GitDiffArgs, config: ToolConfig) -> ToolResult:
    """Show the diff, leaving out restricted files."""
    repo = _repo(workspace)
    repo.git.add("--intent-to-add", "--all")  # new files show up in the diff
    against = config.base if args.since_base else "HEAD"
    if args.path:
        resolve_path(workspace.root, args.path, config.scope)
    scope_args = ["--", args.path] if args.path else ["--"]
    names = repo.git.diff("--name-only", "--no-renames", against, *scope_args).splitlines()
    allowed = [name for name in names if is_allowed(name, config.scope)]
    hidden = len(names) - len(allowed)
    if not allowed:
        return ToolResult(ok=True, output="no changes" + _hidden_note(hidden), returncode=0)
    mode = ["--stat"] if args.stat else []
    output = repo.git.diff(*mode, "--no-renames", "--no-color", against, "--", *allowed)
    return ToolResult(ok=True, output=output + _hidden_note(hidden), data={"files": len(allowed)})


def _hidden_note(hidden: int) -> str:
    return f"\n[{hidden} restricted files changed; not shown]" if hidden else ""


@tool
def git_commit(workspace: Workspace, args: GitCommitArgs, config: ToolConfig) -> ToolResult:
    """Check the message, restricted paths and scope limits, then commit."""
    message = (args.message or _template(workspace)).strip()
    if not CONVENTIONAL.match(message.splitlines()[0] if message else ""):
        raise Refused(
            "commit message must follow Conventional Commits: `type(scope): summary` with type "
            "one of feat, fix, docs, style, refactor, perf, test, build, ci, chore, revert"
        )
    changed = gitutil.changed_paths(workspace.root, config.base)
    for name in changed:
        if not is_allowed(name, config.scope):
            raise Refused(
                f"{name}: changes a restricted path; cannot commit", rule="restricted_paths"
            )
    breach = check_limits(
        config.scope, len(changed), gitutil.changed_lines(workspace.root, config.base)
    )
    if breach is not None:
        raise Refused(breach.message, rule=breach.rule)
    sha = _commit(workspace, message)
    if sha is None:
        return ToolResult(ok=False, output="nothing to commit: the worktree has no changes")
    subject = message.splitlines()[0]
    return ToolResult(ok=True, output=f"committed {sha[:12]} {subject}", data={"sha": sha})


def _template(workspace: Workspace) -> str:
    if isinstance(workspace, ConfiguredWorkspace):
        return workspace.default_commit_message
    raise Refused("a commit message is required (`type(scope): summary`)")


def _commit(workspace: Workspace, message: str) -> str | None:
    if isinstance(workspace, ConfiguredWorkspace):
        return workspace.commit(message)
    defaults = WorkspaceSettings()
    author = (defaults.author_name, defaults.author_email)
    return gitutil.commit_all(workspace.root, message, author)


@tool
def git_log(workspace: Workspace, args: GitLogArgs, config: ToolConfig) -> ToolResult:
    """Show recent commits: short sha, subject, author."""
    output = _repo(workspace).git.log(f"-n{args.limit}", "--format=%h %s (%an)")
    return ToolResult(ok=True, output=output, returncode=0)
