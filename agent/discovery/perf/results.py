"""Read stored benchmark results into runs: pytest-benchmark JSON files and asv results.

A run is one file: the machine it ran on, the commit, when, and one Measure per benchmark. The
readers validate the fields they use with pydantic; a bad file raises ResultError naming it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

M = TypeVar("M", bound=BaseModel)
MAX_FILE_BYTES = 64 * 1024 * 1024


class ResultError(Exception):
    """A results file that cannot be read (message: path and what was expected)."""


@dataclass(frozen=True)
class Measure:
    """One benchmark's figure in one run, with the spread that tells noise from change."""

    value: float
    """The compared figure (seconds or bytes): pytest-benchmark's mean, asv's result (median)."""
    unit: str
    rounds: int = 0
    stddev: float | None = None
    samples: tuple[float, ...] | None = None
    """Per-round figures, when stored (pytest-benchmark --benchmark-save-data, asv samples)."""
    ci: tuple[float, float] | None = None
    """asv's 99 % interval of the result."""


@dataclass(frozen=True)
class Run:
    """One results file."""

    tool: str
    file: str
    machine: str
    """Pairing key: only runs with the same key are compared."""
    machine_label: str
    label: str
    commit: str | None
    dirty: bool
    when: str
    measures: dict[str, Measure]
    paths: dict[str, str]
    """Benchmark name to the file that defines it, where known."""


class ResultModel(BaseModel):
    """Lenient base of the file models: unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore")


class _BenchStats(ResultModel):
    mean: float
    stddev: float = 0.0
    rounds: int
    data: list[float] | None = None


class _Bench(ResultModel):
    name: str
    fullname: str | None = None
    stats: _BenchStats


class _PytestFile(ResultModel):
    machine_info: dict[str, Any]
    commit_info: dict[str, Any] = {}
    benchmarks: list[_Bench]
    datetime: str = ""


def load_json(path: Path, rel: str) -> Any:
    """Parse a results file; ResultError when it is too large or not JSON."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ResultError(f"{rel}: larger than {MAX_FILE_BYTES} bytes, not read")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultError(f"{rel}: not valid JSON ({exc})") from exc


def validated(model: type[M], data: Any, rel: str, expected: str) -> M:
    """Validate `data`; ResultError naming the first bad field and what was expected."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        raise ResultError(f"{rel}: field {where}: {first['msg']} (expected {expected})") from exc


PYTEST_EXPECTED = "pytest-benchmark JSON: machine_info, commit_info, benchmarks[].stats"


def read_pytest_benchmark(path: Path, rel: str) -> Run:
    """Read one pytest-benchmark JSON file (autosaved or `--benchmark-json`)."""
    parsed = validated(_PytestFile, load_json(path, rel), rel, PYTEST_EXPECTED)
    info, commit = parsed.machine_info, parsed.commit_info
    measures, paths = {}, {}
    for bench in parsed.benchmarks:
        name = bench.fullname or bench.name
        stats = bench.stats
        data = tuple(stats.data) if stats.data else None
        measures[name] = Measure(stats.mean, "s", stats.rounds, stats.stddev, data)
        if "::" in name:
            paths[name] = name.split("::", 1)[0]
    key, label = machine_key(info)
    stem = path.stem
    run_label = stem.split("_", 1)[0] if stem[:4].isdigit() else stem
    commit_id = commit.get("id")
    return Run(
        tool="pytest-benchmark",
        file=rel,
        machine=key,
        machine_label=label,
        label=run_label,
        commit=commit_id if isinstance(commit_id, str) and commit_id else None,
        dirty=bool(commit.get("dirty")),
        when=parsed.datetime,
        measures=measures,
        paths=paths,
    )


def machine_key(info: dict[str, Any]) -> tuple[str, str]:
    """The pairing key and a readable name: host, CPU, system and Python minor version."""
    cpu = info.get("cpu")
    brand = cpu.get("brand_raw") or cpu.get("brand") if isinstance(cpu, dict) else None
    version = ".".join(str(info.get("python_version", "")).split(".")[:2])
    python = f"{info.get('python_implementation', 'Python')} {version}".strip()
    parts = [str(info.get(k) or "") for k in ("node", "system", "machine")]
    processor = str(brand or info.get("processor") or "")
    key = "|".join([*parts, processor, python])
    host = parts[0] or "unknown host"
    details = ", ".join(p for p in (processor, f"{parts[1]} {parts[2]}".strip(), python) if p)
    return key, f"{host} ({details})"
