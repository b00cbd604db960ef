"""Continuous mode: repeat runs until nothing is actionable, a run cap is hit, or the PR limit."""

from __future__ import annotations

from agent.commands.run import continuous, stop_reason
from agent.graph.state import CycleOutcome, ItemResult, RunState


def state(*results: ItemResult, stop: str | None = None) -> RunState:
    return RunState(
        run_id="r",
        repo="/x",
        now="2026-11-21T00:00:00+00:00",
        results=list(results),
        stop_reason=stop,
    )


def resolved(reason: str = "ok") -> ItemResult:
    return ItemResult(item_id="A", title="a", outcome=CycleOutcome.RESOLVED, reason=reason)


def test_continuous_runs_until_nothing_is_actionable() -> None:
    runs = iter(
        [(state(resolved()), 0), (state(resolved()), 1), (state(stop="nothing actionable"), 0)]
    )
    sleeps: list[float] = []
    said: list[str] = []

    code = continuous(lambda: next(runs), 60.0, sleeps.append, said.append)

    assert code == 1  # the worst exit code of the runs
    assert sleeps == [60.0, 60.0]
    assert said[-1] == "Continuous mode stops: nothing actionable."


def test_stop_reasons() -> None:
    assert stop_reason(state(resolved())) is None
    assert stop_reason(state(stop="PR daily limit reached (5 items today)")) == (
        "PR daily limit reached (5 items today)"
    )
    capped = ItemResult(
        item_id="B",
        title="b",
        outcome=CycleOutcome.BLOCKED,
        reason="budget: tokens per run cap 10 would be crossed",
    )
    assert stop_reason(state(capped)) == (
        "a run cap was hit (budget: tokens per run cap 10 would be crossed)"
    )
    per_item = ItemResult(
        item_id="C",
        title="c",
        outcome=CycleOutcome.BLOCKED,
        reason="budget: tokens per item cap 10 would be crossed",
    )
    assert stop_reason(state(per_item)) is None
