"""Benchmark: `agent backlog --json` on 10,000 items and `agent --help`, whole-process wall time.

Usage: python bench/backlog_bench.py [--items 10000] [--runs 7]
Targets (issue 2): backlog --json <= 1 s; --help <= 0.3 s. Prints the median and min of each.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TYPES = ("feature", "bug", "debt", "refactor", "investigation", "security", "test", "docs", "chore")
STATUSES = ("NEW", "REFINED", "READY", "DOING", "PR", "DONE", "BLOCKED")
SCALE = (1, 2, 3, 5, 8, 13)


def generate(path: Path, count: int) -> None:
    """Write a valid backlog.yml with `count` varied items."""
    lines = ["# generated for the benchmark", "version: 1", "items:"]
    for n in range(count):
        lines += [
            f"  - id: ITEM-{n:05d}",
            f"    title: Generated item number {n} with a realistic title length",
            f"    type: {TYPES[n % len(TYPES)]}",
            f"    status: {STATUSES[n % len(STATUSES)]}",
            f"    business_value: {SCALE[n % 6]}",
            f"    time_criticality: {SCALE[(n // 6) % 6]}",
            f"    risk_reduction: {SCALE[(n // 36) % 6]}",
            f"    effort: {SCALE[(n // 7) % 6]}",
            f"    created_at: 2026-{1 + n % 11:02d}-{1 + n % 28:02d}T10:00:00Z",
            "    acceptance_criteria:",
            "      - the generated behaviour holds",
            "    tags: [bench]",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def wall(args: list[str], runs: int) -> list[float]:
    """Wall times of `runs` runs of `args` (output discarded; failure aborts)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    agent = [sys.executable, "-m", "agent"]
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp) / "backlog.yml", options.items)
        cases = {
            f"agent backlog --json ({options.items} items)": [
                *agent,
                "backlog",
                tmp,
                "--json",
                "--now",
                "2026-11-21T00:00:00Z",
            ],
            "agent --help": [*agent, "--help"],
        }
        for name, args in cases.items():
            times = wall(args, options.runs)
            print(f"{name}: median {statistics.median(times):.3f}s, min {min(times):.3f}s")


if __name__ == "__main__":
    main()
