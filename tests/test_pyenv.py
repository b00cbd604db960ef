"""Tests run in the repository's own virtualenv, with the worktree's src/ ahead of any install."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from agent.pyenv import project_python, run_environment
from agent.settings import load_settings
from agent.testrun import run_tests
from tests.support import make_repo

SRC_REPO = {
    "src/shapes/__init__.py": "",
    "src/shapes/area.py": "def square(side):\n    return side * side\n",
    "tests/test_area.py": "from shapes.area import square\n\n\ndef test_square():\n"
    "    assert square(3) == 9\n",
}


def _fake_venv(repo: Path, with_pytest: bool = True) -> Path:
    """A `.venv` whose python records that it ran, then runs this interpreter."""
    bin_dir = repo / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.write_text(
        f'#!/bin/sh\necho ran >> "{repo / "venv-used"}"\nexec "{sys.executable}" "$@"\n',
        encoding="utf-8",
    )
    python.chmod(0o755)
    if with_pytest:
        (repo / ".venv" / "lib" / "python3.11" / "site-packages" / "pytest").mkdir(parents=True)
    return python


def test_the_repositorys_virtualenv_runs_its_tests(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", SRC_REPO)
    python = _fake_venv(repo)

    settings = load_settings(repo, env={})

    assert settings.tests.command == (str(python), "-m", "pytest")
    run = run_tests(repo, settings.tests)
    assert run.passed, run.result.output
    assert (repo / "venv-used").read_text(encoding="utf-8") == "ran\n"


def test_without_a_virtualenv_with_pytest_the_agents_interpreter_runs_them(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path / "repo", SRC_REPO)
    assert project_python(repo) == sys.executable
    _fake_venv(repo, with_pytest=False)

    assert load_settings(repo, env={}).tests.command == ("python", "-m", "pytest")
    configured = {"AGENT_TESTS__COMMAND": '["pytest"]'}
    assert load_settings(repo, env=configured).tests.command == ("pytest",)


def test_the_worktrees_src_comes_before_an_installed_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", SRC_REPO)
    shadow = tmp_path / "site" / "shapes"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("", encoding="utf-8")
    (shadow / "area.py").write_text("def square(side):\n    return 0\n", encoding="utf-8")

    env = run_environment(repo, {"PYTHONPATH": str(shadow.parent), "HOME": "/nowhere"})

    assert env["PYTHONPATH"] == f"{repo / 'src'}{os.pathsep}{shadow.parent}"
    assert env["HOME"] == "/nowhere"
    monkeypatch.setenv("PYTHONPATH", str(shadow.parent))  # as an install of the checkout would
    run = run_tests(repo, load_settings(repo, env={}).tests)
    assert run.passed, run.result.output
