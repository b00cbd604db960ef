"""Check the corpus: each task has exactly its one RED test failing, and the reference fixes it.

Usage: .venv/bin/python bench/bugfix/check_tasks.py [TASK ...]
Exit 1 when a task is broken.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from common import Task, apply_reference, failing, load_tasks, make_repo, pytest_outcomes


def check(task: Task) -> list[str]:
    """Problems with one task (empty when it is sound)."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / task.name
        make_repo(task, repo)
        outcomes, output = pytest_outcomes(repo, task)
        if failing(outcomes) != [task.red_test]:
            problems.append(f"before the fix failing={failing(outcomes)}, want [{task.red_test}]")
        written = apply_reference(task, repo)
        if any(path.startswith("tests/") for path in written):
            problems.append(f"the reference touches tests: {written}")
        outcomes, output = pytest_outcomes(repo, task)
        if not outcomes or failing(outcomes):
            problems.append(f"after the reference failing={failing(outcomes)}: {output[-300:]}")
    return problems


def main(names: list[str]) -> int:
    """Check every task; print one line each."""
    tasks, broken = load_tasks(names or None), 0
    for task in tasks:
        problems = check(task)
        broken += bool(problems)
        print(f"{'FAIL' if problems else 'ok  '} {task.name} ({task.category})")
        for problem in problems:
            print(f"     {problem}")
    print(f"{len(tasks) - broken} of {len(tasks)} tasks sound")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
