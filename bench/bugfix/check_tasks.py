"""Check the corpus: each task has its RED test failing, and the reference fixes it.

Usage: .venv/bin/python bench/bugfix/check_tasks.py [--set dev] [TASK ...]
Exit 1 when a task is broken.

Small tasks: the RED test must be the only failing test. Real-repository tasks (assembled by
realrepo.py): the RED test fails and every baseline test passes. After the reference is copied
in, the harness's own judge (the one run.py uses) must call the attempt resolved.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from common import (
    Task,
    apply_reference,
    failing,
    judge_worktree,
    make_repo,
    pytest_outcomes,
    red_passes,
    regressions,
)
from realrepo import tasks_in_set


def check(task: Task) -> list[str]:
    """Problems with one task (empty when it is sound)."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / task.name
        base = make_repo(task, repo)
        problems += before_problems(task, repo)
        written = apply_reference(task, repo)
        if any(path.startswith(f"{task.tests_dir}/") for path in written):
            problems.append(f"the reference touches tests: {written}")
        verdict = judge_worktree(repo, base, task)
        if not verdict.resolved:
            problems.append(f"after the reference not resolved: {verdict.detail[-300:]}")
    return problems


def before_problems(task: Task, repo: Path) -> list[str]:
    """What is wrong with the task's starting point."""
    outcomes, _ = pytest_outcomes(repo, task)
    if task.baseline is None:
        bad = failing(outcomes)
        return [] if bad == [task.red_test] else [f"before the fix failing={bad}"]
    broken = regressions(outcomes, task.baseline)
    problems = [f"baseline tests fail: {broken[:3]}"] if broken else []
    if red_passes(outcomes, task.red_test):
        problems.append("the RED test passes before the fix")
    return problems


def main() -> int:
    """Check every task of the chosen set (or the named ones); print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="dev")
    parser.add_argument("tasks", nargs="*")
    opts = parser.parse_args()
    tasks, broken = tasks_in_set(opts.set, opts.tasks), 0
    for task in tasks:
        problems = check(task)
        broken += bool(problems)
        print(f"{'FAIL' if problems else 'ok  '} {task.name} ({task.category})")
        for problem in problems:
            print(f"     {problem}")
    print(f"{len(tasks) - broken} of {len(tasks)} tasks sound")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
