"""The real-repository verifier on small local repositories: real git, real pytest runs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bugfix"
sys.path.append(str(BENCH))  # the harness modules import each other by bare name

from common import Task, git  # noqa: E402
from realverify import Rejected, verify  # noqa: E402

pytestmark = pytest.mark.slow  # two to three pytest runs per test, about 7 s each on 2 busy cores

BUGGY = "def add(a, b):\n    return a - b\n"
FIXED = "def add(a, b):\n    return a + b\n"
TESTS = """from pkg.m import add


def test_add():
    assert add(1, 2) == 3


def test_other():
    assert add(0, 0) == 0


def test_sibling():
    assert add(2, 2) == 4
"""


def _task(tmp_path: Path, tests: str = TESTS, fixed: str = FIXED) -> tuple[Task, Path]:
    home = tmp_path / "task"
    repo = home / "repo"
    for path, text in {
        repo / "pkg/__init__.py": "",
        repo / "pkg/m.py": BUGGY,
        repo / "tests/test_m.py": tests,
        home / "reference/pkg/m.py": fixed,
    }.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "buggy")
    red = "tests/test_m.py::test_add"
    task = Task("t", "p", red, home, kind="realrepo", tests_dir="tests", python=sys.executable)
    return task, repo


def test_a_sound_task_is_verified_with_its_baseline_and_the_tree_restored(tmp_path: Path) -> None:
    task, repo = _task(tmp_path)
    record = verify(task, repo)
    assert record["red_cases"] == ["tests/test_m.py::test_add"]
    assert record["baseline"] == ["tests/test_m.py::test_other"]
    assert record["other_failing_before"] == ["tests/test_m.py::test_sibling"]
    assert (repo / "pkg/m.py").read_text(encoding="utf-8") == BUGGY
    assert git(repo, "status", "--porcelain", "--untracked-files=no").stdout == ""


def test_a_task_whose_fix_leaves_a_failing_test_is_rejected(tmp_path: Path) -> None:
    task, repo = _task(tmp_path, tests=TESTS.replace("assert add(2, 2) == 4", "assert False"))
    with pytest.raises(Rejected, match=r"still fail: \['tests/test_m.py::test_sibling'\]"):
        verify(task, repo)


def test_a_test_that_fails_on_a_name_error_is_rejected(tmp_path: Path) -> None:
    tests = TESTS.replace("assert add(1, 2) == 3", "assert helper(add) == 3")
    task, repo = _task(tmp_path, tests=tests)
    with pytest.raises(Rejected, match=r"wrong reason.*NameError"):
        verify(task, repo)


def test_a_fix_that_does_not_mend_the_test_is_rejected(tmp_path: Path) -> None:
    task, repo = _task(tmp_path, fixed="def add(a, b):\n    return 3 if a else 1\n")
    with pytest.raises(
        Rejected,
        match=r"after the fix: RED not passing \[\], broken \['tests/test_m.py::test_other'\]",
    ):
        verify(task, repo)


def test_a_test_that_already_passes_is_rejected(tmp_path: Path) -> None:
    task, repo = _task(tmp_path, tests=TESTS.replace("== 3", "== -1"))
    with pytest.raises(Rejected, match="passes on the buggy release"):
        verify(task, repo)
