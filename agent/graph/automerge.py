"""Merge a resolved item into the base branch, only when every auto-approve rule holds.

A base branch that is not checked out anywhere is fast-forwarded when it can be; when it moved on
since the item started, a merge commit is built without any worktree (`git merge-tree
--write-tree`, git 2.38+) and only when the two merge cleanly. The ref is updated with its old
value as a guard, so a concurrent change is never overwritten. A base checked out in a working
tree (the usual `main`) is only fast-forwarded, by `git merge --ff-only` in that tree, and only
when the tree is clean (agent.sync.ffmerge); otherwise nothing changes and the reason is given.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from agent.backlog.scoring import score_item
from agent.config.scope import auto_approval, load_scope
from agent.graph.items import load_item
from agent.graph.run_context import RunContext
from agent.graph.state import ItemState
from agent.sync.ffmerge import ff_checked_out
from agent.system import proc
from agent.workspace import gitutil


def try_auto_merge(ctx: RunContext, item: ItemState, base: str, now: datetime) -> tuple[bool, str]:
    """Merge the item's commit into `base` if allowed (fast-forward, else a clean merge commit)."""
    if not ctx.options.auto_merge or item.commit is None:
        return False, "left for review"
    scope = load_scope(ctx.repo, ctx.settings.scope)
    wsjf = score_item(load_item(ctx, item.item_id), now, ctx.settings.scoring).wsjf
    files = len([path for path in item.changed_files if path != ctx.settings.agent.changelog])
    approved, why = auto_approval(scope, wsjf, files, coverage=None)
    if not approved:
        return False, f"not merged: {why}"
    author = ctx.settings.workspace.author_name, ctx.settings.workspace.author_email
    own = (ctx.settings.backlog.path,)
    return _merge(ctx.repo, base, item.branch or item.commit[:12], item.commit, author, own)


def _merge(
    repo_path: Path,
    base: str,
    branch: str,
    commit: str,
    author: tuple[str, str],
    own_files: tuple[str, ...] = (),
) -> tuple[bool, str]:
    repo = gitutil.open_repo(repo_path)
    holder = next((entry for entry in gitutil.worktrees(repo) if entry.branch == base), None)
    if holder is not None:
        return ff_checked_out(holder.path, base, branch, commit, own_files)
    ancestor = proc.run(
        ["git", "merge-base", "--is-ancestor", base, commit], cwd=repo_path, timeout=60
    )
    old = repo.git.rev_parse(base)
    if not ancestor.ok:
        return _merge_commit(repo_path, base, old, branch, commit, author)
    repo.git.update_ref(f"refs/heads/{base}", commit, old)
    return True, f"merged into {base} (fast-forward)"


def _merge_commit(
    repo_path: Path, base: str, old: str, branch: str, commit: str, author: tuple[str, str]
) -> tuple[bool, str]:
    """A merge commit of `commit` into `base` (at `old`), built without a worktree."""
    tree = proc.run(
        ["git", "merge-tree", "--write-tree", "--no-messages", old, commit],
        cwd=repo_path,
        timeout=60,
    )
    if tree.returncode == 1:
        return (
            False,
            f"not merged: {base} moved on and conflicts with the branch; merge it yourself",
        )
    if not tree.ok or not tree.stdout.strip():
        return False, f"not merged: {base} moved on; the branch needs a merge (git 2.38+ does it)"
    message = f"Merge branch '{branch}' into {base}"
    args = ["git", "-c", "commit.gpgsign=false", "commit-tree", tree.stdout.split()[0]]
    args += ["-p", old, "-p", commit, "-m", message]
    made = proc.run(args, cwd=repo_path, timeout=60, env=os.environ | gitutil.author_env(author))
    if not made.ok:
        return False, f"not merged: git commit-tree failed: {made.output.strip()[:200]}"
    merge = made.stdout.strip()
    update = proc.run(
        ["git", "update-ref", f"refs/heads/{base}", merge, old], cwd=repo_path, timeout=60
    )
    if not update.ok:
        return False, f"not merged: {base} moved while merging; merge the branch yourself"
    return True, f"merged into {base} (merge commit {merge[:12]})"
