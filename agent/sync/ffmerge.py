"""Fast-forward a base branch that is checked out in a working tree, as `git merge --ff-only` would.

Only when that tree is clean (no staged or unstaged change to a tracked file; the agent's own
`backlog.yml` edit is allowed when the merge does not touch it) and the item's commit descends from
the base. Then `git merge --ff-only` runs inside that tree: git itself moves the ref and the files
together, and refuses (changing nothing) if an untracked file would be overwritten.
"""

from __future__ import annotations

from pathlib import Path

from agent.system import proc


def ff_checked_out(
    tree: Path, base: str, branch: str, commit: str, own_files: tuple[str, ...] = ()
) -> tuple[bool, str]:
    """Fast-forward `base`, checked out in `tree`, to `commit`; else say why and change nothing."""
    dirty = _dirty(tree)
    touched = set(_git(tree, "diff", "--name-only", "HEAD", commit).stdout.split())
    blocking = sorted(path for path in dirty if path not in own_files or path in touched)
    if blocking:
        shown = ", ".join(blocking[:5]) + (" ..." if len(blocking) > 5 else "")
        return False, (
            f"not merged: {base} is checked out in {tree} with uncommitted changes ({shown}); "
            f"commit or stash them, then `git merge --ff-only {branch}` there"
        )
    if not _git(tree, "merge-base", "--is-ancestor", "HEAD", commit).ok:
        return False, (
            f"not merged: {base} (checked out in {tree}) moved on since the branch started; "
            f"`agent sync` rebases {branch} onto it, then it can be fast-forwarded"
        )
    merged = _git(tree, "merge", "--ff-only", "--quiet", commit)
    if not merged.ok:
        why = (merged.stderr or merged.stdout).strip().splitlines() or ["no output"]
        return False, f"not merged: git merge --ff-only refused in {tree}: {why[0][:200]}"
    return True, f"merged into {base} (fast-forward, checked out in {tree})"


def _dirty(tree: Path) -> list[str]:
    """Tracked paths with staged or unstaged changes in `tree` (untracked files are not listed)."""
    status = _git(tree, "status", "--porcelain=v1", "-z", "--untracked-files=no")
    entries = [entry for entry in status.stdout.split("\0") if entry]
    return [entry[3:] for entry in entries if len(entry) > 3]


def _git(tree: Path, *args: str) -> proc.ProcResult:
    return proc.run(["git", *args], cwd=tree, timeout=120)
