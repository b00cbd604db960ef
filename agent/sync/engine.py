"""`agent sync`: rebase every agent branch under review onto the moved base, re-check it, push it.

A branch is under review when its backlog item is PR and links `branch:<name>`. It is rebased in
a temporary worktree (agent.sync.rebase), its RED check and the suite are re-run there
(agent.sync.recheck), it is pushed with a lease when the forge remote already has it, and only then
is the local branch moved (guarded by its old sha). A conflict or a failing check makes the item
BLOCKED with the files and the decision needed; the branch keeps its sha.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import git

from agent.backlog.models import BacklogItem, Status
from agent.backlog.store import read_backlog, update_backlog
from agent.config.settings import Settings
from agent.errors import AgentError, InputError
from agent.sync.rebase import Rebased, rebased
from agent.sync.recheck import red_check, verify
from agent.system import proc
from agent.workspace import gitutil

SHOWN = 8


@dataclass(frozen=True)
class SyncResult:
    """What syncing one item's branch did."""

    item_id: str
    branch: str
    outcome: str
    """rebased, current (already on the base), merged (already in it), skipped, blocked, failed."""
    detail: str
    old: str = ""
    new: str = ""

    @property
    def line(self) -> str:
        """One line for the terminal."""
        moved = f" {self.old[:10]} -> {self.new[:10]}" if self.new and self.new != self.old else ""
        return f"{self.item_id} {self.branch}: {self.outcome}{moved}: {self.detail}"


def sync_branches(
    repo_path: Path, settings: Settings, base: str | None = None, item_id: str | None = None
) -> list[SyncResult]:
    """Rebase the branch of every item under review (or of `item_id`) onto `base`."""
    repo = gitutil.open_repo(repo_path)
    root = Path(repo.working_tree_dir or repo_path)
    base = base or base_branch(repo, settings)
    base_sha = repo.git.rev_parse(f"{base}^{{commit}}")
    backlog = read_backlog(root / settings.backlog.path, settings.scoring.scale)
    chosen = [item for item in backlog.items if _branch_of(item) and item.status is Status.PR]
    if item_id is not None:
        chosen = [item for item in chosen if item.id == item_id]
        if not chosen:
            raise InputError(f"{item_id}: no item under review (status PR with a branch) has it")
    return [_sync(root, repo, settings, item, base, base_sha) for item in chosen]


def base_branch(repo: git.Repo, settings: Settings) -> str:
    """The configured base branch, else the one checked out; fail clearly when there is none."""
    base = settings.workspace.base_branch or gitutil.current_branch(repo)
    if base is None or not gitutil.branch_exists(repo, base):
        raise InputError(
            f"{repo.working_tree_dir}: no base branch (HEAD is detached or "
            f"'{base}' does not exist); set workspace.base_branch"
        )
    return base


def _sync(
    root: Path, repo: git.Repo, settings: Settings, item: BacklogItem, base: str, base_sha: str
) -> SyncResult:
    branch = _branch_of(item) or ""
    if not gitutil.branch_exists(repo, branch):
        return SyncResult(item.id, branch, "skipped", "the branch does not exist here")
    old = repo.git.rev_parse(branch)
    if _ancestor(root, old, base_sha):
        return SyncResult(item.id, branch, "merged", f"already in {base}", old)
    if _ancestor(root, base_sha, old):
        return SyncResult(item.id, branch, "current", f"already on {base} ({base_sha[:10]})", old)
    holder = next((e.path for e in gitutil.worktrees(repo) if e.branch == branch), None)
    if holder is not None:
        return SyncResult(item.id, branch, "skipped", f"checked out in {holder}; not moved", old)
    author = settings.workspace.author_name, settings.workspace.author_email
    with rebased(root, old, base_sha, author) as done:
        return _finish(root, repo, settings, item, (base, base_sha), old, done)


def _finish(
    root: Path,
    repo: git.Repo,
    settings: Settings,
    item: BacklogItem,
    base: tuple[str, str],
    old: str,
    done: Rebased,
) -> SyncResult:
    """Check the rebased tip; then push it and move the branch, or block the item."""
    branch, (name, sha) = _branch_of(item) or "", base
    onto = f"{name} ({sha[:10]})"
    if done.conflicts:
        files = _files(done.conflicts)
        reason = f"[sync] rebasing {branch} onto {onto} conflicts in {files}"
        decision = (
            f"rebase {branch} onto {name} yourself with rerere on "
            f"(git -c rerere.enabled=true rebase {name}) and resolve {files}; "
            "`agent sync` replays that resolution next time. Or close the item"
        )
        return _block(root, settings, item, reason, decision, old)
    if not done.ok:
        return SyncResult(item.id, branch, "failed", f"rebase failed: {done.error}", old)
    verdict = verify(done.root, repo, sha, red_check(root, item), settings.tests)
    if not verdict.ok:
        reason = f"[sync] after rebasing {branch} onto {onto}, {verdict.summary}"
        decision = f"fix the branch for the new {name} (it was left as it was), or close the item"
        return _block(root, settings, item, reason, decision, old)
    replayed = f"; rerere replayed {_files(done.replayed)}" if done.replayed else ""
    try:
        pushed = _push(root, settings, branch, done.sha, old)
    except AgentError as exc:
        return SyncResult(item.id, branch, "failed", f"not pushed, left as it was: {exc}", old)
    repo.git.update_ref(f"refs/heads/{branch}", done.sha, old)
    return SyncResult(
        item.id, branch, "rebased", verdict.summary + replayed + pushed, old, done.sha
    )


def _push(root: Path, settings: Settings, branch: str, new: str, old: str) -> str:
    """With a forge: push the rebased tip over the remote branch only if it is still `old`."""
    forge = settings.forge
    if not forge.enabled:
        return ""
    listed = proc.run(
        ["git", "ls-remote", forge.remote, f"refs/heads/{branch}"], cwd=root, timeout=120
    )
    if not listed.stdout.strip():
        return f"; not on {forge.remote}, so not pushed"
    from agent.forge.pulls import push_branch

    push_branch(root, forge.remote, branch, source=new, lease=old)
    return f"; pushed to {forge.remote} (force-with-lease)"


def _block(
    root: Path, settings: Settings, item: BacklogItem, reason: str, decision: str, old: str
) -> SyncResult:
    """Make the item BLOCKED with the reason and the decision needed (the branch is unchanged)."""
    text = f"{reason} — decision needed: {decision}"
    with update_backlog(root / settings.backlog.path, settings.scoring.scale) as backlog:
        entry = backlog.get(item.id)
        if entry is not None:
            entry.status = Status.BLOCKED
            entry.blocked_reason = text
            entry.updated_at = datetime.now(UTC)
    return SyncResult(item.id, _branch_of(item) or "", "blocked", text, old)


def _branch_of(item: BacklogItem) -> str | None:
    return next((link[7:] for link in item.links if link.startswith("branch:")), None)


def _ancestor(root: Path, older: str, newer: str) -> bool:
    args = ["git", "merge-base", "--is-ancestor", older, newer]
    return proc.run(args, cwd=root, timeout=60).ok


def _files(paths: list[str]) -> str:
    more = f" and {len(paths) - SHOWN} more" if len(paths) > SHOWN else ""
    return ", ".join(paths[:SHOWN]) + more
