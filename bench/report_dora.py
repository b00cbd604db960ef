"""Benchmark: DORA figures on a synthetic history of N merges (each with 2 branch commits).

    python bench/report_dora.py [N]

Builds the repository with `git fast-import` (one merge every 6 hours, a fix commit after every
10th merge), then times the delivery section over the whole history and the full `agent report`
(quality off).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from agent.commands.report import write_report
from agent.report.delivery import delivery_section
from agent.report.models import Period, Stamp
from agent.workspace.gitutil import open_repo

START = datetime(2026, 1, 1, tzinfo=UTC)


def _commit(lines: list[str], mark: int, ref: str, when: datetime, msg: str, parents: list[int]):
    stamp = f"{int(when.timestamp())} +0000"
    data = msg.encode()
    lines += [f"commit {ref}", f"mark :{mark}", f"author B <b@example.invalid> {stamp}"]
    lines += [f"committer B <b@example.invalid> {stamp}", f"data {len(data)}", msg]
    if parents:
        lines.append(f"from :{parents[0]}")
        lines += [f"merge :{p}" for p in parents[1:]]
    lines += [f"M 644 inline f{mark}.txt", "data 2", "x", ""]


def build(root: Path, merges: int) -> None:
    """Write a history of `merges` merges into main with fast-import."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    lines: list[str] = []
    _commit(lines, 1, "refs/heads/main", START, "initial", [])
    mark, main = 1, 1
    for n in range(merges):
        when = START + timedelta(hours=6 * n + 1)
        a, b, m = mark + 1, mark + 2, mark + 3
        _commit(lines, a, "refs/heads/topic", when, f"feat: part {n}", [main])
        _commit(lines, b, "refs/heads/topic", when + timedelta(hours=1), f"feat: more {n}", [a])
        _commit(lines, m, "refs/heads/main", when + timedelta(hours=3), f"Merge {n}", [main, b])
        mark, main = m, m
        if n % 10 == 9:
            mark += 1
            _commit(
                lines,
                mark,
                "refs/heads/main",
                when + timedelta(hours=4),
                f"fix: repair merge {n} (fixes :{m})",
                [main],
            )
            main = mark
    stream = ("\n".join(lines) + "\n").encode()
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=stream, check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)


def main(merges: int) -> None:
    """Build the history, then time the delivery figures and a full report."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        started = time.perf_counter()
        build(root, merges)
        print(f"built {merges} merges in {time.perf_counter() - started:.2f}s")
        repo = open_repo(root)
        until = START + timedelta(hours=6 * merges + 12)
        period = Period(since=START, until=until)
        stamp = Stamp(measured_at=until, commit=repo.head.commit.hexsha)
        started = time.perf_counter()
        delivery = delivery_section(repo, "main", "merges", period, stamp, [], "runs")
        print(
            f"delivery section: {time.perf_counter() - started:.2f}s "
            f"(deployments {delivery.deployments.value}, lead {delivery.lead_time.value} h)"
        )
        (root / ".agent.toml").write_text("[report]\nquality = false\n")
        started = time.perf_counter()
        write_report(root, "md,json,html", Path(tmp) / "out", START.isoformat(), until.isoformat())
        print(f"full report (quality off): {time.perf_counter() - started:.2f}s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
