"""Compare each machine's newest run with its baseline run, benchmark by benchmark.

A benchmark regressed when its figure grew by more than the threshold AND the growth is beyond
run-to-run noise: a one-sided Mann-Whitney U test on the per-round samples when both runs stored
them, else asv's 99% intervals (no overlap), else Welch's interval for the difference of the means
from (mean, stddev, rounds). docs/adr/0016-perf-regressions.md says why.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from agent.config.perf import PerfSettings
from agent.discovery.perf.results import Measure, Run
from agent.discovery.perf.stats import mann_whitney_greater, rank_test_can_decide, welch_interval


@dataclass(frozen=True)
class Judgement:
    """How one benchmark changed between two runs."""

    change: float
    """Relative change of the figure: 0.25 is 25 % slower (or larger)."""
    significant: bool | None
    """Beyond noise; None: no spread recorded on one side, so not judged."""
    noise: str
    """The test used and its figures, for the item's description."""


@dataclass(frozen=True)
class Comparison:
    """One benchmark on one machine: baseline and current runs, and the verdict."""

    name: str
    base_run: Run
    head_run: Run
    base: Measure
    head: Measure
    judgement: Judgement

    def regressed(self, threshold: float) -> bool:
        """True when the change is above `threshold` and beyond noise."""
        return self.judgement.change > threshold and self.judgement.significant is True


def judge(base: Measure, head: Measure, confidence: float) -> Judgement:
    """Compare two measures of one benchmark (base.value > 0)."""
    change = head.value / base.value - 1.0
    alpha = 1.0 - confidence
    one, two = base.samples, head.samples
    if one and two and rank_test_can_decide(len(one), len(two), alpha):
        p = mann_whitney_greater(one, two)
        text = f"one-sided Mann-Whitney U test on {len(one)} and {len(two)} rounds: p = {p:.2g}"
        return Judgement(change, p < alpha, f"{text} (significant below {alpha:.2g})")
    if base.ci and head.ci:
        apart = head.ci[0] > base.ci[1]
        verdict = "do not overlap" if apart else "overlap"
        text = f"asv's 99% intervals {_interval(base.ci, base.unit)} and "
        return Judgement(change, apart, text + f"{_interval(head.ci, head.unit)} {verdict}")
    spreads = _spread(base), _spread(head)
    interval = welch_interval(spreads[0], spreads[1], confidence) if all(spreads) else None
    if interval is None:
        return Judgement(change, None, "no spread recorded (fewer than two rounds), not judged")
    low, high = (bound / base.value for bound in interval)
    text = (
        f"Welch's {confidence:.0%} interval of the change {low:+.1%} … {high:+.1%} "
        f"({spreads[0][2]} and {spreads[1][2]} rounds)"
    )
    return Judgement(change, low > 0.0, text)


def _spread(measure: Measure) -> tuple[float, float, int]:
    """(mean, stddev, rounds): from the samples when stored, else from the stored statistics."""
    data = measure.samples
    if data and len(data) >= 2:
        return statistics.fmean(data), statistics.stdev(data), len(data)
    return measure.value, measure.stddev or 0.0, measure.rounds if measure.stddev is not None else 0


def pick_baseline(runs: list[Run], setting: str) -> Run | None:
    """The baseline run of one machine's runs (oldest first), or None when none matches."""
    if setting == "first":
        return runs[0]
    for run in runs:
        if run.label == setting or Path(run.file).stem == setting:
            return run
    if len(setting) >= 4:
        return next((run for run in runs if run.commit and run.commit.startswith(setting)), None)
    return None


def compare_runs(runs: list[Run], settings: PerfSettings) -> tuple[list[Comparison], str | None]:
    """Compare one machine's newest run with its baseline; a note when there is no baseline."""
    head = runs[-1]
    base = pick_baseline(runs, settings.baseline)
    if base is None or base is head:
        what = "one run" if len(runs) == 1 else f"no run matches baseline {settings.baseline!r}"
        return [], f"no baseline for {head.machine_label} ({what}: {head.file}); nothing compared"
    compared = []
    for name, now in head.measures.items():
        before = base.measures.get(name)
        if before is not None and before.value > 0 and before.unit == now.unit:
            judgement = judge(before, now, settings.confidence)
            compared.append(Comparison(name, base, head, before, now, judgement))
    return compared, None


def human(value: float, unit: str) -> str:
    """A figure with a readable unit: 1.23 ms, 4.5 MiB."""
    steps = (
        [(1.0, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns")]
        if unit == "s"
        else [(2.0**30, "GiB"), (2.0**20, "MiB"), (2.0**10, "KiB"), (1.0, "B")]
    )
    for size, name in steps:
        if abs(value) >= size:
            return f"{value / size:.3g} {name}"
    size, name = steps[-1]
    return f"{value / size:.3g} {name}"


def _interval(bounds: tuple[float, float], unit: str) -> str:
    return f"[{human(bounds[0], unit)}, {human(bounds[1], unit)}]"
