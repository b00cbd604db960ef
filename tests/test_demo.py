"""The shipped demo repository: real work for the agent, reproducible history."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agent.backlog.models import Status
from agent.backlog.store import read_backlog
from agent.config.settings import DEFAULT_SCALE
from agent.demo import create_demo_repo
from agent.errors import ExitCode, InputError
from tests.support import git


def test_demo_repo_has_one_commit_a_failing_test_and_a_fixme(tmp_path: Path) -> None:
    repo = create_demo_repo(tmp_path / "demo")
    assert git(repo, "log", "--format=%s %ad", "--date=iso-strict").strip() == (
        "calclib: first version 2026-11-17T09:00:00+00:00"
    )
    assert git(repo, "status", "--porcelain") == ""
    assert "FIXME" in (repo / "calclib" / "text.py").read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "1 failed, 4 passed" in done.stdout
    backlog = read_backlog(repo / "backlog.yml", DEFAULT_SCALE)
    assert [(i.id, i.status) for i in backlog.items] == [
        ("FEAT-clamp", Status.READY),
        ("FEAT-locale", Status.NEW),
    ]


def test_demo_refuses_an_existing_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="already exists"):
        create_demo_repo(tmp_path)


def test_a_finished_demo_exits_0_even_with_escalations_but_not_after_errors() -> None:
    from agent.commands.demo import demo_exit_code

    assert demo_exit_code(ExitCode.ITEM_FAILED) == 0  # blocked items are part of the show
    assert demo_exit_code(ExitCode.OK) == 0
    assert demo_exit_code(ExitCode.INTERRUPTED) == ExitCode.INTERRUPTED
    assert demo_exit_code(ExitCode.INVALID_INPUT) == ExitCode.INVALID_INPUT
