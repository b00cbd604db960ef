"""A run that ends on an error leaves nothing stuck: outcome recorded, item freed or resumable."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from agent.backlog.models import Status
from agent.backlog.runs import ItemOutcome, RunOutcome, read_runs
from agent.commands.runs import show_status
from agent.errors import InputError
from agent.graph.runner import resume_run, start_run
from tests.graph_support import (
    NOW,
    demo,
    item,
    json_settings,
    mean_fix,
    no_answers,
    options,
    resume_agent,
    run_agent,
    scripted,
)
from tests.support import git
from tests.test_graph_run import discovered_test_item

pytestmark = pytest.mark.slow  # each test runs the graph on a real repository with real test runs


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def agent_cli(repo: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COLUMNS": "200", **env}
    return subprocess.run(
        [sys.executable, "-m", "agent", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        env=full_env,
    )


def worktrees(repo: Path) -> int:
    return git(repo, "worktree", "list").count("\n")


def test_a_dead_endpoint_stops_the_run_resumably_and_status_says_how_to_continue(
    tmp_path: Path,
) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    dead = {"OPENAI_BASE_URL": f"http://127.0.0.1:{closed_port()}/v1"}
    dead |= {"AGENT_MODEL__MAX_RETRIES": "0", "AGENT_MODEL__ACTION_MODE": "json"}

    done = agent_cli(repo, "run", "--yes", "--no-discover", "--item", item_id, **dead)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "cannot connect" in done.stderr and "Traceback" not in done.stderr
    [run] = read_runs(repo / ".agent" / "runs")
    assert run.outcome is RunOutcome.INTERRUPTED and run.ended_at is not None
    assert run.error is not None and "cannot connect" in run.error
    assert [(i.item_id, i.outcome) for i in run.items] == [(item_id, ItemOutcome.INTERRUPTED)]
    assert item(repo, item_id).status is Status.DOING and worktrees(repo) == 2
    status = agent_cli(repo, "status")
    assert status.returncode == 0
    assert f"run {run.run_id} (interrupted)" in status.stdout
    assert "continue it with `agent resume`" in status.stdout

    state, code = resume_agent(repo, scripted(mean_fix()))

    assert code == 0 and [r.item_id for r in state.results] == [item_id]
    assert item(repo, item_id).status is Status.PR and worktrees(repo) == 1
    [run] = read_runs(repo / ".agent" / "runs")
    assert run.outcome is RunOutcome.FINISHED and run.error is None


def test_an_error_that_cannot_be_resumed_puts_the_item_back_and_removes_its_worktree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    before = item(repo, item_id).status
    with pytest.raises(RuntimeError, match="no reply left"):  # a model without replies: a bug
        run_agent(repo, scripted(), options(item_id=item_id))

    freed = item(repo, item_id)
    assert freed.status is before is Status.READY
    assert freed.note is not None and "was aborted after red" in freed.note
    assert worktrees(repo) == 1 and "agent/" not in git(repo, "branch", "--list")
    [run] = read_runs(repo / ".agent" / "runs")
    assert run.outcome is RunOutcome.ABORTED and run.ended_at is not None
    assert run.error == "RuntimeError: scripted model: no reply left for call 1"
    assert [(i.outcome, i.phase) for i in run.items] == [(ItemOutcome.FAILED, "red")]
    show_status(repo, as_json=False)
    shown = capsys.readouterr().out
    assert f"run {run.run_id} (aborted)" in shown and "agent resume" not in shown
    with pytest.raises(InputError, match="was aborted"):
        resume_run(repo, json_settings(repo), no_answers, lambda _m: None, scripted())

    _state, code, _ = run_agent(repo, scripted(mean_fix()), options(item_id=item_id))

    assert code == 0 and item(repo, item_id).status is Status.PR
    assert item(repo, item_id).note is None  # the next move replaced the note


def test_pr_daily_limit_counts_the_configured_prefix_on_the_day_of_now(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    day = NOW.isoformat()
    git(repo, "checkout", "-q", "-b", "bot/OLD-1-earlier")
    stamp = {"GIT_COMMITTER_DATE": day, "GIT_AUTHOR_DATE": day}
    git(repo, "commit", "-q", "--allow-empty", "-m", "fix: earlier\n\nAgent-Item: OLD-1", env=stamp)
    git(repo, "checkout", "-q", "main")
    settings = json_settings(repo)
    update = {
        "workspace": settings.workspace.model_copy(update={"branch_prefix": "bot/"}),
        "scope": settings.scope.model_copy(update={"pr_daily_limit": 1}),
    }
    settings = settings.model_copy(update=update)

    state, code, _ = run_agent(repo, scripted(), options(item_id=item_id), settings=settings)

    assert code == 0 and state.results == []
    assert state.stop_reason == (
        "PR daily limit reached: scope rule 'pr_daily_limit' exceeded: 2 > 1 (needs a human)"
    )
    assert item(repo, item_id).status is Status.READY
    later = NOW + timedelta(days=1)  # the next day the limit is free again
    opts = options(item_id=item_id)

    state, code = start_run(repo, settings, opts, later, no_answers, print, scripted(mean_fix()))

    assert code == 0 and [r.item_id for r in state.results] == [item_id]
    assert item(repo, item_id).status is Status.PR
