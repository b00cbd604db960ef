"""The run_tests tool: real pytest runs in the worktree, JUnit outcomes, a hanging test killed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from agent.config.settings import load_settings
from agent.testrun.run import run_tests as run_suite
from agent.tools.tests import run_tests
from tests.support import make_repo
from tests.toolkit import call, user_repo, worked_item


@pytest.fixture(autouse=True)
def _plain_pytest(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample repositories need no plugins; skipping their auto-load keeps runs fast."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


MIXED = """\
import pytest


def test_passes():
    assert 1 + 1 == 2


def test_fails():
    assert 2 + 2 == 5, "arithmetic is broken"


@pytest.fixture
def broken():
    raise RuntimeError("fixture exploded")


def test_errors(broken):
    pass


@pytest.mark.skip(reason="not today")
def test_skipped():
    pass
"""

HANGS = """\
import time


def test_hangs():
    time.sleep(60)
"""


def test_pass_fail_error_skip_summarised(tmp_path: Path) -> None:
    repo = user_repo(tmp_path, {"tests/test_mixed.py": MIXED})
    with worked_item(repo) as ws:
        result = call(run_tests, ws, selection=["tests/test_mixed.py"])
    assert not result.ok and result.returncode == 1
    lines = result.output.splitlines()
    assert lines[0] == "1 passed, 1 failed, 1 error, 1 skipped"  # no timing: prompts stay stable
    assert "FAILED tests/test_mixed.py::test_fails: AssertionError: arithmetic is broken" in (
        result.output
    )
    assert "ERROR tests/test_mixed.py::test_errors:" in result.output
    assert "fixture exploded" in result.output
    assert result.data["outcomes"] == {
        "tests/test_mixed.py::test_passes": "passed",
        "tests/test_mixed.py::test_fails": "failed",
        "tests/test_mixed.py::test_errors": "error",
        "tests/test_mixed.py::test_skipped": "skipped",
    }


def test_passing_run_is_ok_and_keyword_selects(tmp_path: Path) -> None:
    repo = user_repo(tmp_path, {"tests/test_mixed.py": MIXED})
    with worked_item(repo) as ws:
        result = call(run_tests, ws, selection=["tests/test_mixed.py"], keyword="passes")
        everything = call(run_tests, ws, selection=["tests/test_calc.py"])
    assert result.ok and result.output.startswith("1 passed, 0 failed, 0 error, 0 skipped")
    assert everything.ok and everything.data["counts"]["passed"] == 1


def test_hanging_test_is_killed_and_reported(tmp_path: Path) -> None:
    repo = user_repo(tmp_path, {"tests/test_hang.py": HANGS})
    with worked_item(repo, AGENT_TESTS__TIMEOUT_S="1.5") as ws:
        started = time.monotonic()
        result = call(run_tests, ws, selection=["tests/test_hang.py"])
        elapsed = time.monotonic() - started
    assert not result.ok and result.data["timed_out"] is True
    assert "timed out after" in result.output and "killed" in result.output
    assert elapsed < 30


def test_selection_options_and_escapes_refused(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo) as ws:
        option = call(run_tests, ws, selection=["--junitxml=/tmp/x"])
        escape = call(run_tests, ws, selection=["../../other/test_x.py"])
    assert not option.ok and "not options" in option.output
    assert not escape.ok and "escapes the repository" in escape.output


def test_collection_error_reports_output_tail(tmp_path: Path) -> None:
    repo = user_repo(tmp_path, {"tests/test_broken.py": "import nonexistent_module_xyz\n"})
    with worked_item(repo) as ws:
        result = call(run_tests, ws, selection=["tests/test_broken.py"])
    assert not result.ok
    assert "nonexistent_module_xyz" in result.output


BASE_TESTS = "class TestBase:\n    def test_value(self):\n        assert 1 + 1 == 3\n"
SUB_TESTS = "from tests.test_base import TestBase\n\n\nclass TestSub(TestBase):\n    pass\n"


def test_a_test_class_subclassed_into_another_module_keeps_its_collecting_module(
    tmp_path: Path,
) -> None:
    files = {"tests/__init__.py": "", "tests/test_base.py": BASE_TESTS}
    repo = make_repo(tmp_path / "repo", {**files, "tests/test_sub.py": SUB_TESTS})

    run = run_suite(repo, load_settings(repo, env={}).tests)

    assert run.report is not None
    ids = sorted(case.node_id for case in run.report.problems)
    assert ids == [  # pytest also collects the imported base class in test_sub.py
        "tests/test_base.py::TestBase::test_value",
        "tests/test_sub.py::TestBase::test_value",
        "tests/test_sub.py::TestSub::test_value",
    ]
