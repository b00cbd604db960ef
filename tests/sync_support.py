"""A repository with one agent branch under review (item B-1, status PR) and a base that moves."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from agent.backlog.models import BacklogItem
from agent.backlog.runs import Evidence, RedCheck
from agent.backlog.store import read_backlog
from agent.config.settings import DEFAULT_SCALE, Settings, load_settings
from tests.support import git, make_repo, write_files

BRANCH = "agent/B-1-fix-add"
RED = "tests/test_calc.py::test_add"
BUGGY = "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n"
FIXED = BUGGY.replace("a - b", "a + b")
BACKLOG = f"""version: 1
items:
  - id: B-1
    title: add subtracts
    type: bug
    status: PR
    business_value: 5
    time_criticality: 3
    risk_reduction: 2
    effort: 1
    created_at: 2026-11-01T09:00:00Z
    links: [branch:{BRANCH}]
"""


def rev(repo: Path, ref: str) -> str:
    """The sha `ref` names."""
    return git(repo, "rev-parse", ref).strip()


def repo_under_review(tmp_path: Path) -> Path:
    """main holds the bug; the item's branch fixes it and adds its RED test; evidence names it."""
    repo = make_repo(tmp_path / "repo", {"calc.py": BUGGY, "backlog.yml": BACKLOG})
    write_files(repo, {".gitignore": ".agent/\n"})
    git(repo, "add", ".gitignore")
    git(repo, "commit", "-qm", "ignore .agent")
    git(repo, "checkout", "-q", "-b", BRANCH)
    test = "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
    write_files(repo, {"calc.py": FIXED, "tests/test_calc.py": test})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "fix: add adds\n\nAgent-Item: B-1")
    git(repo, "checkout", "-q", "main")
    evidence = Evidence(item_id="B-1", run_id="r1", red_check=RedCheck(target=RED))
    write_files(repo, {".agent/evidence/B-1.json": evidence.model_dump_json()})
    return repo


def move_main(repo: Path, files: dict[str, str], message: str = "main moves on") -> str:
    """Commit `files` on main (checked out in the user's tree); the new tip."""
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return rev(repo, "main")


def settings(repo: Path, **forge: str) -> Settings:
    """Settings with the tests run by this interpreter (it has pytest) and maybe a forge."""
    overrides: dict[str, object] = {"tests": {"python": sys.executable}}
    if forge:
        overrides["forge"] = forge
    return load_settings(repo, env={}, overrides=overrides)


def item(repo: Path) -> BacklogItem:
    """Item B-1 as backlog.yml has it now."""
    found = read_backlog(repo / "backlog.yml", DEFAULT_SCALE).get("B-1")
    assert found is not None
    return found


def leftovers(repo: Path) -> list[str]:
    """Worktrees besides the main one, and any rebase state, anywhere in the repository."""
    listed = git(repo, "worktree", "list", "--porcelain").split("\n\n")
    extra = [block for block in listed if block.strip() and f"worktree {repo}" not in block]
    states = [str(p) for p in (repo / ".git").rglob("rebase-*")]
    return extra + states + [n for n in os.listdir(repo / ".git") if n == "worktrees"]
