"""One isolated git worktree per item: the user's working tree, index and HEAD are never touched.

An item is worked on branch `agent/<item-id>-<slug>`, started from the base branch, in a worktree
under `<git dir>/agent-worktrees/<item-id>` (outside the user's tree). Agent commits carry the
configured identity (set per commit, never in git config) and an `Agent-Item: <id>` trailer. At the
end the worktree is removed and the branch kept. A worktree left by a crashed run is reused; a stale
directory or registration is cleaned (`git worktree prune`), never duplicated.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import git

from agent.config.scope import LimitBreach, ScopeSettings, check_limits, load_scope
from agent.config.settings import Settings, load_settings
from agent.errors import InputError
from agent.system.fsutil import locked
from agent.workspace import gitutil

AGENT_DIR_PATTERN = "/.agent/"
TRAILER = "Agent-Item"
COMMIT_TYPES = {
    "feature": "feat",
    "bug": "fix",
    "security": "fix",
    "docs": "docs",
    "test": "test",
    "refactor": "refactor",
    "debt": "refactor",
    "chore": "chore",
    "investigation": "chore",
}
SUBJECT_MAX = 72


def slugify(text: str, max_length: int = 40) -> str:
    """Lower-case `text` into a branch-safe slug of words joined by '-'."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = "-".join(words)[:max_length].rstrip("-")
    return slug or "item"


def branch_name(item_id: str, title: str, prefix: str = "agent/") -> str:
    """Name the branch of an item: `<prefix><item-id>-<slug>`."""
    safe_id = re.sub(r"[^A-Za-z0-9_-]+", "-", item_id).strip("-") or "item"
    return f"{prefix}{safe_id}-{slugify(title)}"


def commit_message(item_type: str | None, title: str) -> str:
    """The template commit message of an item: `<conventional type>: <title>`."""
    kind = COMMIT_TYPES.get((item_type or "").lower(), "chore")
    summary = " ".join(title.split()).rstrip(".") or "update"
    subject = f"{kind}: {summary[:1].lower()}{summary[1:]}"
    return subject if len(subject) <= SUBJECT_MAX else subject[: SUBJECT_MAX - 3].rstrip() + "..."


@dataclass(frozen=True)
class ItemWorkspace:
    """An item's worktree: where tools act (implements agent.tools.base.Workspace)."""

    repo_root: Path
    root: Path
    branch: str
    base: str
    base_sha: str
    item_id: str
    settings: Settings
    scope: ScopeSettings
    title: str = ""
    item_type: str | None = None
    reused: bool = False
    focus: tuple[str, ...] = ()
    """The item's own files (its source, its RED test): they pick the nested AGENTS.md."""

    @property
    def default_commit_message(self) -> str:
        """The template message used when the model gives none."""
        return commit_message(self.item_type, self.title)

    @property
    def author(self) -> tuple[str, str]:
        """Name and email of agent commits."""
        return self.settings.workspace.author_name, self.settings.workspace.author_email

    def commit(self, message: str) -> str | None:
        """Commit every change with the item trailer; the new sha, or None when nothing changed."""
        return gitutil.commit_all(self.root, message, self.author, {TRAILER: self.item_id})

    def changed_files(self) -> list[str]:
        """Files this item changed since its base (committed or not)."""
        return gitutil.changed_paths(self.root, self.base_sha)

    def limit_breach(self) -> LimitBreach | None:
        """The scope limit this item's changes exceed, if any (checked before every commit)."""
        lines = gitutil.changed_lines(self.root, self.base_sha)
        return check_limits(self.scope, len(self.changed_files()), lines)


def open_workspace(
    repo_path: Path,
    item_id: str,
    title: str,
    settings: Settings | None = None,
    item_type: str | None = None,
) -> ItemWorkspace:
    """Create (or reuse) the worktree of an item; refuse clearly on an unusable repository."""
    repo = gitutil.open_repo(repo_path)
    if repo.working_tree_dir is None:
        raise InputError(f"{repo_path}: a bare repository has no working tree to work from")
    repo_root = Path(repo.working_tree_dir)
    settings = settings or load_settings(repo_root)
    scope = load_scope(repo_root, settings.scope)
    base = _base_branch(repo, settings)
    branch = branch_name(item_id, title, settings.workspace.branch_prefix)
    path = _worktree_path(repo, repo_root, settings, branch)
    gitutil.ensure_excluded(repo, AGENT_DIR_PATTERN)
    with locked(path):
        reused = _prepare(repo, path, branch, base)
    base_sha = repo.git.merge_base(base, branch)
    return ItemWorkspace(
        repo_root, path, branch, base, base_sha, item_id, settings, scope, title, item_type, reused
    )


def close_workspace(workspace: ItemWorkspace) -> None:
    """Remove the item's worktree (its branch stays); safe to call twice."""
    repo = git.Repo(workspace.repo_root)
    with contextlib.suppress(git.GitCommandError):
        repo.git.worktree("remove", "--force", "--force", str(workspace.root))
    shutil.rmtree(workspace.root, ignore_errors=True)
    with contextlib.suppress(git.GitCommandError):
        repo.git.worktree("prune")


def discard_workspace(repo_path: Path, item_id: str, title: str, settings: Settings) -> str | None:
    """Drop an abandoned item's worktree, and its branch unless it holds commits (returned)."""
    repo = gitutil.open_repo(repo_path)
    repo_root = Path(repo.working_tree_dir or repo_path)
    branch = branch_name(item_id, title, settings.workspace.branch_prefix)
    path = _worktree_path(repo, repo_root, settings, branch)
    with locked(path):
        with contextlib.suppress(git.GitCommandError):
            repo.git.worktree("remove", "--force", "--force", str(path))
        shutil.rmtree(path, ignore_errors=True)
        repo.git.worktree("prune")
    if not gitutil.branch_exists(repo, branch):
        return None
    own = repo.git.rev_list("--count", f"{_base_branch(repo, settings)}..{branch}").strip()
    if own != "0":
        return branch
    repo.git.branch("-D", branch)
    return None


def items_committed_today(repo_path: Path, now: datetime, prefix: str = "agent/") -> int:
    """Count the items with agent commits (Agent-Item trailer) on `now`'s UTC day."""
    repo = gitutil.open_repo(repo_path)
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    output = repo.git.log(
        f"--branches={prefix}*",
        f"--since={midnight.isoformat()}",
        f"--until={(midnight + timedelta(days=1)).isoformat()}",
        f"--format=%(trailers:key={TRAILER},valueonly,separator=%x00)",
    )
    return len(
        {value.strip() for value in output.replace("\0", "\n").splitlines() if value.strip()}
    )


def _base_branch(repo: git.Repo, settings: Settings) -> str:
    configured = settings.workspace.base_branch
    if configured is None:
        return gitutil.current_branch(repo) or gitutil.head_sha(repo)
    if not gitutil.branch_exists(repo, configured):
        known = ", ".join(sorted(head.name for head in repo.heads)) or "none"
        raise InputError(
            f"{repo.working_tree_dir}: base branch '{configured}' does not exist "
            f"(local branches: {known}); set workspace.base_branch to one of them"
        )
    return configured


def _worktree_path(repo: git.Repo, repo_root: Path, settings: Settings, branch: str) -> Path:
    configured = settings.workspace.worktree_dir
    git_dir = gitutil.common_git_dir(repo)
    parent = (repo_root / configured) if configured else git_dir / "agent-worktrees"
    parent = parent.resolve()
    if parent.is_relative_to(repo_root.resolve()) and not parent.is_relative_to(git_dir):
        raise InputError(
            f"workspace.worktree_dir = {configured!r}: must lie outside the working tree "
            f"{repo_root} (or inside its .git directory)"
        )
    return parent / branch.removeprefix(settings.workspace.branch_prefix)


def _prepare(repo: git.Repo, path: Path, branch: str, base: str) -> bool:
    """Make `path` a worktree on `branch`; True when a crashed run's worktree was reused."""
    repo.git.worktree("prune")
    for entry in gitutil.worktrees(repo):
        same_path = entry.path.resolve() == path.resolve()
        if same_path and entry.locked:  # a kill during `worktree add`: half checked out
            repo.git.worktree("remove", "--force", "--force", str(path))
            continue
        if entry.branch == branch and same_path and path.is_dir():
            return True
        if entry.branch == branch:
            raise InputError(
                f"branch '{branch}' is already checked out in {entry.path}; "
                "switch that checkout to another branch or remove it (git worktree remove)"
            )
        if same_path:  # a kill during `worktree add` leaves it locked: force twice
            repo.git.worktree("remove", "--force", "--force", str(path))
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if gitutil.branch_exists(repo, branch):
            repo.git.worktree("add", "--quiet", str(path), branch)
        else:
            repo.git.worktree("add", "--quiet", "-b", branch, str(path), base)
    except git.GitCommandError as exc:
        detail = (exc.stderr or str(exc)).strip().splitlines()
        raise InputError(f"cannot create the worktree for '{branch}' at {path}", *detail) from None
    return False
