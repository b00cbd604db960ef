"""`agent sync`: rebase a branch under review onto the moved base, re-check it, or BLOCK it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from agent.backlog.models import Status
from agent.backlog.runs import Evidence, PhaseEvidence
from agent.sync.engine import sync_branches
from agent.sync.recheck import red_check
from tests.support import git, make_repo, write_files
from tests.sync_support import (
    BRANCH,
    FIXED,
    RED,
    item,
    leftovers,
    move_main,
    repo_under_review,
    rev,
    settings,
)

pytestmark = pytest.mark.slow  # each test rebases in real worktrees and runs the suite

CONFLICTING = FIXED.replace("a + b", "b - a  # main's own take")
RESOLVED = FIXED.replace("a + b", "b + a  # resolved")


def test_a_base_that_moved_without_conflict_gets_the_branch_rebased_and_rechecked(
    tmp_path: Path,
) -> None:
    repo = repo_under_review(tmp_path)
    old = rev(repo, BRANCH)
    tip = move_main(repo, {"other.py": "X = 1\n"})

    [result] = sync_branches(repo, settings(repo))

    assert result.outcome == "rebased", result.line
    new = rev(repo, BRANCH)
    assert new != old and result.new == new
    assert git(repo, "log", "-1", "--format=%P", BRANCH).split() == [tip]
    assert f"RED {RED} passed" in result.detail and "suite: 1 ran" in result.detail
    assert git(repo, "show", f"{BRANCH}:calc.py") == FIXED
    assert git(repo, "log", "-1", "--format=%an|%B", BRANCH).startswith("Test User|fix: add adds")
    assert item(repo).status is Status.PR and leftovers(repo) == []
    assert git(repo, "branch", "--show-current").strip() == "main"


def test_a_conflict_blocks_the_item_and_leaves_the_branch_byte_identical(tmp_path: Path) -> None:
    repo = repo_under_review(tmp_path)
    old = rev(repo, BRANCH)
    move_main(repo, {"calc.py": CONFLICTING})
    backlog_before = (repo / "backlog.yml").read_text(encoding="utf-8")

    [result] = sync_branches(repo, settings(repo))

    assert result.outcome == "blocked"
    assert rev(repo, BRANCH) == old and leftovers(repo) == []
    blocked = item(repo)
    assert blocked.status is Status.BLOCKED and blocked.blocked_reason is not None
    assert "[sync] rebasing agent/B-1-fix-add onto main" in blocked.blocked_reason
    assert "conflicts in calc.py — decision needed: rebase" in blocked.blocked_reason
    assert "rerere.enabled=true" in blocked.blocked_reason
    assert (repo / "backlog.yml").read_text(encoding="utf-8") != backlog_before


def test_a_check_failing_after_a_clean_rebase_blocks_the_item_and_keeps_the_branch(
    tmp_path: Path,
) -> None:
    repo = repo_under_review(tmp_path)
    old = rev(repo, BRANCH)
    legacy = "from calc import add\n\n\ndef test_legacy():\n    assert add(1, 1) == 0\n"
    move_main(repo, {"tests/test_legacy.py": legacy})

    [result] = sync_branches(repo, settings(repo))

    assert result.outcome == "blocked" and rev(repo, BRANCH) == old and leftovers(repo) == []
    reason = item(repo).blocked_reason or ""
    assert "new failures after the rebase: tests/test_legacy.py::test_legacy" in reason
    assert "decision needed: fix the branch for the new main" in reason


def test_rerere_replays_a_resolution_recorded_earlier(tmp_path: Path) -> None:
    repo = repo_under_review(tmp_path)
    old = rev(repo, BRANCH)
    move_main(repo, {"calc.py": CONFLICTING})
    _resolve_once_by_hand(repo)

    [result] = sync_branches(repo, settings(repo))

    assert result.outcome == "rebased", result.line
    assert "rerere replayed calc.py" in result.detail
    assert rev(repo, BRANCH) != old and git(repo, "show", f"{BRANCH}:calc.py") == RESOLVED
    assert git(repo, "log", "-1", "--format=%P", BRANCH).split() == [rev(repo, "main")]
    assert item(repo).status is Status.PR and leftovers(repo) == []


def _resolve_once_by_hand(repo: Path) -> None:
    """A human rebases a copy of the branch with rerere on and resolves calc.py (recorded)."""
    rerere = ["-c", "rerere.enabled=true"]
    git(repo, "checkout", "-q", "-b", "human", BRANCH)
    try:
        git(repo, *rerere, "rebase", "main")
    except subprocess.CalledProcessError:  # the conflict is the point
        (repo / "calc.py").write_text(RESOLVED, encoding="utf-8")
        git(repo, "add", "calc.py")
        git(repo, *rerere, "rebase", "--continue", env={"GIT_EDITOR": "true"})
    git(repo, "checkout", "-q", "main")
    git(repo, "branch", "-qD", "human")
    assert os.listdir(repo / ".git" / "rr-cache")


def test_a_branch_already_on_the_base_is_left_alone(tmp_path: Path) -> None:
    repo = repo_under_review(tmp_path)
    old = rev(repo, BRANCH)

    [result] = sync_branches(repo, settings(repo))

    assert result.outcome == "current" and rev(repo, BRANCH) == old


def test_a_rebased_branch_is_pushed_with_a_lease_when_the_forge_remote_has_it(
    tmp_path: Path,
) -> None:
    repo = repo_under_review(tmp_path)
    remote = make_repo(tmp_path / "remote.git")
    git(remote, "config", "receive.denyCurrentBranch", "ignore")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "origin", BRANCH)
    move_main(repo, {"other.py": "X = 1\n"})
    forge = settings(repo, provider="github", repository="owner/name")

    [result] = sync_branches(repo, forge)

    assert result.outcome == "rebased" and "pushed to origin (force-with-lease)" in result.detail
    assert rev(remote, BRANCH) == rev(repo, BRANCH) == result.new


def test_a_remote_branch_that_moved_is_not_overwritten_and_the_branch_stays(
    tmp_path: Path,
) -> None:
    repo = repo_under_review(tmp_path)
    old = rev(repo, BRANCH)
    remote = make_repo(tmp_path / "remote.git", {"someone.py": "Y = 1\n"})
    git(remote, "branch", BRANCH)  # someone else's commits under the branch's name
    git(repo, "remote", "add", "origin", str(remote))
    move_main(repo, {"other.py": "X = 1\n"})

    [result] = sync_branches(repo, settings(repo, provider="github", repository="owner/name"))

    assert result.outcome == "failed" and "not pushed, left as it was" in result.detail
    assert rev(repo, BRANCH) == old and item(repo).status is Status.PR


def test_the_red_check_of_older_evidence_is_read_from_the_red_phase(tmp_path: Path) -> None:
    repo = repo_under_review(tmp_path)
    at = "2026-11-01T09:00:00Z"
    red = PhaseEvidence(
        phase="red", started_at=at, ended_at=at, ok=True, output=f"pytest {RED} fails\nFAILED ..."
    )
    evidence = Evidence(item_id="B-1", run_id="r0", phases=[red])
    write_files(repo, {".agent/evidence/B-1.json": evidence.model_dump_json()})

    check = red_check(repo, item(repo))

    assert check is not None and (check.kind, check.target) == ("pytest", RED)
