"""Print the bug-fix results (results/<agent>.jsonl) as the markdown tables of docs/benchmarks.md.

Usage: .venv/bin/python bench/bugfix/report.py [--set dev] [--results bench/bugfix/results]

Each part of the chosen set (dev, toy-heldout, realrepo-dev, realrepo-heldout; sets.py) gets its
own per-task table and totals; parts are never added together. A false claim is a task the agent
said it resolved that the harness does not count as resolved: for ours, its own outcome was
"resolved" but its branch fails the pristine tests; for the peers, who say nothing, the tests as
they left them pass (aider's --auto-test stops there) but the pristine tests do not (a test was
changed).
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

from common import ROOT
from sets import Entry, members, parts_of

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


def claimed(record: dict[str, Any]) -> bool:
    """Whether the agent said (ours) or its own tests showed (peers) that the task is done."""
    if record["agent"] == "ours":
        return record.get("own_outcome") == "resolved"
    return bool(record.get("red_passes")) and bool(record.get("suite_passes"))


def false_claim(record: dict[str, Any]) -> bool:
    """Claimed done, but the harness's pristine check fails."""
    return claimed(record) and not record["resolved"]


def totals(records: dict[str, dict[str, Any]]) -> str:
    """The totals row of one agent."""
    runs = list(records.values())
    fixed = [r for r in runs if r["resolved"]]
    median = f"{statistics.median(r['tokens'] for r in fixed):,.0f}" if fixed else "-"
    mean = f"{statistics.mean(r['tokens'] for r in fixed):,.0f}" if fixed else "-"
    all_tokens = sum(r["tokens"] for r in runs)
    timeouts = sum(r["timed_out"] for r in runs)
    return (
        f"{len(fixed)} of {len(runs)} | {median} | {mean} | {all_tokens:,} | "
        f"{sum(r['calls'] for r in runs)} | {timeouts} | {sum(map(false_claim, runs))} | "
        f"{sum(r['wall_s'] for r in runs) / 60:.0f}"
    )


def main() -> None:
    """Print, for each part of the chosen set, the per-task table and the totals."""
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--set", default="dev", help="dev|heldout|realrepo-dev|realrepo-heldout|all"
    )
    parser.add_argument("--results", type=Path, default=ROOT / "bench/bugfix/results")
    opts = parser.parse_args()
    found = load(opts.results)
    agents = [a for a in ORDER if a in found] + sorted(set(found) - set(ORDER))
    chosen = members(opts.set)
    for part in parts_of(opts.set):
        print(f"### {part}\n")
        part_report([e for e in chosen if e.part == part], agents, found)


def part_report(entries: list[Entry], agents: list[str], found: dict[str, Any]) -> None:
    """The per-task table and the totals of one part."""
    print("| task | kind | " + " | ".join(agents) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in agents) + " |")
    names = {e.name for e in entries}
    skipped = []
    for entry in entries:
        records = [found[a].get(entry.name) for a in agents]
        if not any(records):
            skipped.append(entry.name)
            continue
        kind = next(r["category"] for r in records if r)
        print(f"| {entry.name} | {kind} | " + " | ".join(map(cell, records)) + " |")
    print()
    if skipped:
        print(f"Not run by any agent ({len(skipped)}): {', '.join(skipped)}.\n")
    print(
        "| agent | resolved | median tokens per resolved task | mean tokens per resolved task | "
        "all tokens | calls | timeouts | false claims | minutes |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for agent in agents:
        mine = {t: r for t, r in found[agent].items() if t in names}
        if mine:
            print(f"| {agent} | {totals(mine)} |")
    print()


if __name__ == "__main__":
    main()
