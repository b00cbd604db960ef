"""How GREEN shares the model calls of one phase between its strategies (ADR 0012).

`max_steps_per_phase` caps every model call of a phase. GREEN tries, in order, whole-file
rewrites (or search/replace blocks for a file too large to rewrite), function-level tries, then
the tool loop, ADR 0009's last resort. Before this split, sampling could spend all the steps and
the tool loop never ran. Steps are handed out in this order until none are left:

1. one step for the tool loop: the last resort always runs;
2. the greedy whole-file try (a rewrite, or a search/replace reply);
3. the tool loop's reserve, up to LOOP_RESERVE steps (more on large budgets: a quarter);
4. the greedy function-level try (CALLS_PER_TRY calls: the answer, then a follow-up for code);
5. sampled whole-file tries, up to `rewrite_samples - 1`, at most half of what is left;
6. sampled function-level tries, up to `(rewrite_samples - 1) * CALLS_PER_TRY` calls;
7. whatever is left goes back to the tool loop.

So a tiny budget loses sampled function tries first, then sampled whole-file tries, then the
greedy function try, then the loop's reserve beyond one step, and the greedy whole-file try last
but one. With the defaults (12 steps, 3 samples) the split is what GREEN spent before this
module on a one-file item: 3 whole-file tries, 6 function calls, and 3 steps kept for the loop.
"""

from __future__ import annotations

from dataclasses import dataclass

LOOP_RESERVE = 3
CALLS_PER_TRY = 2


@dataclass(frozen=True)
class GreenBudget:
    """Model calls per GREEN strategy; they add up to the phase's steps."""

    rewrites: int
    """Whole-file rewrite replies (greedy, then sampled)."""
    search_replace: int
    """Search/replace replies, for a file too large to rewrite (greedy, then sampled)."""
    function_calls: int
    """Calls of function-level tries, shared by the focus files."""
    loop: int
    """Steps only the tool loop may use."""

    @property
    def total(self) -> int:
        """All the steps shared out."""
        return self.rewrites + self.search_replace + self.function_calls + self.loop


@dataclass
class Allowance:
    """Model calls a strategy may still make; `take` spends one."""

    left: int

    def take(self) -> bool:
        """Spend one call; False (nothing spent) when none is left."""
        if self.left <= 0:
            return False
        self.left -= 1
        return True


def green_budget(steps: int, samples: int, whole_file: bool = True) -> GreenBudget:
    """Share `steps` between GREEN's strategies in the order of the module docstring.

    `whole_file`: the focus file fits a rewrite reply; otherwise its tries are search/replace.
    """
    pool = Allowance(max(steps, 0))
    extra = max(samples - 1, 0)
    loop = _give(pool, 1)
    file_tries = _give(pool, 1)
    loop += _give(pool, max(LOOP_RESERVE, steps // 4) - 1)
    function = _give(pool, CALLS_PER_TRY)
    file_tries += _give(pool, min(extra, (pool.left + 1) // 2))
    function += _give(pool, extra * CALLS_PER_TRY)
    loop += pool.left
    return GreenBudget(
        rewrites=file_tries if whole_file else 0,
        search_replace=0 if whole_file else file_tries,
        function_calls=function,
        loop=loop,
    )


def _give(pool: Allowance, wanted: int) -> int:
    """Take up to `wanted` steps from `pool`; how many it gave."""
    given = min(max(wanted, 0), pool.left)
    pool.left -= given
    return given
