"""Benchmark item worktrees and tool-call overhead on a small generated repository.

Usage: .venv/bin/python bench/tools_bench.py [--rounds N] [--json]

Measures (median and p95, milliseconds):
- worktree create + remove (open_workspace + close_workspace),
- read_file, replace_text and git_diff through the registry (validation, path checks, redaction,
  token truncation included),
- run_tests overhead: the tool call minus the same pytest command run directly.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from agent.config.settings import Settings, load_settings
from agent.system import proc
from agent.testrun.run import test_command
from agent.text.tokens import encoding
from agent.tools.registry import call_tool
from agent.workspace.worktree import ItemWorkspace, close_workspace, open_workspace

FILES = {
    "pyproject.toml": '[project]\nname = "bench"\nversion = "0"\n',
    "src/calc.py": "".join(f"def f{n}(x):\n    return x + {n}\n\n\n" for n in range(200)),
    "tests/test_calc.py": "".join(
        f"def test_{n}():\n    assert {n} == {n}\n\n\n" for n in range(20)
    ),
}


def make_repo(root: Path) -> Path:
    """Create the benchmark repository with one commit."""
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x.invalid"}
    env |= {"GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@x.invalid"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "init"]):
        proc.run(["git", *args], cwd=root, env=env)
    return root


def timed(function: Callable[[], object], rounds: int) -> dict[str, float]:
    """Run `function` `rounds` times; median and p95 in milliseconds."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return {"median_ms": statistics.median(samples), "p95_ms": p95, "rounds": rounds}


def main() -> None:
    """Run every measurement and print a table (or JSON)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the sample tests need no plugins
    started = time.perf_counter()
    encoding()
    results: dict[str, dict[str, float]] = {
        "tiktoken first load": {"median_ms": (time.perf_counter() - started) * 1000, "rounds": 1}
    }
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(Path(tmp))
        settings = load_settings(repo)
        n = options.rounds
        results["worktree create+remove"] = timed(
            lambda: close_workspace(open_workspace(repo, "B-1", "bench", settings)), n
        )
        ws = open_workspace(repo, "B-2", "bench", settings)
        results["read_file (whole 800 lines)"] = timed(
            lambda: call_tool(ws, "read_file", {"path": "src/calc.py"}), n * 5
        )
        results["read_file (20-line range)"] = timed(
            lambda: call_tool(ws, "read_file", {"path": "src/calc.py", "start": 100, "end": 120}),
            n * 5,
        )
        flip = [" + 7\n", " + 70\n"]

        def replace() -> None:
            call_tool(ws, "replace_text", {"path": "src/calc.py", "old": flip[0], "new": flip[1]})
            flip.reverse()

        results["replace_text (exact)"] = timed(replace, n * 5)
        results["git_diff"] = timed(lambda: call_tool(ws, "git_diff", {}), n)
        results |= _test_overhead(ws.root, settings, max(n // 4, 3), ws)
        close_workspace(ws)
    _print(results, options.json)


def _test_overhead(
    root: Path, settings: Settings, rounds: int, ws: ItemWorkspace
) -> dict[str, dict[str, float]]:
    command = test_command(settings.tests, Path(tempfile.gettempdir()) / "bench-junit.xml")
    direct = timed(lambda: proc.run(command, cwd=root), rounds)
    tool = timed(lambda: call_tool(ws, "run_tests", {}), rounds)
    overhead = {"median_ms": tool["median_ms"] - direct["median_ms"], "rounds": rounds}
    return {
        "pytest direct (20 tests)": direct,
        "run_tests tool": tool,
        "run_tests overhead": overhead,
    }


def _print(results: dict[str, dict[str, float]], as_json: bool) -> None:
    if as_json:
        json.dump(results, sys.stdout, indent=2)
        print()
        return
    print(f"{'measurement':32} {'median ms':>10} {'p95 ms':>10} {'rounds':>7}")
    for name, row in results.items():
        p95 = f"{row['p95_ms']:10.1f}" if "p95_ms" in row else f"{'':10}"
        print(f"{name:32} {row['median_ms']:10.1f} {p95} {int(row['rounds']):7d}")


if __name__ == "__main__":
    main()
