"""Macro-loop nodes: sync, discover, score, select, merge & log, and the routers between them."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.backlog.models import Status
from agent.backlog.scoring import rank
from agent.backlog.store import display_path, read_backlog, update_backlog
from agent.config.scope import LimitBreach, check_pr_limit, load_scope
from agent.errors import AgentError, InputError
from agent.graph.automerge import try_auto_merge
from agent.graph.deliver import write_evidence, write_pr
from agent.graph.items import load_item
from agent.graph.run_context import RunContext
from agent.graph.state import CycleOutcome, ItemResult, ItemState, RunState
from agent.system import proc
from agent.workspace import gitutil
from agent.workspace.worktree import close_workspace, items_committed_today, open_workspace


def sync(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Record HEAD and the base branch; note (never touch) a dirty user tree; sync if asked."""
    repo = gitutil.open_repo(ctx.repo)
    base = ctx.settings.workspace.base_branch or gitutil.current_branch(repo) or "HEAD"
    dirty = bool(
        proc.run(["git", "status", "--porcelain"], cwd=ctx.repo, timeout=60).stdout.strip()
    )
    if dirty:
        ctx.say("Your working tree has uncommitted changes; the agent works from the last commit.")
    if ctx.options.sync_branches or ctx.settings.workspace.sync_branches:
        from agent.sync.engine import sync_branches

        for result in sync_branches(ctx.repo, ctx.settings, base):
            ctx.say(f"Sync: {result.line}")
    return {
        "base_branch": base,
        "head_sha": gitutil.head_sha(repo),
        "dirty_user_tree": dirty,
        "started_at": state.started_at or time.time(),
    }


def discover(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Merge fresh discoveries into backlog.yml."""
    if not ctx.options.discover:
        return {}
    from agent.discovery.engine import discover as run_discovery

    found = run_discovery(ctx.repo, ctx.settings, ctx.options.sources, _now(state), write=True)
    report = found.report
    counts = {
        "new": len(report.new),
        "updated": len(report.updated),
        "resolved": len(report.resolved),
    }
    ctx.say(
        f"Discovery: {counts['new']} new, {counts['updated']} updated, "
        f"{counts['resolved']} resolved items."
    )
    for warning in found.warnings:
        ctx.say(f"warning: {warning}")
    return {"discovered": counts}


def score(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Rank the backlog by WSJF."""
    backlog = read_backlog(ctx.repo / ctx.settings.backlog.path, ctx.settings.scoring.scale)
    ranked = rank(backlog.items, _now(state), ctx.settings.scoring)
    actionable = [s.item.id for s in ranked if s.score.actionable]
    next_step = "end" if ctx.options.discover_only else "select"
    return {"ranked": [s.item.id for s in ranked], "actionable": actionable, "next_step": next_step}


def select(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Pick the next item: --item, else the top actionable one, else a top item needing criteria."""
    done = {result.item_id for result in state.results}
    breach = _pr_limit(state, ctx)
    if breach is not None:
        return {"item": None, "stop_reason": f"PR daily limit reached: {breach.message}"}
    path = ctx.repo / ctx.settings.backlog.path
    backlog = read_backlog(path, ctx.settings.scoring.scale)
    wanted = ctx.options.item_id
    if wanted and backlog.get(wanted) is None:
        shown = display_path(path)
        raise InputError(f"{shown}: no item with id '{wanted}' (`agent backlog` lists the ids)")
    chosen = _choose(state, ctx, backlog.items, done)
    entry = backlog.get(chosen) if chosen else None
    if chosen is None or entry is None:
        return {"item": None, "stop_reason": state.stop_reason or "nothing actionable"}
    previous = entry.status if entry.status is not Status.DOING else Status.READY
    set_item_status(ctx, chosen, Status.DOING, None)
    ctx.say(f"Working on {chosen}: {entry.title}")
    item = ItemState(
        item_id=chosen, title=entry.title, started_at=time.time(), previous_status=previous.value
    )
    return {"item": item}


def _pr_limit(state: RunState, ctx: RunContext) -> LimitBreach | None:
    """The PR daily limit as of the run's `now`, counting branches under the configured prefix."""
    scope = load_scope(ctx.repo, ctx.settings.scope)
    prefix = ctx.settings.workspace.branch_prefix
    return check_pr_limit(scope, items_committed_today(ctx.repo, _now(state), prefix))


def _choose(state: RunState, ctx: RunContext, items: list[Any], done: set[str]) -> str | None:
    if ctx.options.item_id:
        return ctx.options.item_id if ctx.options.item_id not in done else None
    for item_id in state.actionable:
        if item_id not in done:
            return item_id
    by_id = {item.id: item for item in items}
    for item_id in state.ranked:  # a NEW/REFINED item ranking highest goes through clarification
        item = by_id.get(item_id)
        if item and item_id not in done and item.status in (Status.NEW, Status.REFINED):
            return item_id
        if item and item.status not in (Status.BLOCKED, Status.PR, Status.DOING):
            break
    return None


def merge_log(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Leave the branch for review; write evidence and PR; update backlog.yml; drop the worktree."""
    item = state.item
    assert item is not None
    workspace = open_workspace(ctx.repo, item.item_id, item.title, ctx.settings)
    if item.blocked is not None:
        workspace.commit(f"wip: {item.title} [blocked in {item.blocked.phase}]\n")
    close_workspace(workspace)
    evidence = write_evidence(ctx, state, item)
    result = _result(state, item, evidence)
    if item.blocked is None:
        pr = write_pr(ctx, state, item)
        merged, why = try_auto_merge(ctx, item, state.base_branch, _now(state))
        result = result.model_copy(
            update={"pr_path": str(pr.relative_to(ctx.repo)), "reason": f"{result.reason}; {why}"}
        )
        links = [f"branch:{item.branch}", f"commit:{item.commit}"]
        links += [] if merged else _publish(ctx, item, state.base_branch, pr)
        set_item_status(ctx, item.item_id, Status.DONE if merged else Status.PR, None, links)
    else:
        blocked = item.blocked
        reason = f"[{blocked.phase}] {blocked.reason} — decision needed: {blocked.decision}"
        _escalate(ctx, item.item_id, reason, blocked.decision)
        set_item_status(ctx, item.item_id, Status.BLOCKED, reason, [f"branch:{item.branch}"])
    ctx.say(_line(result))
    results = [*state.results, result]
    more = not ctx.options.item_id and len(results) < ctx.options.max_items
    return {"item": None, "results": results, "next_step": "select" if more else "finish"}


def _publish(ctx: RunContext, item: ItemState, base: str, pr: Path) -> list[str]:
    """With --push or --pr: push the branch, open or update its draft PR (links to record)."""
    if not (ctx.options.push or ctx.options.pr) or item.branch is None:
        return []
    from agent.forge.publish import publish

    entry = load_item(ctx, item.item_id)
    url = publish(ctx.repo, ctx.settings.forge, entry, item.branch, base, pr, ctx.options.pr)
    ctx.say(f"Pushed {item.branch}" + (f"; draft pull request {url}" if url else ""))
    return [f"pr:{url}"] if url else []


def _escalate(ctx: RunContext, item_id: str, reason: str, decision: str) -> None:
    """Ask on the item's issue for the decision needed, once (items from issues, with a forge)."""
    if not ctx.settings.forge.enabled:
        return
    from agent.forge.escalate import escalate

    entry = load_item(ctx, item_id)
    try:
        if escalate(ctx.repo, ctx.settings.forge, entry, reason, decision):
            ctx.say(f"Asked on the issue of {item_id} for the decision needed.")
    except AgentError as exc:  # the item stays BLOCKED; the next run asks again
        ctx.say(f"warning: could not comment on the issue of {item_id}: {exc}")


def _result(state: RunState, item: ItemState, evidence: Any) -> ItemResult:
    tally = state.ledger.items.get(item.item_id)
    blocked = item.blocked
    return ItemResult(
        item_id=item.item_id,
        title=item.title,
        outcome=CycleOutcome.BLOCKED if blocked else CycleOutcome.RESOLVED,
        reason=blocked.reason if blocked else "RED failed before, passes after; full suite green",
        decision=blocked.decision if blocked else "",
        phase=blocked.phase if blocked else "",
        branch=item.branch,
        commit=item.commit,
        evidence_path=str(evidence.relative_to(state.repo)) if state.repo else str(evidence),
        seconds=round(time.time() - item.started_at, 1),
        started_at=item.started_at,
        ended_at=time.time(),
        tokens=tally.tokens if tally else 0,
        cost_usd=tally.cost_usd if tally else 0.0,
        prompt_tokens=tally.prompt_tokens if tally else 0,
        completion_tokens=tally.completion_tokens if tally else 0,
        calls=tally.calls if tally else 0,
    )


def _line(result: ItemResult) -> str:
    if result.outcome is CycleOutcome.RESOLVED:
        return f"Resolved {result.item_id} on branch {result.branch} ({(result.commit or '')[:10]})"
    return f"Blocked {result.item_id} in {result.phase}: {result.reason[:200]}"


def set_item_status(
    ctx: RunContext,
    item_id: str,
    status: Status,
    reason: str | None,
    links: list[str] | None = None,
    note: str | None = None,
) -> None:
    """Move an item to `status` in backlog.yml (every move replaces the reason and the note)."""
    with update_backlog(
        ctx.repo / ctx.settings.backlog.path, ctx.settings.scoring.scale
    ) as backlog:
        entry = backlog.get(item_id)
        if entry is None:
            return
        entry.status = status
        entry.blocked_reason = reason
        entry.note = note
        entry.updated_at = datetime.now(UTC)
        for link in links or []:
            if link not in entry.links and not link.endswith(":None"):
                entry.links = [
                    *[old for old in entry.links if old.split(":")[0] != link.split(":")[0]],
                    link,
                ]


def route_after_select(state: RunState) -> str:
    """Work the chosen item, or finish the run."""
    return "work" if state.item is not None else "finish"


def route_next(state: RunState) -> str:
    """Follow the step the last macro node chose."""
    return state.next_step


def finish(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Record the end of the run (the summary file is written by the runner)."""
    return {"finished_at": time.time()}


def _now(state: RunState) -> datetime:
    return datetime.fromisoformat(state.now)
