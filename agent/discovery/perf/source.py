"""The perf source: one item per benchmark that got slower than its baseline on the same machine.

Results are read from the working tree (they are usually not committed): pytest-benchmark's
storage folder and the files named in `discovery.perf.files`, and asv's results folder. A file
that cannot be read is a warning naming it; the source then counts as incomplete, so no perf item
is marked resolved on partial evidence. docs/discovery.md, "Performance regressions".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from agent.config.discovery_defaults import PERF_BANDS
from agent.config.perf import PerfSettings
from agent.discovery.identity import fingerprint
from agent.discovery.model import Found, SourceResult
from agent.discovery.perf.asv import benchmark_kinds, read_asv
from agent.discovery.perf.compare import Comparison, compare_runs, human
from agent.discovery.perf.results import ResultError, Run, read_pytest_benchmark

NOT_JUDGED = (
    "no longer compared: the newest benchmark run on every machine lacks `{tag}` or its baseline "
    "(benchmark removed, renamed or not run); closed without a verdict"
)


def discover_perf(root: Path, settings: PerfSettings) -> SourceResult:
    """Compare stored benchmark results with their baselines; one item per regression."""
    result = SourceResult("perf")
    runs = _read_runs(root, settings, result)
    if not runs:
        result.complete = False
        where = ", ".join([settings.benchmark_dir, settings.asv_results, *settings.files])
        result.warnings.append(f"perf: no benchmark results found (looked in {where})")
        return result
    machines: dict[str, list[Run]] = {}
    for run in sorted(runs, key=lambda r: (r.when, r.file)):
        machines.setdefault(run.machine, []).append(run)
    compared: list[Comparison] = []
    for machine_runs in machines.values():
        found, note = compare_runs(machine_runs, settings)
        compared += found
        if note:
            result.warnings.append(f"perf: {note}")
    _count(result, runs, compared, settings, len(machines))
    result.found += perf_items(compared, settings)
    judged = {c.name for c in compared}

    def unscanned(path: str | None, tag: str) -> str | None:
        return None if tag in judged else NOT_JUDGED.format(tag=tag)

    result.unscanned = unscanned
    return result


def _read_runs(root: Path, settings: PerfSettings, result: SourceResult) -> list[Run]:
    """Every readable results file; a bad one is a warning and makes the source incomplete."""
    runs = []
    for path in _pytest_files(root, settings):
        runs += _read(result, partial(read_pytest_benchmark, path, _rel(root, path)))
    asv_root = root / settings.asv_results
    if asv_root.is_dir():
        kinds = benchmark_kinds(asv_root)
        for path in sorted(asv_root.glob("*/*.json")):
            if path.name not in ("machine.json", "benchmarks.json"):
                runs += _read(result, partial(read_asv, path, _rel(root, path), kinds))
    return runs


def _read(result: SourceResult, reader: Callable[[], Run]) -> list[Run]:
    try:
        return [reader()]
    except (ResultError, OSError) as exc:
        result.complete = False
        result.warnings.append(f"perf: skipped {exc}")
        return []


def _pytest_files(root: Path, settings: PerfSettings) -> list[Path]:
    storage = root / settings.benchmark_dir
    found = sorted(storage.glob("*/*.json")) if storage.is_dir() else []
    for pattern in settings.files:
        found += sorted(p for p in root.glob(pattern) if p.is_file())
    return list(dict.fromkeys(found))


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _count(
    result: SourceResult,
    runs: list[Run],
    compared: list[Comparison],
    settings: PerfSettings,
    machines: int,
) -> None:
    over = [c for c in compared if c.judgement.change > settings.threshold]
    result.stats["result files"] = len(runs)
    result.stats["machines"] = machines
    result.stats["benchmarks compared"] = len(compared)
    result.stats["regressions"] = sum(c.regressed(settings.threshold) for c in over)
    result.stats["slower within noise"] = sum(c.judgement.significant is False for c in over)
    result.stats["not judged (no spread)"] = sum(c.judgement.significant is None for c in over)


def perf_items(compared: list[Comparison], settings: PerfSettings) -> list[Found]:
    """One item per regressed benchmark (all machines where it regressed in its description)."""
    groups: dict[tuple[str, str], list[Comparison]] = {}
    for comparison in compared:
        if comparison.regressed(settings.threshold):
            key = (comparison.head_run.tool, comparison.name)
            groups.setdefault(key, []).append(comparison)
    return [_item(tool, name, group, settings) for (tool, name), group in groups.items()]


def _item(tool: str, name: str, group: list[Comparison], settings: PerfSettings) -> Found:
    worst = max(group, key=lambda c: c.judgement.change)
    change = worst.judgement.change
    where = worst.head_run.machine_label + (f" and {len(group) - 1} more" if len(group) > 1 else "")
    title = f"Performance regression: {name} {change:+.0%} on {where}"
    parts = [f"`{name}` ({tool}) got slower than its baseline by more than the threshold"]
    parts[0] += f" ({settings.threshold:.0%}) and beyond run-to-run noise."
    parts += [_section(c) for c in group]
    return Found(
        kind="perf",
        tag=name,
        path=worst.head_run.paths.get(name),
        line=None,
        text=f"{name}: {change:+.1%} on {worst.head_run.machine_label}"[:300],
        title=title if len(title) <= 100 else title[:99] + "…",
        description="\n\n".join(parts),
        item_type="bug",
        fingerprint=fingerprint("perf", tool, name),
        score_key=_band(change),
        criteria=(
            f"`{name}` is back within {settings.threshold:.0%} of its baseline in the next "
            "benchmark run on the same machine",
            "No other benchmark regresses",
        ),
    )


def _band(change: float) -> str:
    """The score key of a slowdown: perf-low, perf-medium or perf-high."""
    for key, limit in PERF_BANDS:
        if change < limit:
            return key
    return PERF_BANDS[-1][0]


def _section(c: Comparison) -> str:
    unit = c.head.unit
    figure = "mean" if c.head_run.tool == "pytest-benchmark" else "result"
    return "\n".join(
        [
            f"On {c.head_run.machine_label}:",
            f"- baseline: {figure} {human(c.base.value, unit)}, {_run(c.base_run)}",
            f"- current: {figure} {human(c.head.value, unit)}, {_run(c.head_run)}",
            f"- change: {c.judgement.change:+.1%}; noise: {c.judgement.noise}",
        ]
    )


def _run(run: Run) -> str:
    commit = f"commit {run.commit[:12]}" if run.commit else "no commit recorded"
    dirty = " with uncommitted changes" if run.dirty else ""
    return f"run {run.label} at {commit}{dirty} ({run.file})"
