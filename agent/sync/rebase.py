"""Rebase a branch's commits onto a new base in a temporary detached worktree, rerere enabled.

The branch ref itself is never moved here: the rebase runs on a detached HEAD at the branch's tip,
so a conflict (or any failure) leaves the branch exactly as it was. Resolutions recorded by rerere
(in the shared `.git/rr-cache`, from any worktree) are replayed and staged (`rerere.autoupdate`);
the rebase continues only when no conflicted path is left.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from agent.system import proc

RERERE = ("-c", "rerere.enabled=true", "-c", "rerere.autoupdate=true", "-c", "commit.gpgsign=false")
REPLAYED = re.compile(r"^(?:Resolved|Staged) '(.+?)' using previous resolution\.?$", re.MULTILINE)


@dataclass
class Rebased:
    """What rebasing one branch onto a base gave (the worktree exists only inside `rebased`)."""

    root: Path
    """The temporary worktree, HEAD detached at the rebased tip (when `ok`)."""
    ok: bool = False
    sha: str = ""
    """The rebased tip; empty when the rebase failed."""
    conflicts: list[str] = field(default_factory=list)
    """Paths left conflicted (rerere had no recorded resolution for them)."""
    replayed: list[str] = field(default_factory=list)
    """Paths whose conflict rerere resolved from an earlier resolution."""
    error: str = ""
    """Why the rebase failed when it was not a conflict."""


@contextlib.contextmanager
def rebased(repo: Path, tip: str, onto: str, committer: tuple[str, str]) -> Iterator[Rebased]:
    """Rebase `tip` onto `onto` in a temporary worktree; remove it afterwards, whatever happens."""
    parent = Path(tempfile.mkdtemp(prefix="agent-sync-"))
    root = parent / "tree"
    try:
        added = _git(repo, ["worktree", "add", "--detach", "--quiet", str(root), tip])
        outcome = Rebased(root, error=added.output.strip()) if not added.ok else None
        yield outcome or _rebase(Rebased(root), onto, committer)
    finally:
        _git(repo, ["worktree", "remove", "--force", "--force", str(root)])
        shutil.rmtree(parent, ignore_errors=True)
        _git(repo, ["worktree", "prune"])


def _rebase(state: Rebased, onto: str, committer: tuple[str, str]) -> Rebased:
    """Run the rebase; continue past conflicts rerere resolved; abort on anything else."""
    env = _env(committer)
    commits = _commits(state.root, onto)
    step = _git(state.root, [*RERERE, "rebase", "--no-verify", onto], env)
    for _ in range(commits + 1):
        state.replayed += REPLAYED.findall(step.output)
        if step.ok:
            state.ok, state.sha = True, _git(state.root, ["rev-parse", "HEAD"]).stdout.strip()
            return state
        if not _in_progress(state.root):
            state.error = step.output.strip()[-400:]
            return state
        left = _git(state.root, ["diff", "--name-only", "--diff-filter=U"]).stdout.split()
        if left:
            state.conflicts = sorted(left)
            break
        step = _git(state.root, [*RERERE, "rebase", "--continue"], env)
    _git(state.root, ["rebase", "--abort"], env)
    state.error = state.error or "the rebase stopped on a conflict"
    return state


def _commits(root: Path, onto: str) -> int:
    counted = _git(root, ["rev-list", "--count", f"{onto}..HEAD"]).stdout.strip()
    return int(counted) if counted.isdigit() else 0


def _in_progress(root: Path) -> bool:
    """True while a rebase is stopped in the worktree at `root`."""
    for name in ("rebase-merge", "rebase-apply"):
        where = _git(root, ["rev-parse", "--git-path", name]).stdout.strip()
        if where and (root / where).exists():
            return True
    return False


def _env(committer: tuple[str, str]) -> dict[str, str]:
    name, email = committer
    return {
        **os.environ,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_EDITOR": "true",
        "GIT_SEQUENCE_EDITOR": "true",
    }


def _git(cwd: Path, args: list[str], env: dict[str, str] | None = None) -> proc.ProcResult:
    return proc.run(["git", *args], cwd=cwd, timeout=300, env=env)
