"""Measure everything a status report holds, in this run."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import git

from agent.backlog.runs import ItemOutcome, RunSummary, read_evidence, read_runs
from agent.backlog.store import read_backlog
from agent.config.settings import Settings
from agent.errors import InputError
from agent.report.backlog_view import backlog_section, next_actions, summary, timeline
from agent.report.delivery import delivery_section
from agent.report.models import Period, Report, RunItemRow, RunRow, Runs, Stamp
from agent.report.quality import quality_section, skipped_quality
from agent.workspace.gitutil import head_sha, open_repo


@dataclass(frozen=True)
class Request:
    """What to report on: the repository, the moment and the period start."""

    root: Path
    now: datetime
    since: datetime | None = None


def build_report(request: Request, settings: Settings) -> Report:
    """Measure every figure of the report for `request.root` as of `request.now`."""
    repo = open_repo(request.root)
    base = _base_branch(repo, settings.report.base_branch)
    base_commit = repo.commit(base).hexsha
    period = _period(request, settings.report.period_days)
    head = Stamp(measured_at=request.now, commit=head_sha(repo))
    on_base = Stamp(measured_at=request.now, commit=base_commit)
    backlog_path = settings.backlog.path
    backlog = read_backlog(request.root / backlog_path, settings.scoring.scale)
    runs_dir = request.root / settings.report.runs_dir
    runs = [r for r in read_runs(runs_dir) if period.since <= r.started_at <= period.until]
    runs_source = f"{settings.report.runs_dir}/*/summary.json"
    if settings.report.quality:
        quality = quality_section(repo, base, settings.tests, on_base)
    else:
        quality = skipped_quality(on_base, "not measured: quality checks disabled (report.quality)")
    return Report(
        generated_at=request.now,
        repository=request.root.name,
        base_branch=base,
        base_commit=base_commit,
        head_commit=head.commit,
        period=period,
        summary=summary(backlog, period, settings.scoring, head, backlog_path),
        runs=_runs(runs, request.root, settings, head, runs_source),
        backlog=backlog_section(backlog, request.now, settings.scoring, head, backlog_path),
        quality=quality,
        delivery=delivery_section(
            repo, base, settings.report.deployments, period, on_base, runs, runs_source
        ),
        timeline=timeline(backlog, period, settings.scoring),
        next_actions=next_actions(
            backlog, request.now, settings.scoring, settings.report.next_actions
        ),
    )


def _base_branch(repo: git.Repo, configured: str | None) -> str:
    if configured is None:
        if repo.head.is_detached:
            raise InputError("HEAD is detached: set report.base_branch or check out a branch")
        return repo.active_branch.name
    try:
        repo.commit(configured)
    except (git.BadName, ValueError):
        raise InputError(f"report.base_branch: no branch or commit named {configured!r}") from None
    return configured


def _period(request: Request, days: int) -> Period:
    since = request.since or request.now - timedelta(days=days)
    if since >= request.now:
        raise InputError(f"--since: {since.isoformat()} is not before the report time")
    return Period(since=since, until=request.now)


def _runs(
    runs: list[RunSummary], root: Path, settings: Settings, stamp: Stamp, source: str
) -> Runs:
    items = [item for run in runs for item in run.items]
    costs = [item.cost_usd for item in items]
    no_runs = "no runs recorded"
    return Runs(
        provenance=stamp.provenance(source),
        runs=[_run_row(run, root, settings.report.evidence_dir) for run in runs],
        runs_count=stamp.figure(len(runs), "runs", source),
        items_attempted=stamp.figure(len(items) if runs else None, "items", source, no_runs),
        items_resolved=stamp.figure(
            sum(1 for i in items if i.outcome is ItemOutcome.RESOLVED) if runs else None,
            "items",
            f"{source} (outcome resolved)",
            no_runs,
        ),
        tokens=stamp.figure(
            sum(i.tokens.total for i in items) if runs else None, "tokens", source, no_runs
        ),
        cost=stamp.figure(
            round(sum(c for c in costs if c is not None), 6)
            if runs and None not in costs
            else None,
            "USD",
            source,
            no_runs if not runs else "cost not recorded for every item",
        ),
    )


def _run_row(run: RunSummary, root: Path, evidence_dir: str) -> RunRow:
    rows = []
    for item in run.items:
        evidence = read_evidence(root / evidence_dir, item.item_id)
        rows.append(
            RunItemRow(
                item_id=item.item_id,
                title=item.title,
                outcome=item.outcome.value,
                duration_s=round(item.duration_s, 3),
                tokens=item.tokens.total,
                cost_usd=item.cost_usd,
                evidence=f"{evidence_dir}/{item.item_id}.json" if evidence else None,
            )
        )
    return RunRow(
        run_id=run.run_id,
        started_at=run.started_at,
        ended_at=run.ended_at,
        tokens=sum(item.tokens.total for item in run.items),
        cost_usd=run.cost_usd,
        items=rows,
    )


def report_stem(now: datetime) -> str:
    """The file name stem of a report made at `now`: <date>-<time> in UTC."""
    return now.astimezone(UTC).strftime("%Y-%m-%d-%H%M%S")


def relative(path: Path, root: Path) -> str:
    """Show `path` relative to `root` when below it."""
    return os.path.relpath(path, root) if path.is_relative_to(root) else str(path)
