"""Small git helpers shared by discovery, tools and reports (gitpython underneath)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import git

from agent.errors import InputError


def open_repo(path: Path) -> git.Repo:
    """Open the git repository at `path`, or fail clearly (exit 2)."""
    try:
        repo = git.Repo(path, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise InputError(f"{path}: not a git repository (run `git init` first)") from None
    if not repo.head.is_valid():
        raise InputError(f"{path}: the repository has no commits yet (commit something first)")
    return repo


def head_sha(repo: git.Repo) -> str:
    """The commit HEAD points to."""
    return repo.head.commit.hexsha


@contextlib.contextmanager
def temporary_checkout(repo: git.Repo, rev: str = "HEAD") -> Iterator[Path]:
    """Check `rev` out in a detached temporary worktree; remove it afterwards, whatever happens."""
    parent = Path(tempfile.mkdtemp(prefix="agent-checkout-"))
    path = parent / "tree"
    repo.git.worktree("add", "--detach", "--quiet", str(path), rev)
    try:
        yield path
    finally:
        with contextlib.suppress(git.GitCommandError):
            repo.git.worktree("remove", "--force", str(path))
        shutil.rmtree(parent, ignore_errors=True)
        with contextlib.suppress(git.GitCommandError):
            repo.git.worktree("prune")
