"""How GREEN's steps are shared: the tool loop always keeps its reserve; small budgets degrade
in the documented order."""

from __future__ import annotations

import pytest

from agent.graph.budgets import LOOP_RESERVE, Allowance, GreenBudget, green_budget


def test_the_defaults_keep_what_green_spent_before_and_a_reserve_for_the_loop() -> None:
    assert green_budget(12, 3) == GreenBudget(3, 0, 6, LOOP_RESERVE)


def test_many_samples_cannot_eat_the_tool_loop_reserve() -> None:
    budget = green_budget(12, 8)
    assert budget.loop >= LOOP_RESERVE
    assert budget == GreenBudget(rewrites=4, search_replace=0, function_calls=5, loop=3)
    assert budget.total == 12


def test_a_file_too_large_to_rewrite_gets_the_same_share_as_search_replace() -> None:
    assert green_budget(12, 3, whole_file=False) == GreenBudget(0, 3, 6, 3)


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (1, GreenBudget(0, 0, 0, 1)),  # the loop's one step comes first
        (2, GreenBudget(1, 0, 0, 1)),  # then the greedy whole-file try
        (4, GreenBudget(1, 0, 0, 3)),  # then the loop's reserve
        (6, GreenBudget(1, 0, 2, 3)),  # then the greedy function try
        (7, GreenBudget(2, 0, 2, 3)),  # then sampled whole-file tries
        (9, GreenBudget(3, 0, 3, 3)),  # then sampled function calls
        (24, GreenBudget(3, 0, 6, 15)),  # what no strategy uses goes to the loop
    ],
)
def test_a_small_budget_degrades_in_the_documented_order(steps: int, expected: GreenBudget) -> None:
    budget = green_budget(steps, 3)
    assert budget == expected and budget.total == steps


def test_an_allowance_is_spent_one_call_at_a_time() -> None:
    calls = Allowance(1)
    assert calls.take() and not calls.take() and calls.left == 0
