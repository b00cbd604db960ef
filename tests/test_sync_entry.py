"""The ways into syncing: `agent sync` on the command line and `agent run --sync-branches`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agent.backlog.models import Status
from tests.graph_support import options, run_agent, scripted
from tests.support import git
from tests.sync_support import (
    BRANCH,
    FIXED,
    item,
    leftovers,
    move_main,
    repo_under_review,
    rev,
    settings,
)

pytestmark = pytest.mark.slow  # each test runs the agent or a rebase with real test runs


def agent(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent", "sync", str(repo), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "HOME": str(repo)},
    )


def test_agent_sync_exits_1_when_an_item_becomes_blocked(tmp_path: Path) -> None:
    repo = repo_under_review(tmp_path)
    old = rev(repo, BRANCH)
    move_main(repo, {"calc.py": FIXED.replace("a + b", "b - a")})

    done = agent(repo)

    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith(f"B-1 {BRANCH}: blocked: [sync] rebasing {BRANCH} onto main")
    assert rev(repo, BRANCH) == old and item(repo).status is Status.BLOCKED


def test_agent_sync_names_an_item_that_is_not_under_review(tmp_path: Path) -> None:
    repo = repo_under_review(tmp_path)

    done = agent(repo, "--item", "NOPE-1")

    assert done.returncode == 2
    assert "error: NOPE-1: no item under review (status PR with a branch) has it" in done.stderr


def test_run_with_sync_branches_rebases_before_it_works(tmp_path: Path) -> None:
    repo = repo_under_review(tmp_path)
    tip = move_main(repo, {"other.py": "X = 1\n"})

    _state, code, lines = run_agent(
        repo, scripted(), options(sync_branches=True, discover_only=True), settings=settings(repo)
    )

    assert code == 0
    assert any(line.startswith(f"Sync: B-1 {BRANCH}: rebased") for line in lines), lines
    assert git(repo, "log", "-1", "--format=%P", BRANCH).strip() == tip
    assert leftovers(repo) == []
