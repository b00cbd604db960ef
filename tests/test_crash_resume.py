"""kill -9 at 20 seeded random points of a real `agent run`, then `agent resume`.

The run is the real CLI in a subprocess, its model calls replayed from the cassette recorded for
tests/test_graph_recorded.py::test_local_model_fixes_the_failing_test (same request bodies: the
same settings through AGENT_* variables). Each trial kills the whole process group at a seeded
random fraction of an uninterrupted run's duration, checks backlog.yml and the user's tree, then
resumes. Every trial must either resume to the uninterrupted run's outcome (same item status, same
tree on the item branch) or, killed before the run was recorded, leave the item as it was.
docs/reliability.md reports the figure.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from agent.backlog.models import Status
from agent.backlog.store import read_backlog
from agent.config.settings import DEFAULT_SCALE
from agent.errors import InputError
from scripts.record_cassettes import RECORDING_PORT
from tests.graph_support import demo
from tests.support import git, tree_snapshot
from tests.test_graph_run import discovered_test_item

TRIALS = 20
SEED = 15
WORKERS = 2
ROOT = Path(__file__).resolve().parent.parent
CASSETTE = ROOT / "cassettes/test_graph_recorded/test_local_model_fixes_the_failing_test.yaml"
RECORDED = {  # tests/test_graph_recorded.py: recording_settings() and local_model()
    "OPENAI_BASE_URL": f"http://127.0.0.1:{RECORDING_PORT}/v1",
    "AGENT_MODEL": "qwen2.5-coder-1.5b-instruct",
    "AGENT_MODEL__ACTION_MODE": "json",
    "AGENT_AGENT__GREEN_REWRITE": "auto",
    "AGENT_MODEL__MAX_RETRIES": "0",
    "AGENT_MODEL__MAX_COMPLETION_TOKENS": "768",
    "AGENT_MODEL__TEMPERATURE": "0.0",
    "AGENT_MODEL__TIMEOUT_S": "900",
}
pytestmark = [pytest.mark.slow, pytest.mark.timeout(3000)]  # 25 min on 2 busy cores


@dataclass(frozen=True)
class Outcome:
    """What one run left: the item's status and the tree of its branch (None: no branch)."""

    status: Status
    tree: str | None


@dataclass(frozen=True)
class Trial:
    """One kill: when, what the resume said, and whether everything held."""

    delay_s: float
    how: str
    problems: tuple[str, ...]


def agent(repo: Path, *args: str, timeout: float = 600) -> subprocess.Popen[str]:
    """Start `agent ARGS` (cassette replay) in its own process group."""
    env = {**os.environ, **RECORDED, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    command = [sys.executable, str(ROOT / "tests" / "cassette_cli.py"), str(CASSETTE), *args]
    return subprocess.Popen(
        command, cwd=repo, env=env, start_new_session=True, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def user_tree(repo: Path) -> dict[str, str]:
    """The user's files, index and HEAD (the agent updates backlog.yml and owns .agent/)."""
    shot = tree_snapshot(repo, ignore=(".agent/", "backlog.yml"))
    shot[".git/status@"] = "\n".join(
        line for line in shot[".git/status@"].splitlines() if "backlog.yml" not in line
    )
    return shot


def outcome(repo: Path, item_id: str) -> Outcome:
    """The item's status in backlog.yml and the tree its branch points to."""
    entry = read_backlog(repo / "backlog.yml", DEFAULT_SCALE).get(item_id)
    assert entry is not None
    branches = git(repo, "branch", "--list", "--format=%(refname:short)", "agent/*").split()
    tree = git(repo, "rev-parse", f"{branches[0]}^{{tree}}").strip() if branches else None
    return Outcome(entry.status, tree)


def run_args(item_id: str) -> tuple[str, ...]:
    return ("run", "--yes", "--no-discover", "--item", item_id, "--now", "2026-11-21T00:00:00Z")


@dataclass(frozen=True)
class Reference:
    """The prepared repository, its item, and what an uninterrupted run does and takes."""

    template: Path
    item_id: str
    outcome: Outcome
    seconds: float


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reference]:
    base = tmp_path_factory.mktemp("crash")
    template = demo(base)
    item_id = discovered_test_item(template)
    straight = base / "straight" / "demo"  # prompts name the repository's directory
    shutil.copytree(template, straight, symlinks=True)
    started = time.monotonic()
    process = agent(straight, *run_args(item_id))
    output, _ = process.communicate(timeout=600)
    seconds = time.monotonic() - started
    assert process.returncode == 0, output
    found = outcome(straight, item_id)
    assert found.status is Status.PR and found.tree is not None
    yield Reference(template, item_id, found, seconds)


def trial(ref: Reference, index: int, delay_s: float, work: Path) -> Trial:
    """Kill a run after `delay_s`, check what it left, resume it, check the outcome."""
    repo = work / f"trial-{index:02d}" / "demo"
    shutil.copytree(ref.template, repo, symlinks=True)
    before = user_tree(repo)
    process = agent(repo, *run_args(ref.item_id))
    try:
        process.wait(timeout=delay_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    problems = _left_behind(repo, before, "after the kill")
    resume = agent(repo, "resume")
    said, _ = resume.communicate(timeout=600)
    how = _how(resume.returncode, said)
    problems += _left_behind(repo, before, "after resume")
    expected = ref.outcome if how != "killed before the run was recorded" else None
    problems += _compare(repo, ref, expected, how, said)
    done = Trial(round(delay_s, 2), how, tuple(problems))
    print(f"trial {index:2d}: killed at {done.delay_s:6.2f}s, {how}: {problems or 'ok'}")
    return done


def _how(code: int, said: str) -> str:
    if code == 0:
        return "resumed"
    if code == 2 and "no run to resume" in said:
        return "killed before the run was recorded"
    if code == 2 and "already finished" in said:
        return "finished before the kill"
    return f"resume exited {code}"


def _left_behind(repo: Path, before: dict[str, str], when: str) -> list[str]:
    problems = []
    try:
        read_backlog(repo / "backlog.yml", DEFAULT_SCALE)
    except InputError as exc:
        problems.append(f"backlog.yml corrupt {when}: {exc}")
    if user_tree(repo) != before:
        problems.append(f"the user's tree changed {when}")
    return problems


def _compare(
    repo: Path, ref: Reference, expected: Outcome | None, how: str, said: str
) -> list[str]:
    found = outcome(repo, ref.item_id)
    if expected is None:
        clean = found == Outcome(Status.READY, None)
        return [] if clean else [f"{how}, but the item is {found}"]
    problems = [] if found == expected else [f"{how}: {found} != {expected}:\n{said[-3000:]}"]
    if git(repo, "worktree", "list").count("\n") != 1:
        problems.append(f"{how}: a worktree was left")
    return problems


def test_kill_9_at_20_random_points_resumes_to_the_same_outcome(
    reference: Reference, tmp_path: Path
) -> None:
    chance = random.Random(SEED)
    delays = [chance.uniform(0.02, 0.95) * reference.seconds for _ in range(TRIALS)]
    with ThreadPoolExecutor(WORKERS) as pool:
        trials = list(pool.map(lambda n: trial(reference, n, delays[n], tmp_path), range(TRIALS)))

    lines = [f"{t.delay_s:6.2f}s {t.how}: {'; '.join(t.problems) or 'ok'}" for t in trials]
    report = "\n".join(lines)
    print(f"uninterrupted run: {reference.seconds:.1f}s\n{report}")
    assert all(not t.problems for t in trials), report
    assert any(t.how == "resumed" for t in trials), report  # on a busy box most kills land late
