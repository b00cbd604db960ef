"""Write `.agent/runs/<run-id>/summary.json` (the agent.runs schema that `agent report` reads)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from agent.fsutil import atomic_write_text
from agent.graph.state import ItemResult, Outcome, RunState
from agent.runs import ItemOutcome, RunItem, RunSummary, TokenUsage
from agent.settings import Settings

OUTCOMES = {
    Outcome.RESOLVED: ItemOutcome.RESOLVED,
    Outcome.BLOCKED: ItemOutcome.BLOCKED,
    Outcome.SKIPPED: ItemOutcome.FAILED,
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


def write_summary(repo: Path, state: RunState, settings: Settings) -> Path:
    """Summarise the run from its state; an unfinished run has no ended_at."""
    run = state.ledger.run
    summary = RunSummary(
        run_id=state.run_id,
        started_at=_time(state.started_at),
        ended_at=_time(state.finished_at) if state.finished_at else None,
        base_branch=state.base_branch or None,
        base_commit=state.head_sha or None,
        items=[_item(result) for result in state.results],
        tokens=TokenUsage(prompt=run.prompt_tokens, completion=run.completion_tokens),
        cost_usd=run.cost_usd,
    )
    path = repo / settings.report.runs_dir / state.run_id / "summary.json"
    atomic_write_text(path, summary.model_dump_json(indent=2) + "\n")
    return path
