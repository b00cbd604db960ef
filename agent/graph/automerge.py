"""Merge a resolved item into the base branch, only when every auto-approve rule holds.

The user's working tree is never touched: the base branch is only fast-forwarded, and only when it
is not checked out in any worktree (moving a checked-out branch would change the user's files).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from agent import gitutil, proc
from agent.graph.context import RunContext
from agent.graph.items import load_item
from agent.graph.state import ItemState
from agent.scope import auto_approval, load_scope
from agent.scoring import score_item


def try_auto_merge(ctx: RunContext, item: ItemState, base: str, now: datetime) -> tuple[bool, str]:
    """Fast-forward `base` to the item's commit if allowed; (merged, why)."""
    if not ctx.options.auto_merge or item.commit is None:
        return False, "left for review"
    scope = load_scope(ctx.repo, ctx.settings.scope)
    wsjf = score_item(load_item(ctx, item.item_id), now, ctx.settings.scoring).wsjf
    files = len([path for path in item.changed_files if path != ctx.settings.agent.changelog])
    approved, why = auto_approval(scope, wsjf, files, coverage=None)
    if not approved:
        return False, f"not merged: {why}"
    return _fast_forward(ctx.repo, base, item.commit)


def _fast_forward(repo_path: Path, base: str, commit: str) -> tuple[bool, str]:
    repo = gitutil.open_repo(repo_path)
    if any(entry.branch == base for entry in gitutil.worktrees(repo)):
        return (
            False,
            f"not merged: {base} is checked out in a working tree; merge the branch yourself",
        )
    ancestor = proc.run(
        ["git", "merge-base", "--is-ancestor", base, commit], cwd=repo_path, timeout=60
    )
    if not ancestor.ok:
        return False, f"not merged: {base} moved on; the branch needs a real merge"
    old = repo.git.rev_parse(base)
    repo.git.update_ref(f"refs/heads/{base}", commit, old)
    return True, f"merged into {base} (fast-forward)"
