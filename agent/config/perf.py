"""Settings of the perf source (`[discovery.perf]`, docs/discovery.md)."""

from __future__ import annotations

from pydantic import Field

from agent.config.section import Section


class PerfSettings(Section):
    """Where benchmark results are read and when a slowdown becomes an item."""

    threshold: float = Field(default=0.10, gt=0.0)
    """Relative slowdown of a benchmark's figure (0.10: 10 %) above which it may be an item."""
    confidence: float = Field(default=0.99, gt=0.5, lt=1.0)
    """Confidence that the slowdown is not run-to-run noise (interval level; 1 - p for ranks)."""
    benchmark_dir: str = ".benchmarks"
    """pytest-benchmark's storage (`--benchmark-autosave` writes <dir>/<machine-id>/NNNN_*.json)."""
    asv_results: str = ".asv/results"
    """asv's results folder (<dir>/<machine>/<commit>-<env>.json, <dir>/benchmarks.json)."""
    files: tuple[str, ...] = ()
    """More pytest-benchmark JSON files (`--benchmark-json`): glob patterns under the repository."""
    baseline: str = "first"
    """The run compared against on each machine: "first" (its oldest run), a pytest-benchmark run
    number ("0003"), a file name without .json, or a commit prefix."""
