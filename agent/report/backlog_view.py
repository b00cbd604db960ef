"""Backlog sections: executive summary, ranked table, escalations, timeline, next actions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from agent.backlog.models import Backlog, BacklogItem, Status, format_timestamp
from agent.backlog.scoring import Priority, ScoredItem, next_actionable, rank, score_item
from agent.config.settings import ScoringSettings
from agent.report.models import (
    BacklogRow,
    BacklogSection,
    Escalation,
    NextAction,
    Period,
    Stamp,
    Summary,
    TimelinePoint,
)

WEEK = timedelta(days=7)


def done_in(items: Sequence[BacklogItem], period: Period) -> list[BacklogItem]:
    """DONE items whose last change (updated_at) lies in the period."""
    return [
        item
        for item in items
        if item.status is Status.DONE
        and item.updated_at is not None
        and period.since <= item.updated_at <= period.until
    ]


def delivered_wsjf(item: BacklogItem, params: ScoringSettings) -> float:
    """The WSJF of a DONE item as of when it was done (its updated_at)."""
    assert item.updated_at is not None
    return score_item(item, item.updated_at, params).wsjf


def summary(
    backlog: Backlog, period: Period, params: ScoringSettings, stamp: Stamp, source: str
) -> Summary:
    """Executive summary of the backlog in the period."""
    items = backlog.items
    done = done_in(items, period)
    total_done = sum(1 for item in items if item.status is Status.DONE)
    in_period = f"{source} (status DONE, updated_at in the period)"
    return Summary(
        items_done=stamp.figure(len(done), "items", in_period),
        items_blocked=stamp.figure(_count(items, Status.BLOCKED), "items", f"{source} (BLOCKED)"),
        items_in_review=stamp.figure(_count(items, Status.PR), "items", f"{source} (PR)"),
        wsjf_delivered=stamp.figure(
            round(sum(delivered_wsjf(item, params) for item in done), 4),
            "WSJF",
            f"{in_period}; WSJF at updated_at",
        ),
        completion_rate=stamp.figure(
            round(total_done / len(items), 4) if items else None,
            "ratio",
            f"{source} (DONE / all items)",
            "the backlog is empty",
        ),
        top_item=_top_line(rank(items, period.until, params)),
    )


def _count(items: Sequence[BacklogItem], status: Status) -> int:
    return sum(1 for item in items if item.status is status)


def _top_line(ranked: Sequence[ScoredItem]) -> str | None:
    top = next_actionable(ranked) or (ranked[0] if ranked else None)
    if top is None:
        return None
    state = "actionable" if top.score.actionable else f"{top.item.status.value}, not actionable"
    return (
        f"{top.item.id} “{top.item.title}”: WSJF {top.score.wsjf:.2f} "
        f"({top.score.priority.value}, {state})"
    )


def backlog_section(
    backlog: Backlog, now: datetime, params: ScoringSettings, stamp: Stamp, source: str
) -> BacklogSection:
    """The ranked open items, the escalation list and counts by status and band."""
    ranked = rank(backlog.items, now, params)
    everything = rank(backlog.items, now, params, include_done=True)
    counts = {status.value: dict.fromkeys((p.value for p in Priority), 0) for status in Status}
    for scored in everything:
        counts[scored.item.status.value][scored.score.priority.value] += 1
    return BacklogSection(
        provenance=stamp.provenance(
            f"{source}; agent.backlog.scoring.rank at {format_timestamp(stamp.measured_at)}"
        ),
        items=[_row(position, scored) for position, scored in enumerate(ranked, start=1)],
        escalations=[
            Escalation(id=item.id, title=item.title, blocked_reason=item.blocked_reason)
            for item in backlog.items
            if item.status is Status.BLOCKED
        ],
        by_status_band=counts,
    )


def _row(position: int, scored: ScoredItem) -> BacklogRow:
    item, score = scored.item, scored.score
    return BacklogRow(
        rank=position,
        id=item.id,
        title=item.title,
        type=item.type.value,
        status=item.status.value,
        business_value=item.business_value,
        time_criticality=item.time_criticality,
        risk_reduction=item.risk_reduction,
        cost_of_delay=score.cost_of_delay,
        effort=score.effort,
        age_days=score.age_days,
        aging_multiplier=score.aging_multiplier,
        wsjf=score.wsjf,
        priority=score.priority.value,
        actionable=score.actionable,
    )


def timeline(backlog: Backlog, period: Period, params: ScoringSettings) -> list[TimelinePoint]:
    """Items done and WSJF delivered per week of the period (weeks counted from `since`)."""
    points: list[TimelinePoint] = []
    start = period.since
    done = done_in(backlog.items, period)
    while start < period.until:
        end = min(start + WEEK, period.until)
        week = [i for i in done if i.updated_at and start <= i.updated_at < end]
        if end == period.until:
            week += [i for i in done if i.updated_at == period.until]
        wsjf = round(sum(delivered_wsjf(item, params) for item in week), 4)
        points.append(TimelinePoint(week_start=start, items_done=len(week), wsjf_delivered=wsjf))
        start = end
    return points


def next_actions(
    backlog: Backlog, now: datetime, params: ScoringSettings, limit: int
) -> list[NextAction]:
    """The top `limit` actionable items in rank order."""
    actionable = [s for s in rank(backlog.items, now, params) if s.score.actionable][:limit]
    return [
        NextAction(id=s.item.id, title=s.item.title, wsjf=s.score.wsjf, priority=s.score.priority)
        for s in actionable
    ]
