"""The delivery section: DORA figures from git and agent figures from run records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import git

from agent.backlog.runs import ItemOutcome, RunItem, RunSummary
from agent.report import dora
from agent.report.models import Delivery, Figure, Period, Stamp

NO_RUNS = "no runs recorded"


def delivery_section(
    repo: git.Repo,
    base: str,
    mode: str,
    period: Period,
    stamp: Stamp,
    runs: Sequence[RunSummary],
    runs_source: str,
) -> Delivery:
    """Measure the four keys on `base` over `period`, and the agent metrics from `runs`."""
    hist = dora.history(repo, base)
    deploys = _deployment_figures(repo, hist, base, mode, period, stamp)
    merged = dora.changes(hist, period.since, period.until)
    landed = dora.landing_times(hist, period.since, period.until)
    failed = dora.failures(merged, (hist.commits[sha] for sha in landed), landed)
    no_merges = f"no merges into {base} in the period"
    merges_src = f"git log {base} (merges on the first-parent line)"
    items = [item for run in runs for item in run.items]
    return Delivery(
        **deploys,
        lead_time=stamp.figure(
            _round(dora.median_hours(c.lead_time for c in merged)),
            "hours",
            f"{merges_src}; commits each merge brought in (first author time to merge time)",
            no_merges,
        ),
        change_failure_rate=stamp.figure(
            _round(len(failed) / len(merged)) if merged else None,
            "ratio",
            f"{merges_src}; reverts and fixes naming a merged commit",
            no_merges,
        ),
        time_to_restore=stamp.figure(
            _round(dora.median_hours(f.restored_at - f.change.merge.committed for f in failed)),
            "hours",
            f"{merges_src}; merge time to the revert or fix landing",
            "no failed changes in the period" if merged else no_merges,
        ),
        **_agent_figures(items, stamp, runs_source),
    )


def _deployment_figures(
    repo: git.Repo, hist: dora.History, base: str, mode: str, period: Period, stamp: Stamp
) -> dict[str, Figure]:
    kind, found = dora.deployments(repo, hist, base, mode, period.since, period.until)
    source = (
        f"git for-each-ref refs/tags --merged={base}"
        if kind == "tags"
        else f"git log {base} (merges on the first-parent line)"
    )
    days = [d.at.date() for d in found]
    return {
        "deployments": stamp.figure(len(found), kind, source),
        "deployment_frequency": stamp.figure(
            _round(dora.per_week(len(found), period.since, period.until)), "per week", source
        ),
        "deployment_bucket": stamp.figure(
            dora.bucket(days, period.since.date(), period.until.date()),
            "four keys bucket",
            f"{source} (median deployment days per week over the period)",
        ),
    }


def _agent_figures(items: Sequence[RunItem], stamp: Stamp, source: str) -> dict[str, Figure]:
    resolved = [item for item in items if item.outcome is ItemOutcome.RESOLVED]
    reason = NO_RUNS if not items else "no item resolved in the period"
    return {
        "cycle_time": stamp.figure(
            _round(dora.median_hours(timedelta(seconds=i.duration_s) for i in resolved)),
            "hours",
            f"{source} (items[].started_at to ended_at, resolved items)",
            reason,
        ),
        "first_try_resolve_rate": stamp.figure(
            _first_try_rate(items), "ratio", f"{source} (first attempt of each item)", NO_RUNS
        ),
        "tokens_per_resolved": stamp.figure(
            _round(sum(i.tokens.total for i in items) / len(resolved)) if resolved else None,
            "tokens",
            f"{source} (all item tokens / resolved items)",
            reason,
        ),
        "cost_per_resolved": stamp.figure(
            _cost_per_resolved(items, len(resolved)),
            "USD",
            f"{source} (all item costs / resolved items)",
            _cost_reason(items, resolved),
        ),
    }


def _first_try_rate(items: Sequence[RunItem]) -> float | None:
    first: dict[str, RunItem] = {}
    for item in sorted(items, key=lambda i: (i.started_at, i.item_id)):
        first.setdefault(item.item_id, item)
    if not first:
        return None
    resolved = sum(1 for item in first.values() if item.outcome is ItemOutcome.RESOLVED)
    return _round(resolved / len(first))


def _cost_per_resolved(items: Sequence[RunItem], resolved: int) -> float | None:
    costs = [item.cost_usd for item in items]
    if not resolved or any(cost is None for cost in costs):
        return None
    return round(sum(cost for cost in costs if cost is not None) / resolved, 6)


def _cost_reason(items: Sequence[RunItem], resolved: Sequence[RunItem]) -> str:
    unknown = sum(1 for item in items if item.cost_usd is None)
    if items and resolved and unknown:
        return f"cost not recorded for {unknown} item attempt(s)"
    return NO_RUNS if not items else "no item resolved in the period"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
