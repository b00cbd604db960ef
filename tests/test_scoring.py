"""WSJF scoring and ranking: exact values, every tie-break level, aging boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agent.backlog.models import BacklogItem, ItemType, Status
from agent.backlog.scoring import (
    Priority,
    age_days,
    aging_multiplier,
    next_actionable,
    priority_band,
    rank,
    score_item,
)
from agent.config.settings import ScoringSettings

NOW = datetime(2026, 11, 21, tzinfo=UTC)
PARAMS = ScoringSettings()


def item(
    item_id: str,
    bv: int = 3,
    tc: int = 2,
    rr: int = 1,
    effort: int = 3,
    age: timedelta = timedelta(0),
    status: Status = Status.READY,
) -> BacklogItem:
    return BacklogItem(
        id=item_id,
        title=f"item {item_id}",
        type=ItemType.BUG,
        status=status,
        business_value=bv,
        time_criticality=tc,
        risk_reduction=rr,
        effort=effort,
        created_at=NOW - age,
    )


def test_wsjf_is_cost_of_delay_over_effort_without_aging() -> None:
    score = score_item(item("A", bv=8, tc=5, rr=3, effort=3), NOW, PARAMS)
    assert score.cost_of_delay == 16
    assert score.wsjf == pytest.approx(16 / 3)
    assert score.aging_multiplier == 1.0


@pytest.mark.parametrize(("effort", "expected"), [(1, 13 + 13 + 13), (13, 39 / 13)])
def test_effort_extremes(effort: int, expected: float) -> None:
    score = score_item(item("A", bv=13, tc=13, rr=13, effort=effort), NOW, PARAMS)
    assert score.wsjf == pytest.approx(expected)


@pytest.mark.parametrize(
    ("age", "days", "multiplier"),
    [
        (timedelta(hours=23, minutes=59), 0, 1.0),
        (timedelta(days=1), 1, 1.0),  # start_days 1: aging starts after day 1
        (timedelta(days=1, hours=23), 1, 1.0),
        (timedelta(days=2), 2, 1.1),
        (timedelta(days=5), 5, 1.4),
        (timedelta(days=11), 11, 2.0),  # exactly at the cap
        (timedelta(days=400), 400, 2.0),  # capped
        (-timedelta(days=3), 0, 1.0),  # future created_at counts as age 0
    ],
)
def test_aging_boundaries(age: timedelta, days: int, multiplier: float) -> None:
    score = score_item(item("A", age=age), NOW, PARAMS)
    assert score.age_days == days
    assert score.aging_multiplier == pytest.approx(multiplier)
    assert score.wsjf == pytest.approx(6 / 3 * multiplier)


def test_aging_parameters_are_configurable() -> None:
    params = ScoringSettings(aging_start_days=0, aging_rate=0.5, aging_max=3.0)
    assert aging_multiplier(2, params) == 2.0
    assert aging_multiplier(10, params) == 3.0
    assert age_days(NOW - timedelta(days=2, seconds=1), NOW) == 2


@pytest.mark.parametrize(
    ("wsjf", "band"),
    [
        (2.01, Priority.CRITICAL),
        (2.0, Priority.HIGH),  # critical is strictly above 2.0
        (1.5, Priority.HIGH),
        (1.49, Priority.MEDIUM),
        (1.0, Priority.MEDIUM),
        (0.99, Priority.LOW),
    ],
)
def test_priority_bands(wsjf: float, band: Priority) -> None:
    assert priority_band(wsjf, PARAMS) is band


def test_actionable_needs_ready_and_threshold() -> None:
    ready_high = score_item(item("A", bv=2, tc=1, rr=1, effort=3), NOW, PARAMS)  # 4/3
    ready_low = score_item(item("B", bv=1, tc=1, rr=1, effort=5), NOW, PARAMS)  # 0.6
    new_high = score_item(item("C", status=Status.NEW), NOW, PARAMS)
    exactly = score_item(item("D", bv=1, tc=1, rr=1, effort=3), NOW, PARAMS)  # 1.0
    assert ready_high.actionable
    assert not ready_low.actionable
    assert not new_high.actionable
    assert exactly.actionable  # wsjf >= threshold


def test_order_wsjf_then_cost_of_delay_then_created_then_id() -> None:
    items = [
        item("z-low", bv=1, tc=1, rr=1, effort=3),  # wsjf 1.0, cod 3
        item("y-tie-cod-high", bv=8, tc=8, rr=8, effort=8),  # wsjf 3.0, cod 24
        item("x-tie-cod-low", bv=3, tc=3, rr=3, effort=3),  # wsjf 3.0, cod 9
        item("b-old", bv=5, tc=3, rr=1, effort=3, age=timedelta(hours=5)),  # 3.0, cod 9, older
        item("a-same-age", bv=5, tc=3, rr=1, effort=3),  # 3.0, cod 9, same age as x
    ]
    ranked = [scored.item.id for scored in rank(items, NOW, PARAMS)]
    assert ranked == ["y-tie-cod-high", "b-old", "a-same-age", "x-tie-cod-low", "z-low"]


def test_done_items_are_left_out_unless_asked() -> None:
    items = [item("A"), item("B", status=Status.DONE)]
    assert [s.item.id for s in rank(items, NOW, PARAMS)] == ["A"]
    assert {s.item.id for s in rank(items, NOW, PARAMS, include_done=True)} == {"A", "B"}


def test_next_actionable_skips_blocked_and_new() -> None:
    items = [
        item("blocked", bv=13, tc=13, rr=13, effort=1, status=Status.BLOCKED),
        item("new", bv=13, tc=13, rr=13, effort=2, status=Status.NEW),
        item("ready", bv=3, tc=2, rr=1, effort=3),
    ]
    chosen = next_actionable(rank(items, NOW, PARAMS))
    assert chosen is not None and chosen.item.id == "ready"
    assert next_actionable(rank(items[:2], NOW, PARAMS)) is None


def test_ranking_is_deterministic_regardless_of_input_order() -> None:
    items = [item(f"I{n}", bv=(1, 2, 3, 5)[n % 4], age=timedelta(days=n % 3)) for n in range(40)]
    first = [s.item.id for s in rank(items, NOW, PARAMS)]
    second = [s.item.id for s in rank(list(reversed(items)), NOW, PARAMS)]
    assert first == second
