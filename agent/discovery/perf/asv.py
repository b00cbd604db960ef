"""Read asv results (schema version 2): <results>/<machine>/<commit>-<env>.json.

Each row of `results` is laid out by `result_columns` (result, params, stats_ci_99_a,
stats_ci_99_b, samples, ...); a parametrized benchmark has one entry per combination of its
parameters, in itertools.product order. Track benchmarks are skipped: their direction is unknown.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

from agent.discovery.perf.results import (
    Measure,
    ResultError,
    ResultModel,
    Run,
    load_json,
    validated,
)

EXPECTED = "asv results version 2: commit_hash, env_name, date, params.machine, result_columns"
KINDS = {"time": "s", "timeraw": "s", "mem": "bytes", "peakmem": "bytes"}
TYPES = {"time": "time", "memory": "mem", "peakmemory": "peakmem"}


class _AsvFile(ResultModel):
    commit_hash: str
    env_name: str
    date: int
    params: dict[str, Any]
    result_columns: list[str]
    results: dict[str, list[Any]]
    version: int


def benchmark_kinds(root: Path) -> dict[str, str]:
    """Benchmark name to kind (time, mem, peakmem, track) from asv's benchmarks.json, if any."""
    path = root / "benchmarks.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    kinds = {}
    for name, entry in data.items():
        if isinstance(entry, dict) and isinstance(entry.get("type"), str):
            kinds[name] = TYPES.get(entry["type"], "track")
    return kinds


def _kind(name: str, kinds: dict[str, str]) -> str:
    if name in kinds:
        return kinds[name]
    prefix = name.rsplit(".", 1)[-1].split("_", 1)[0]
    return prefix if prefix in KINDS else "track"


def read_asv(path: Path, rel: str, kinds: dict[str, str]) -> Run:
    """Read one asv results file; track benchmarks and failed results are left out."""
    parsed = validated(_AsvFile, load_json(path, rel), rel, EXPECTED)
    if parsed.version != 2:
        raise ResultError(f"{rel}: field version: {parsed.version} (expected {EXPECTED})")
    machine = str(parsed.params.get("machine") or path.parent.name)
    measures: dict[str, Measure] = {}
    for name, row in parsed.results.items():
        unit = KINDS.get(_kind(name, kinds))
        if unit is not None:
            columns = dict(zip(parsed.result_columns, row, strict=False))
            measures.update(_measures(name, columns, unit))
    return Run(
        tool="asv",
        file=rel,
        machine=f"asv|{machine}|{parsed.env_name}",
        machine_label=f"{machine} (asv environment {parsed.env_name})",
        label=parsed.commit_hash[:8],
        commit=parsed.commit_hash,
        dirty=False,
        when=f"{parsed.date:020d}",
        measures=measures,
        paths={},
    )


def _measures(name: str, row: dict[str, Any], unit: str) -> dict[str, Measure]:
    """One Measure per parameter combination that has a result."""
    results = row.get("result")
    if not isinstance(results, list):
        return {}
    params = row.get("params") or []
    combos = list(itertools.product(*params)) if params else [()]
    found = {}
    for index, (combo, value) in enumerate(zip(combos, results, strict=False)):
        if not isinstance(value, int | float) or math.isnan(value):
            continue
        label = f"{name}({', '.join(map(str, combo))})" if combo else name
        samples = _at(row.get("samples"), index)
        ci = (_at(row.get("stats_ci_99_a"), index), _at(row.get("stats_ci_99_b"), index))
        bounds = (float(ci[0]), float(ci[1])) if all(_number(c) for c in ci) else None
        data = tuple(float(s) for s in samples if _number(s)) if isinstance(samples, list) else None
        found[label] = Measure(float(value), unit, len(data or ()), None, data or None, bounds)
    return found


def _at(column: Any, index: int) -> Any:
    return column[index] if isinstance(column, list) and index < len(column) else None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not math.isnan(value)
