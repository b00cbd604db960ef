"""Write `.agent/runs/<run-id>/summary.json` (agent.backlog.runs: what `agent report` reads)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from agent.backlog.runs import ItemOutcome, RunItem, RunOutcome, RunSummary, TokenUsage
from agent.config.settings import Settings
from agent.graph.state import CycleOutcome, ItemResult, ItemState, RunState
from agent.system.fsutil import atomic_write_text

OUTCOMES = {
    CycleOutcome.RESOLVED: ItemOutcome.RESOLVED,
    CycleOutcome.BLOCKED: ItemOutcome.BLOCKED,
    CycleOutcome.SKIPPED: ItemOutcome.FAILED,
}


def _time(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds or 0, UTC)


def _item(result: ItemResult) -> RunItem:
    return RunItem(
        item_id=result.item_id,
        title=result.title,
        outcome=OUTCOMES[result.outcome],
        started_at=_time(result.started_at),
        ended_at=_time(result.ended_at),
        tokens=TokenUsage(prompt=result.prompt_tokens, completion=result.completion_tokens),
        cost_usd=result.cost_usd,
        branch=result.branch,
        commits=[result.commit] if result.commit else [],
        phase=result.phase or None,
        blocked_reason=result.reason if result.phase else None,
    )


def _unfinished(state: RunState, item: ItemState, outcome: RunOutcome, error: str) -> RunItem:
    """The item a run was working on when an error stopped it."""
    tally = state.ledger.items.get(item.item_id)
    return RunItem(
        item_id=item.item_id,
        title=item.title,
        outcome=ItemOutcome.FAILED if outcome is RunOutcome.ABORTED else ItemOutcome.INTERRUPTED,
        started_at=_time(item.started_at),
        ended_at=_time(time.time()),
        tokens=TokenUsage(
            prompt=tally.prompt_tokens if tally else 0,
            completion=tally.completion_tokens if tally else 0,
        ),
        cost_usd=tally.cost_usd if tally else 0.0,
        branch=item.branch,
        phase=item.records[-1].phase if item.records else None,
        blocked_reason=error,
    )


def write_summary(
    repo: Path,
    state: RunState,
    settings: Settings,
    outcome: RunOutcome | None = None,
    error: str | None = None,
) -> Path:
    """Summarise the run from its state; a running (or crashed) run has no ended_at."""
    run = state.ledger.run
    if outcome is None and state.finished_at:
        outcome = RunOutcome.FINISHED
    ended = state.finished_at or (time.time() if error is not None else 0)
    items = [_item(result) for result in state.results]
    if error is not None and outcome is not None and state.item is not None:
        items.append(_unfinished(state, state.item, outcome, error))
    summary = RunSummary(
        run_id=state.run_id,
        started_at=_time(state.started_at),
        ended_at=_time(ended) if ended else None,
        outcome=outcome,
        error=error,
        base_branch=state.base_branch or None,
        base_commit=state.head_sha or None,
        items=items,
        tokens=TokenUsage(prompt=run.prompt_tokens, completion=run.completion_tokens),
        cost_usd=run.cost_usd,
    )
    path = repo / settings.report.runs_dir / state.run_id / "summary.json"
    atomic_write_text(path, summary.model_dump_json(indent=2) + "\n")
    return path
