"""Which Python runs a repository's tests: one rule for test runs, the report and the shell tool.

`python` in `[tests].command` (and in the shell tool's argv) means the interpreter this rule picks,
first match wins:
1. configured: `[tests] python`, or a test command that starts with a Python interpreter;
2. the repository's virtualenv: uv's UV_PROJECT_ENVIRONMENT, `.venv`, `venv`, `env`, pdm's
   `.pdm-python`, poetry's and hatch's environments (preferring one with pytest);
3. the active virtualenv or conda environment (VIRTUAL_ENV, CONDA_PREFIX);
4. `python3` on PATH when it has pytest;
5. the interpreter running agent.
The item's worktree is a separate directory without the (git-ignored) virtualenv, so the rule is
applied to the repository the run was started on, once, when settings are loaded. Tests run with
the worktree's `src/` first on PYTHONPATH, so an editable install of the user's checkout cannot
shadow the worktree's copy.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.system import proc
from agent.testrun.projectenvs import project_environments, venv_python

PLACEHOLDER = "python"
PYTHON_NAME = re.compile(r"^python(\d+(\.\d+)?)?(\.exe)?$")
PROBE = "import importlib.util as u, sys; sys.exit(u.find_spec('pytest') is None)"
PROBE_TIMEOUT_S = 30.0
OWN = "agent's own: no virtualenv in the repository or active, no python3 with pytest on PATH"


@dataclass(frozen=True)
class Interpreter:
    """The Python `python` stands for, and why this one was chosen."""

    path: str
    reason: str


def choose_python(
    repo: Path, configured: str, command: Sequence[str], env: Mapping[str, str]
) -> Interpreter:
    """Pick the interpreter for `repo` by the rule in this module's docstring."""
    return (
        _configured(repo, configured, command, env)
        or _repository(repo, env)
        or _active(env)
        or _python3_with_pytest(env)
        or Interpreter(sys.executable, OWN)
    )


def with_python(argv: Sequence[str], python: str) -> list[str]:
    """`argv` with a leading `python` replaced by the chosen interpreter `python`."""
    return [python, *argv[1:]] if argv and argv[0] == PLACEHOLDER else list(argv)


def has_pytest(python: str) -> bool:
    """True when `python` runs and can import pytest."""
    return proc.run([python, "-c", PROBE], timeout=PROBE_TIMEOUT_S).ok


def is_python(program: str) -> bool:
    """True when `program` names a Python interpreter (python, python3, /x/bin/python3.12)."""
    return PYTHON_NAME.match(Path(program).name) is not None


def _configured(
    repo: Path, configured: str, command: Sequence[str], env: Mapping[str, str]
) -> Interpreter | None:
    if configured:
        return Interpreter(_locate(repo, configured, env), "configured: [tests] python")
    if command and command[0] != PLACEHOLDER and is_python(command[0]):
        return Interpreter(_locate(repo, command[0], env), "configured: the test command")
    return None


def _locate(repo: Path, program: str, env: Mapping[str, str]) -> str:
    """An absolute path: relative to the repository when it has a slash, else looked up on PATH."""
    if os.sep in program or "/" in program:
        return str((repo / program).absolute())
    return shutil.which(program, path=env.get("PATH", "")) or program


def _repository(repo: Path, env: Mapping[str, str]) -> Interpreter | None:
    """The first of the repository's environments that has pytest, else the first one found."""
    first = None
    for python, reason in project_environments(repo, env):
        if has_pytest(str(python)):
            return Interpreter(str(python), reason)
        first = first or Interpreter(str(python), reason)
    return first


def _active(env: Mapping[str, str]) -> Interpreter | None:
    for name, what in (("VIRTUAL_ENV", "virtualenv"), ("CONDA_PREFIX", "conda environment")):
        prefix = env.get(name)
        python = venv_python(Path(prefix)) if prefix else None
        if python is not None:
            return Interpreter(str(python), f"the active {what} ({name})")
    return None


def _python3_with_pytest(env: Mapping[str, str]) -> Interpreter | None:
    python = shutil.which("python3", path=env.get("PATH", ""))
    if python is None or not has_pytest(python):
        return None
    return Interpreter(python, "python3 on PATH, which has pytest")


def run_environment(root: Path, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a test run in `root`: `src/` (when present) first on PYTHONPATH."""
    base = dict(os.environ if env is None else env)
    src = root / "src"
    if src.is_dir():
        rest = base.get("PYTHONPATH", "")
        base["PYTHONPATH"] = str(src) + (os.pathsep + rest if rest else "")
    return base
