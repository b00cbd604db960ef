"""The Python environment a repository's tests run in: its own virtualenv when it has one.

`python` in `[tests].command` means "the project's interpreter": the repository's `.venv`, `venv`
or `env` (the first with pytest installed), else the interpreter running agent. The item's
worktree is a separate directory without that (git-ignored) virtualenv, so the path is taken from
the repository the run was started on. Tests run with the worktree's `src/` first on PYTHONPATH,
so a package installed in editable mode from the user's checkout cannot shadow the worktree's copy.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

VENV_NAMES = (".venv", "venv", "env")


def project_python(repo: Path) -> str:
    """The interpreter of the repository's own virtualenv with pytest, or this one."""
    for name in VENV_NAMES:
        venv = repo / name
        for python, site in (
            (venv / "bin" / "python", venv / "lib"),
            (venv / "Scripts" / "python.exe", venv / "Lib"),
        ):
            if python.is_file() and _has_pytest(site):
                return str(python.absolute())
    return sys.executable


def _has_pytest(lib: Path) -> bool:
    if not lib.is_dir():
        return False
    candidates = [lib / "site-packages", *lib.glob("python3*/site-packages")]
    return any((site / "pytest").is_dir() for site in candidates)


def run_environment(root: Path, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a test run in `root`: `src/` (when present) first on PYTHONPATH."""
    base = dict(os.environ if env is None else env)
    src = root / "src"
    if src.is_dir():
        rest = base.get("PYTHONPATH", "")
        base["PYTHONPATH"] = str(src) + (os.pathsep + rest if rest else "")
    return base
