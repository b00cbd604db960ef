"""Noise tests for benchmark comparisons: Welch's interval for a difference of means, and the
Mann-Whitney U test on per-round samples (docs/adr/0016-perf-regressions.md).

Pure functions on floats; the standard library only (no scipy).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

TINY = 1e-300
ITERATIONS = 300


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularized incomplete beta function (modified Lentz)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > TINY else TINY)
    total = d
    for m in range(1, ITERATIONS):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > TINY else TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > TINY else TINY
            total *= d * c
        if abs(d * c - 1.0) < 1e-13:
            break
    return total


def beta_regularized(a: float, b: float, x: float) -> float:
    """Return I_x(a, b), the regularized incomplete beta function."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def t_upper_tail(t: float, df: float) -> float:
    """Return P(T > t) for Student's t with `df` degrees of freedom."""
    tail = 0.5 * beta_regularized(df / 2.0, 0.5, df / (df + t * t))
    return tail if t >= 0 else 1.0 - tail


def t_quantile(p: float, df: float) -> float:
    """Return t with P(T <= t) = p (p > 0.5), by bisection on the upper tail."""
    low, high = 0.0, 1.0
    while t_upper_tail(high, df) > 1.0 - p:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_upper_tail(middle, df) > 1.0 - p:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0


def welch_interval(
    before: tuple[float, float, int], after: tuple[float, float, int], confidence: float
) -> tuple[float, float] | None:
    """Two-sided `confidence` interval of mean(after) - mean(before) from (mean, stddev, rounds);
    None when a side has fewer than two rounds (no spread to judge by)."""
    (m1, s1, n1), (m2, s2, n2) = before, after
    if n1 < 2 or n2 < 2:
        return None
    v1, v2 = s1 * s1 / n1, s2 * s2 / n2
    diff = m2 - m1
    if v1 + v2 == 0.0:
        return diff, diff
    df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
    half = t_quantile(1.0 - (1.0 - confidence) / 2.0, df) * math.sqrt(v1 + v2)
    return diff - half, diff + half


def _ranks(values: Sequence[float]) -> tuple[list[float], float]:
    """Mid-ranks (1-based) of `values`, and the tie term sum(t^3 - t)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    ties = 0.0
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2.0 + 1.0
        size = end - start + 1
        ties += size**3 - size
        start = end + 1
    return ranks, ties


def mann_whitney_greater(before: Sequence[float], after: Sequence[float]) -> float:
    """One-sided p-value that `after` tends to be larger than `before` (normal approximation
    with tie and continuity correction)."""
    n1, n2 = len(before), len(after)
    ranks, ties = _ranks([*before, *after])
    u_after = sum(ranks[n1:]) - n2 * (n2 + 1) / 2.0
    n = n1 + n2
    variance = n1 * n2 / 12.0 * ((n + 1) - ties / (n * (n - 1)))
    if variance <= 0.0:
        return 1.0
    z = (u_after - n1 * n2 / 2.0 - 0.5) / math.sqrt(variance)
    return 1.0 - NormalDist().cdf(z)


def rank_test_can_decide(n1: int, n2: int, alpha: float) -> bool:
    """True when the samples are large enough for the rank test to reach `alpha` at all."""
    return n1 > 0 and n2 > 0 and 1.0 / math.comb(n1 + n2, min(n1, n2)) < alpha
