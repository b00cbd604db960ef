"""WSJF scoring and ranking: pure functions, no I/O (docs/backlog.md states the rules)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from agent.backlog.models import BacklogItem, Status
from agent.config.settings import ScoringSettings

SECONDS_PER_DAY = 86_400


class Priority(StrEnum):
    """Priority band derived from the WSJF score."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class Score:
    """The WSJF breakdown of one item at one moment."""

    cost_of_delay: int
    effort: int
    age_days: int
    aging_multiplier: float
    wsjf: float
    priority: Priority
    actionable: bool


@dataclass(frozen=True)
class ScoredItem:
    """An item with its score."""

    item: BacklogItem
    score: Score


def age_days(created_at: datetime, now: datetime) -> int:
    """Whole days from `created_at` to `now`, floored; a future date counts as 0."""
    seconds = (now - created_at).total_seconds()
    return max(0, math.floor(seconds / SECONDS_PER_DAY))


def aging_multiplier(days: int, params: ScoringSettings) -> float:
    """min(max, 1 + rate × max(0, age_days − start_days))."""
    overdue = max(0, days - params.aging_start_days)
    return min(params.aging_max, 1 + params.aging_rate * overdue)


def priority_band(wsjf: float, params: ScoringSettings) -> Priority:
    """critical if wsjf > band_critical, high if ≥ band_high, medium if ≥ band_medium, else low."""
    if wsjf > params.band_critical:
        return Priority.CRITICAL
    if wsjf >= params.band_high:
        return Priority.HIGH
    if wsjf >= params.band_medium:
        return Priority.MEDIUM
    return Priority.LOW


def score_item(item: BacklogItem, now: datetime, params: ScoringSettings) -> Score:
    """Compute the WSJF breakdown of `item` at `now`."""
    days = age_days(item.created_at, now)
    multiplier = aging_multiplier(days, params)
    wsjf = item.cost_of_delay / item.effort * multiplier
    actionable = item.status is Status.READY and wsjf >= params.actionable_threshold
    return Score(
        cost_of_delay=item.cost_of_delay,
        effort=item.effort,
        age_days=days,
        aging_multiplier=multiplier,
        wsjf=wsjf,
        priority=priority_band(wsjf, params),
        actionable=actionable,
    )


def _order_key(scored: ScoredItem) -> tuple[float, int, datetime, str]:
    return (-scored.score.wsjf, -scored.score.cost_of_delay, scored.item.created_at, scored.item.id)


def rank(
    items: Iterable[BacklogItem],
    now: datetime,
    params: ScoringSettings,
    include_done: bool = False,
) -> list[ScoredItem]:
    """Score and order items: wsjf desc, cost of delay desc, created_at asc, id asc."""
    scored = [
        ScoredItem(item, score_item(item, now, params))
        for item in items
        if include_done or item.status is not Status.DONE
    ]
    return sorted(scored, key=_order_key)


def next_actionable(ranked: Iterable[ScoredItem]) -> ScoredItem | None:
    """The highest-ranked actionable item, if any."""
    return next((scored for scored in ranked if scored.score.actionable), None)
