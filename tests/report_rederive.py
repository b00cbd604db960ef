"""Re-derive every report figure from its sources without agent.report (for test_report_output).

Each function reads the source a figure names (backlog.yml, run summaries, git, a fresh test run,
ruff, bandit) with plain tools and recomputes the value the way docs/metrics.md defines it.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from tests.support import git

HOUR = 3600.0


def _time(value: Any) -> datetime:
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _wsjf(item: dict[str, Any], at: datetime) -> float:
    days = max(0, int((at - _time(item["created_at"])).total_seconds() // 86400))
    multiplier = min(2.0, 1 + 0.1 * max(0, days - 1))
    cod = item["business_value"] + item["time_criticality"] + item["risk_reduction"]
    return cod / item["effort"] * multiplier


def summary(root: Path, since: datetime, until: datetime) -> dict[str, Any]:
    """Executive summary figures from backlog.yml."""
    items = yaml.safe_load((root / "backlog.yml").read_text())["items"]
    done = [
        i
        for i in items
        if i["status"] == "DONE" and "updated_at" in i and since <= _time(i["updated_at"]) <= until
    ]
    return {
        "summary.items_done": len(done),
        "summary.items_blocked": sum(i["status"] == "BLOCKED" for i in items),
        "summary.items_in_review": sum(i["status"] == "PR" for i in items),
        "summary.wsjf_delivered": sum(_wsjf(i, _time(i["updated_at"])) for i in done),
        "summary.completion_rate": sum(i["status"] == "DONE" for i in items) / len(items),
    }


def runs(root: Path, since: datetime, until: datetime) -> dict[str, Any]:
    """Run and agent figures from .agent/runs/*/summary.json."""
    found = [json.loads(p.read_text()) for p in sorted(root.glob(".agent/runs/*/summary.json"))]
    found = [r for r in found if since <= _time(r["started_at"]) <= until]
    items = [i for r in found for i in r["items"]]
    resolved = [i for i in items if i["outcome"] == "resolved"]
    tokens = sum(i["tokens"]["prompt"] + i["tokens"]["completion"] for i in items)
    cost = sum(i["cost_usd"] for i in items)
    first: dict[str, str] = {}
    for i in sorted(items, key=lambda i: _time(i["started_at"])):
        first.setdefault(i["item_id"], i["outcome"])
    spans = [(_time(i["ended_at"]) - _time(i["started_at"])).total_seconds() for i in resolved]
    return {
        "runs.runs_count": len(found),
        "runs.items_attempted": len(items),
        "runs.items_resolved": len(resolved),
        "runs.tokens": tokens,
        "runs.cost": cost,
        "delivery.cycle_time": statistics.median(spans) / HOUR,
        "delivery.first_try_resolve_rate": sum(o == "resolved" for o in first.values())
        / len(first),
        "delivery.tokens_per_resolved": tokens / len(resolved),
        "delivery.cost_per_resolved": cost / len(resolved),
    }


def _run(args: list[str], cwd: Path) -> str:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False).stdout


def quality(root: Path, base: str) -> dict[str, Any]:
    """Test counts, coverage, ruff and bandit counts from a fresh checkout of `base`."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        git(root, "worktree", "add", "--detach", str(tree), base)
        try:
            return _quality_in(tree, Path(tmp))
        finally:
            git(root, "worktree", "remove", "--force", str(tree))


def _quality_in(tree: Path, tmp: Path) -> dict[str, Any]:
    junit = tmp / "junit.xml"
    _run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"],
        tree,
    )
    cases = list(ET.parse(junit).getroot().iter("testcase"))
    kinds = [next((c.tag for c in case), "passed") for case in cases]
    has_coverage = (
        subprocess.run(
            [sys.executable, "-c", "import coverage"], cwd=tree, capture_output=True, check=False
        ).returncode
        == 0
    )
    py_files = _run(["git", "ls-files", "*.py"], tree).split()
    ruff = json.loads(
        _run(
            [
                sys.executable,
                "-m",
                "ruff",
                "check",
                "--output-format",
                "json",
                "--exit-zero",
                "--no-cache",
                "--isolated",
                "--select",
                "E4,E7,E9,F,B",
                ".",
            ],
            tree,
        )
    )
    bandit = json.loads(
        _run([sys.executable, "-m", "bandit", "-f", "json", "-q", *py_files], tree)
    )["results"]
    severities = [r["issue_severity"] for r in bandit]
    return {
        "quality.tests_total": len(cases),
        "quality.tests_passed": kinds.count("passed"),
        "quality.tests_failed": kinds.count("failure"),
        "quality.tests_errors": kinds.count("error"),
        "quality.tests_skipped": kinds.count("skipped"),
        "quality.coverage": _coverage(tree, tmp) if has_coverage else None,
        "quality.ruff_findings": len(ruff),
        "quality.bandit_high": severities.count("HIGH"),
        "quality.bandit_medium": severities.count("MEDIUM"),
        "quality.bandit_low": severities.count("LOW"),
        "quality.todo_markers": _markers(tree, "TODO"),
        "quality.fixme_markers": _markers(tree, "FIXME"),
    }


def _coverage(tree: Path, tmp: Path) -> float:
    data, out = tmp / "cov.data", tmp / "cov.json"
    _run(
        [sys.executable, "-m", "coverage", "run", f"--data-file={data}", "-m", "pytest", "-q"], tree
    )
    _run([sys.executable, "-m", "coverage", "json", f"--data-file={data}", "-o", str(out)], tree)
    return json.loads(out.read_text())["totals"]["percent_covered"]


def _commits(root: Path, *args: str) -> list[tuple[str, list[str], int, int, str]]:
    raw = git(root, "log", "--format=%H%x1f%P%x1f%at%x1f%ct%x1f%B%x1e", *args)
    commits = []
    for record in raw.split("\x1e"):
        if record.strip():
            sha, parents, at, ct, body = record.lstrip("\n").split("\x1f")
            commits.append((sha, parents.split(), int(at), int(ct), body))
    return commits


def delivery(root: Path, base: str, since: datetime, until: datetime) -> dict[str, Any]:
    """The four keys from git (merges or tags, reverts and fixes naming a merged commit)."""
    lo, hi = since.timestamp(), until.timestamp()
    first_parent = _commits(root, "--first-parent", base)
    merges = [c for c in first_parent if len(c[1]) > 1 and lo <= c[3] <= hi]
    tags = git(root, "for-each-ref", "--merged", base, "--format=%(creatordate:unix)", "refs/tags")
    stamps = (
        [int(t) for t in tags.split()]
        if tags.strip()
        else [m[3] for m in first_parent if len(m[1]) > 1]
    )
    deploys = sorted(t for t in stamps if lo <= t <= hi)
    landed: dict[str, int] = {}
    for c in first_parent:
        landed[c[0]] = c[3]
        if len(c[1]) > 1:
            for inner in git(root, "rev-list", f"{c[1][0]}..{c[0]}").split():
                landed.setdefault(inner, c[3])
    everything = _commits(root, base)
    leads, restores = [], []
    for merge in reversed(merges):
        inner = _commits(root, f"{merge[1][0]}..{merge[0]}")
        branch = [c for c in inner if c[0] != merge[0]]
        leads.append((merge[3] - min(c[2] for c in branch)) / HOUR)
        shas = {merge[0], *(c[0] for c in branch)}
        times = [
            landed[c[0]]
            for c in everything
            if c[0] not in shas
            and c[0] in landed
            and landed[c[0]] >= merge[3]
            and landed[c[0]] <= hi
            and _names(c[4], shas)
        ]
        if times:
            restores.append((min(times) - merge[3]) / HOUR)
    weeks = (until - since) / timedelta(days=7)
    return {
        "delivery.deployments": len(deploys),
        "delivery.deployment_frequency": len(deploys) / weeks,
        "delivery.deployment_bucket": _bucket(
            {datetime.fromtimestamp(t, UTC).date() for t in deploys}, since.date(), until.date()
        ),
        "delivery.lead_time": statistics.median(leads),
        "delivery.change_failure_rate": len(restores) / len(merges),
        "delivery.time_to_restore": statistics.median(restores),
    }


def _names(message: str, shas: set[str]) -> bool:
    refs = re.findall(r"This reverts commit ([0-9a-f]{7,40})", message)
    if re.search(r"\b(fix|fixes|fixed|fixup|hotfix)\b", message, re.I):
        refs += re.findall(r"\b[0-9a-f]{7,40}\b", message)
    return any(sha.startswith(ref) for ref in refs for sha in shas)


def _bucket(deployed: set[date], start: date, end: date) -> str:
    weeks: dict[date, list[date]] = {}
    for n in range((end - start).days + 1):
        day = start + timedelta(days=n)
        weeks.setdefault(day - timedelta(days=day.isoweekday() % 7), []).append(day)
    days = [sum(d in deployed for d in ds) for ds in weeks.values()]
    if statistics.median(days) >= 3:
        return "daily"
    if statistics.median([min(n, 1) for n in days]) >= 1:
        return "weekly"
    months: dict[tuple[int, int], int] = {}
    for week, n in zip(weeks, days, strict=True):
        months[(week.year, week.month)] = months.get((week.year, week.month), 0) + min(n, 1)
    if statistics.median([months[(w.year, w.month)] for w in weeks]) >= 1:
        return "monthly"
    return "yearly"


def _markers(tree: Path, tag: str) -> int:
    """Marker comments counted with a plain regex over tracked Python files (independent check)."""
    files = subprocess.run(["git", "ls-files", "*.py"], cwd=tree, capture_output=True, text=True)
    pattern = re.compile(rf"#\s*@?{tag}\b")
    return sum(
        len(pattern.findall((tree / name).read_text(encoding="utf-8")))
        for name in files.stdout.split()
    )
