"""Micro-cycle guards: a weakened test, a spent budget, a restricted path, crash and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agent.backlog.models import Status
from agent.commands.runs import in_progress
from agent.graph.state import CycleOutcome
from tests.graph_support import (
    action,
    demo,
    item,
    json_settings,
    mean_fix,
    options,
    resume_agent,
    run_agent,
    scripted,
)
from tests.support import git
from tests.test_graph_run import discovered_test_item

pytestmark = pytest.mark.slow  # each test runs the graph on a real repository with real test runs


def test_a_model_that_weakens_the_test_is_blocked_by_the_guard(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    # Edit tools cannot even name a test file; the shell tool (off by default) can change one.
    weaken = action("run_command", argv=["sed", "-i", "s/== 2.0/== 3.0/", "tests/test_stats.py"])
    model = scripted(weaken, weaken)
    settings = json_settings(repo)
    tools = settings.tools.model_copy(update={"shell_enabled": True, "shell_allow": ("sed",)})
    settings = settings.model_copy(update={"tools": tools})

    state, code, _ = run_agent(repo, model, options(item_id=item_id), settings=settings)

    [result] = state.results
    assert result.outcome is CycleOutcome.BLOCKED and result.phase == "green"
    assert result.reason.startswith("guard:") and "tests/test_stats.py" in result.reason
    told = model.calls[1].messages[-1]["content"]
    assert "change was undone" in told  # the first attempt was reverted and reported
    assert "== 2.0" in git(repo, "show", f"{result.branch}:tests/test_stats.py")
    assert item(repo, item_id).status is Status.BLOCKED
    assert code == 1
    assert result.pr_path is None and not (repo / ".agent" / "prs" / f"{item_id}.md").exists()
    assert "== 2.0" in (repo / "tests" / "test_stats.py").read_text()  # user's copy untouched


def test_edit_tools_cannot_name_a_test_file_and_the_real_fix_still_lands(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    weaken = action("write_file", path="tests/conftest.py", content="collect_ignore = ['x']\n")
    model = scripted(weaken, mean_fix())

    state, _code, _ = run_agent(repo, model, options(item_id=item_id))

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    files = git(repo, "show", "--name-only", "--format=", result.branch or "").split()
    assert "tests/conftest.py" not in files and "calclib/stats.py" in files
    schema = json.dumps(model.calls[0].request.response_format)
    assert '"calclib/stats.py"' in schema and "tests/test_stats.py" not in schema
    repair = model.calls[1].messages[-1]["content"]
    assert "not a valid action" in repair and "path" in repair


def test_budget_cap_blocks_the_item_before_any_call_crosses_it(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    wander = [action("read_file", path="calclib/stats.py", start=line) for line in range(1, 11)]
    model = scripted(*wander)  # never the same action twice, so only the cap stops it
    settings = json_settings(repo, max_tokens_per_item=3000, max_completion_tokens=256)

    state, code, _ = run_agent(repo, model, options(item_id=item_id), settings=settings)

    [result] = state.results
    assert result.outcome is CycleOutcome.BLOCKED and result.phase == "green"
    assert result.reason.startswith("budget:") and "tokens per item" in result.reason
    spent = state.ledger.items[item_id]
    assert spent.tokens <= 3000  # no call was made past the cap
    assert len(model.calls) == spent.calls < 10
    assert code == 1


def test_restricted_path_edit_is_refused_and_the_item_still_resolves(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    sneaky = action("write_file", path=".github/workflows/ci.yml", content="on: push\n")
    model = scripted(sneaky, mean_fix())

    state, _code, _ = run_agent(repo, model, options(item_id=item_id))

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED
    branch = result.branch
    assert branch
    assert ".github" not in git(repo, "show", "--stat", "--format=", branch)
    repair = model.calls[1].messages[-1]["content"]  # refused before any file was written
    assert "not a valid action" in repair and "calclib/stats.py" in repair


SCRIPT = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from agent.llm.protocol import Completion
from tests.graph_support import run_agent, options, mean_fix

class PauseInGreen:
    model_name = "scripted"
    def complete(self, messages, request=None):
        Path({marker!r}).write_text("in green")
        time.sleep(600)
        return Completion(content=mean_fix())

run_agent(Path({repo!r}), PauseInGreen(), options(item_id={item!r}))
"""


def test_kill_9_during_green_then_resume_finishes_like_an_uninterrupted_run(
    tmp_path: Path,
) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    marker = tmp_path / "in-green"
    script = SCRIPT.format(root=str(Path.cwd()), marker=str(marker), repo=str(repo), item=item_id)
    process = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not marker.exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        assert marker.exists(), "the run never reached the green phase"
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert item(repo, item_id).status is Status.DOING
    progress = in_progress(repo)
    assert progress is not None and progress["item"] == item_id and progress["phase"] == "red"

    state, code = resume_agent(repo, scripted(mean_fix()))

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    assert code == 0
    assert "return sum(values) / len(values)" in git(
        repo, "show", f"{result.branch}:calclib/stats.py"
    )
    assert item(repo, item_id).status is Status.PR
    assert git(repo, "worktree", "list").count("\n") == 1
