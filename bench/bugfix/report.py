"""Print the bug-fix results (results/<agent>.jsonl) as the markdown tables of docs/benchmarks.md.

Usage: .venv/bin/python bench/bugfix/report.py [--results bench/bugfix/results]
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

from common import ROOT, load_tasks

ORDER = ("ours", "aider", "mini")


def load(results: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Records by agent, then by task (the last record of a task wins)."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for path in sorted(results.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                found.setdefault(record["agent"], {})[record["task"]] = record
    return found


def cell(record: dict[str, Any] | None) -> str:
    """One agent's cell for one task: outcome, tokens, calls, seconds."""
    if record is None:
        return "not run"
    mark = "**yes**" if record["resolved"] else ("timeout" if record["timed_out"] else "no")
    return f"{mark} {record['tokens']:,} / {record['calls']} / {record['wall_s']:.0f}s"


def totals(records: dict[str, dict[str, Any]]) -> str:
    """The totals row of one agent."""
    runs = list(records.values())
    fixed = [r for r in runs if r["resolved"]]
    median = f"{statistics.median(r['tokens'] for r in fixed):,.0f}" if fixed else "-"
    all_tokens = sum(r["tokens"] for r in runs)
    timeouts = sum(r["timed_out"] for r in runs)
    return (
        f"{len(fixed)} of {len(runs)} | {median} | {all_tokens:,} | "
        f"{sum(r['calls'] for r in runs)} | {timeouts} | {sum(r['wall_s'] for r in runs) / 60:.0f}"
    )


def main() -> None:
    """Print the per-task table (cells: resolved, tokens / calls / seconds) and the totals."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=Path, default=ROOT / "bench/bugfix/results")
    found = load(parser.parse_args().results)
    agents = [a for a in ORDER if a in found] + sorted(set(found) - set(ORDER))
    print("| task | kind | " + " | ".join(agents) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in agents) + " |")
    skipped = []
    for task in load_tasks():
        if not any(task.name in found[a] for a in agents):
            skipped.append(task.name)
            continue
        cells = [cell(found[a].get(task.name)) for a in agents]
        print(f"| {task.name} | {task.category} | " + " | ".join(cells) + " |")
    print()
    if skipped:
        print(f"Not run by any agent ({len(skipped)}): {', '.join(skipped)}.")
        print()
    print(
        "| agent | resolved | median tokens per resolved task | all tokens | calls | "
        "timeouts | minutes |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for agent in agents:
        print(f"| {agent} | {totals(found[agent])} |")


if __name__ == "__main__":
    main()
