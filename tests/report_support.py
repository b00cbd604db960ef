"""A fixture repository with a known history, backlog and run records, for the report tests.

Hand-computed figures for the period 2026-10-01T00:00Z .. 2026-10-15T00:00Z are in EXPECTED.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import git, make_repo, write_files

SINCE = "2026-10-01T00:00:00Z"
NOW = "2026-10-15T00:00:00Z"

CALC = """import os
import subprocess


def add(a, b):
    return a + b


def evaluate(expr):
    return eval(expr)
"""

TESTS = """import pytest

from calc import add


def test_add():
    assert add(1, 2) == 3


def test_add_negative():
    assert add(-1, -2) == -3


@pytest.mark.skip(reason="not yet")
def test_later():
    pass


def test_wrong():
    assert add(2, 2) == 5
"""

BACKLOG = """version: 1
items:
  - {id: B-1, title: Parse the config file, type: feature, status: DONE, business_value: 8,
     time_criticality: 5, risk_reduction: 3, effort: 2, created_at: 2026-10-01T00:00:00Z,
     updated_at: 2026-10-04T00:00:00Z}
  - {id: B-2, title: Fix the rounding bug, type: bug, status: DONE, business_value: 3,
     time_criticality: 2, risk_reduction: 1, effort: 3, created_at: 2026-10-01T00:00:00Z,
     updated_at: 2026-10-11T00:00:00Z}
  - {id: B-3, title: Old work, type: chore, status: DONE, business_value: 1,
     time_criticality: 1, risk_reduction: 1, effort: 1, created_at: 2026-09-01T00:00:00Z,
     updated_at: 2026-09-15T00:00:00Z}
  - {id: B-4, title: Replace the v1 API, type: refactor, status: BLOCKED, business_value: 5,
     time_criticality: 3, risk_reduction: 5, effort: 8, created_at: 2026-10-10T00:00:00Z,
     blocked_reason: "Decide: keep the v1 API for one more release or break it now?"}
  - {id: B-5, title: Add a CLI flag, type: feature, status: PR, business_value: 3,
     time_criticality: 1, risk_reduction: 1, effort: 2, created_at: 2026-10-12T00:00:00Z}
  - {id: B-6, title: Harden input parsing, type: security, status: READY, business_value: 13,
     time_criticality: 8, risk_reduction: 5, effort: 3, created_at: 2026-10-14T00:00:00Z}
  - {id: B-7, title: Tidy the docs, type: docs, status: READY, business_value: 1,
     time_criticality: 1, risk_reduction: 1, effort: 5, created_at: 2026-10-14T00:00:00Z}
  - {id: B-8, title: Explore caching, type: investigation, status: NEW, business_value: 2,
     time_criticality: 1, risk_reduction: 1, effort: 3, created_at: 2026-10-14T00:00:00Z}
"""

EXPECTED = {
    "summary.items_done": 2,  # B-1 and B-2 (B-3 was done before the period)
    "summary.items_blocked": 1,
    "summary.items_in_review": 1,
    "summary.wsjf_delivered": 13.4,  # B-1 16/2 × 1.2 (3 days) = 9.6; B-2 6/3 × 1.9 (10 d) = 3.8
    "summary.completion_rate": 0.375,  # 3 DONE of 8
    "runs.runs_count": 2,
    "runs.items_attempted": 4,
    "runs.items_resolved": 2,
    "runs.tokens": 3800,
    "runs.cost": 0.038,
    "delivery.deployments": 4,  # merges m1..m4 (m0 is before the period, m5 after it)
    "delivery.deployment_frequency": 2.0,  # 4 in 14 days
    "delivery.deployment_bucket": "weekly",  # deployment days per week [1, 2, 1]
    "delivery.lead_time": 24.0,  # median of 24, 36, 2, 24 hours
    "delivery.change_failure_rate": 0.5,  # m2 reverted, m3 fixed
    "delivery.time_to_restore": 27.0,  # median of 6 h (revert of m2) and 48 h (fix of m3)
    "delivery.cycle_time": 2.0,  # resolved items took 1 h and 3 h
    "delivery.first_try_resolve_rate": 0.3333,  # I-1 yes, I-2 no (blocked first), I-3 no
    "delivery.tokens_per_resolved": 1900.0,  # 3800 / 2
    "delivery.cost_per_resolved": 0.019,  # 0.038 / 2
}


def _env(when: str) -> dict[str, str]:
    return {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}


def commit(repo: Path, files: dict[str, str], message: str, when: str) -> str:
    """Commit `files` with author and committer date `when`; return the sha."""
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, env=_env(when))
    return git(repo, "rev-parse", "HEAD").strip()


def merge(repo: Path, branch: str, when: str) -> str:
    """Merge `branch` into main with --no-ff at `when`; return the merge sha."""
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", f"Merge branch '{branch}'", branch, env=_env(when))
    return git(repo, "rev-parse", "HEAD").strip()


def branch(repo: Path, name: str) -> None:
    """Start branch `name` from main."""
    git(repo, "checkout", "-q", "-b", name, "main")


def build_history(root: Path) -> dict[str, str]:
    """Create the fixture repository; return the sha of each named merge and commit."""
    repo = make_repo(root)
    shas = {
        "A": commit(
            repo, {"calc.py": CALC, "tests/test_calc.py": TESTS}, "initial", "2026-09-19T09:00:00Z"
        )
    }
    branch(repo, "feat0")
    commit(repo, {"zero.py": "ZERO = 0\n"}, "feat: zero", "2026-09-19T12:00:00Z")
    shas["m0"] = merge(repo, "feat0", "2026-09-20T12:00:00Z")
    branch(repo, "feat1")
    commit(repo, {"one.py": "ONE = 1\n"}, "feat: one", "2026-10-02T09:00:00Z")
    commit(repo, {"one.py": "ONE = 1.0\n"}, "feat: one as float", "2026-10-02T15:00:00Z")
    shas["m1"] = merge(repo, "feat1", "2026-10-03T09:00:00Z")
    branch(repo, "feat2")
    commit(repo, {"two.py": "TWO = 2\n"}, "feat: two", "2026-10-05T12:00:00Z")
    shas["m2"] = merge(repo, "feat2", "2026-10-07T00:00:00Z")
    git(repo, "revert", "--no-edit", "-m", "1", shas["m2"], env=_env("2026-10-07T06:00:00Z"))
    branch(repo, "feat3")
    commit(repo, {"three.py": "THREE = 3 / 0\n"}, "feat: three", "2026-10-10T08:00:00Z")
    shas["m3"] = merge(repo, "feat3", "2026-10-10T10:00:00Z")
    branch(repo, "fix3")
    message = f"fix: division by zero (fixes {shas['m3'][:10]})"
    commit(repo, {"three.py": "THREE = 3\n"}, message, "2026-10-11T10:00:00Z")
    shas["m4"] = merge(repo, "fix3", "2026-10-12T10:00:00Z")
    branch(repo, "feat5")
    commit(repo, {"five.py": "FIVE = 5\n"}, "feat: five", "2026-10-19T10:00:00Z")
    shas["m5"] = merge(repo, "feat5", "2026-10-20T10:00:00Z")
    return shas


def add_tags(repo: Path, shas: dict[str, str]) -> None:
    """Tag m0 (lightweight), m1 and m4 (annotated, dated 2026-10-03 and 2026-10-12)."""
    git(repo, "tag", "v0.0", shas["m0"])
    git(repo, "tag", "-a", "-m", "v0.1", "v0.1", shas["m1"], env=_env("2026-10-03T12:00:00Z"))
    git(repo, "tag", "-a", "-m", "v0.2", "v0.2", shas["m4"], env=_env("2026-10-12T12:00:00Z"))


def _item(item_id: str, outcome: str, start: str, end: str, tokens: int, cost: float) -> dict:
    return {
        "item_id": item_id,
        "title": f"item {item_id}",
        "outcome": outcome,
        "started_at": start,
        "ended_at": end,
        "tokens": {"prompt": tokens // 2, "completion": tokens - tokens // 2},
        "cost_usd": cost,
    }


RUNS = {
    "r1": {
        "run_id": "r1",
        "started_at": "2026-10-05T09:00:00Z",
        "ended_at": "2026-10-05T11:00:00Z",
        "items": [
            _item("I-1", "resolved", "2026-10-05T09:00:00Z", "2026-10-05T10:00:00Z", 1000, 0.01),
            _item("I-2", "blocked", "2026-10-05T10:00:00Z", "2026-10-05T10:30:00Z", 500, 0.005),
        ],
    },
    "r2": {
        "run_id": "r2",
        "started_at": "2026-10-08T09:00:00Z",
        "ended_at": "2026-10-08T13:00:00Z",
        "items": [
            _item("I-2", "resolved", "2026-10-08T09:00:00Z", "2026-10-08T12:00:00Z", 2000, 0.02),
            _item("I-3", "failed", "2026-10-08T12:00:00Z", "2026-10-08T13:00:00Z", 300, 0.003),
        ],
    },
    "r0": {"run_id": "r0", "started_at": "2026-09-01T09:00:00Z", "items": []},
}


def add_backlog_and_runs(root: Path) -> None:
    """Write backlog.yml, run summaries (r0 before the period) and one evidence file."""
    write_files(root, {"backlog.yml": BACKLOG})
    for run_id, summary in RUNS.items():
        write_files(root, {f".agent/runs/{run_id}/summary.json": json.dumps(summary)})
    evidence = {"item_id": "I-1", "run_id": "r1", "red_output": "assert 1 == 2"}
    write_files(root, {".agent/evidence/I-1.json": json.dumps(evidence)})


def shadow_coverage(root: Path) -> None:
    """Make coverage.py unimportable in checkouts of `root` (a committed coverage.py that fails)."""
    text = 'raise ImportError("coverage is not installed here")\n'
    commit(root, {"coverage.py": text}, "chore: no coverage here", "2026-10-20T11:00:00Z")


def fixture_repo(root: Path) -> dict[str, str]:
    """The full fixture: history, backlog and runs, coverage unavailable."""
    shas = build_history(root)
    shadow_coverage(root)
    add_backlog_and_runs(root)
    return shas
