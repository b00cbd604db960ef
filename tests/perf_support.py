"""Write benchmark result files as pytest-benchmark and asv store them, for the perf tests."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

MACHINE_DIR = "Linux-CPython-3.11-64bit"  # pytest-benchmark's storage folder name


def machine_info(node: str = "bench-host") -> dict[str, Any]:
    """machine_info as pytest-benchmark records it (the fields the pairing reads, and more)."""
    return {
        "node": node,
        "processor": "x86_64",
        "machine": "x86_64",
        "python_compiler": "GCC 12.2.0",
        "python_implementation": "CPython",
        "python_implementation_version": "3.11.9",
        "python_version": "3.11.9",
        "python_build": ["main", "Apr  2 2024 08:25:04"],
        "release": "6.1.0-18-amd64",
        "system": "Linux",
        "cpu": {"arch": "X86_64", "bits": 64, "count": 8, "brand_raw": "Example CPU @ 3.00GHz"},
    }


def rounds(mean: float, spread: float, count: int, seed: int) -> list[float]:
    """`count` per-round times around `mean` (relative gaussian `spread`), reproducibly."""
    rng = random.Random(seed)
    return [max(mean * (1 + rng.gauss(0, spread)), mean * 0.01) for _ in range(count)]


def stats(data: list[float], keep_data: bool) -> dict[str, Any]:
    """pytest-benchmark's stats block for per-round `data`."""
    import statistics

    ordered = sorted(data)
    mean = statistics.fmean(data)
    block: dict[str, Any] = {
        "min": ordered[0],
        "max": ordered[-1],
        "mean": mean,
        "stddev": statistics.stdev(data) if len(data) > 1 else 0,
        "rounds": len(data),
        "median": statistics.median(data),
        "iqr": 0.0,
        "q1": ordered[len(data) // 4],
        "q3": ordered[3 * len(data) // 4],
        "iqr_outliers": 0,
        "stddev_outliers": 0,
        "outliers": "0;0",
        "ld15iqr": ordered[0],
        "hd15iqr": ordered[-1],
        "ops": 1 / mean,
        "total": sum(data),
        "iterations": 1,
    }
    if keep_data:
        block["data"] = data
    return block


def pytest_run(
    commit: str,
    when: str,
    benches: dict[str, list[float]],
    node: str = "bench-host",
    keep_data: bool = False,
) -> dict[str, Any]:
    """A pytest-benchmark JSON document: benchmark full name -> per-round times."""
    return {
        "machine_info": machine_info(node),
        "commit_info": {
            "id": commit,
            "time": when,
            "author_time": when,
            "dirty": False,
            "project": "demo",
            "branch": "main",
        },
        "benchmarks": [
            {
                "group": None,
                "name": name.split("::")[-1],
                "fullname": name,
                "params": None,
                "param": None,
                "extra_info": {},
                "options": {"disable_gc": False, "timer": "perf_counter", "min_rounds": 5},
                "stats": stats(data, keep_data),
            }
            for name, data in benches.items()
        ],
        "datetime": when,
        "version": "4.0.0",
    }


def save(repo: Path, number: int, document: dict[str, Any], folder: str = MACHINE_DIR) -> Path:
    """Store `document` where `--benchmark-autosave` would (.benchmarks/<machine>/NNNN_*.json)."""
    commit = document["commit_info"]["id"][:7]
    stamp = document["datetime"][:19].replace("-", "").replace(":", "").replace("T", "_")
    path = repo / ".benchmarks" / folder / f"{number:04d}_{commit}_{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=4), encoding="utf-8")
    return path


def asv_result(commit: str, date: int, rows: dict[str, list[Any]]) -> dict[str, Any]:
    """An asv results file (version 2); rows are [result, params, ci_99_a, ci_99_b]."""
    return {
        "commit_hash": commit,
        "env_name": "virtualenv-py3.11",
        "date": date,
        "params": {"machine": "lab-box", "python": "3.11", "arch": "x86_64", "cpu": "Example"},
        "python": "3.11",
        "requirements": {},
        "env_vars": {},
        "result_columns": ["result", "params", "version", "stats_ci_99_a", "stats_ci_99_b"],
        "results": rows,
        "durations": {},
        "version": 2,
    }


def save_asv(repo: Path, document: dict[str, Any]) -> Path:
    """Store an asv results file as `asv run` would, with machine.json and benchmarks.json."""
    machine = repo / ".asv" / "results" / "lab-box"
    machine.mkdir(parents=True, exist_ok=True)
    (machine / "machine.json").write_text(json.dumps({"machine": "lab-box", "version": 1}))
    benchmarks = {"version": 2, "bench.TimeSort.time_sort": {"type": "time", "unit": "seconds"}}
    (machine.parent / "benchmarks.json").write_text(json.dumps(benchmarks))
    path = machine / f"{document['commit_hash'][:8]}-{document['env_name']}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
