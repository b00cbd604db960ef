"""Where a repository's own Python environments are: plain virtualenvs, uv, pdm, poetry, hatch.

Each tool is asked only when its files are in the repository, and poetry and hatch only when they
are on PATH; a missing or failing tool is no environment, never an error.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path

from agent.system import proc

VENV_NAMES = (".venv", "venv", "env")
TOOL_TIMEOUT_S = 30.0


def project_environments(repo: Path, env: Mapping[str, str]) -> Iterator[tuple[Path, str]]:
    """Yield the interpreter of each of `repo`'s own environments, with why it is one."""
    tables = _tool_tables(repo)
    if "uv" in tables or (repo / "uv.lock").is_file():
        where = env.get("UV_PROJECT_ENVIRONMENT", ".venv")
        yield from _venv(repo / where, f"uv's project environment ({where})")
    for name in VENV_NAMES:
        yield from _venv(repo / name, f"the repository's {name}")
    yield from _pdm(repo)
    if "poetry" in tables or (repo / "poetry.lock").is_file():
        yield from _asked(repo, env, ("poetry", "env", "info", "-p"), "poetry's environment")
    if "hatch" in tables or (repo / "hatch.toml").is_file():
        yield from _asked(repo, env, ("hatch", "env", "find"), "hatch's default environment")


def venv_python(venv: Path) -> Path | None:
    """The interpreter of the virtualenv at `venv` (POSIX or Windows layout), if there is one."""
    for python in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if python.is_file() or python.is_symlink():
            return python.absolute()
    return None


def _venv(venv: Path, reason: str) -> Iterator[tuple[Path, str]]:
    python = venv_python(venv)
    if python is not None:
        yield python, reason


def _pdm(repo: Path) -> Iterator[tuple[Path, str]]:
    """pdm records the project's interpreter in `.pdm-python`."""
    try:
        recorded = (repo / ".pdm-python").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return
    python = Path(recorded)
    if recorded and (python.is_file() or python.is_symlink()):
        yield python, "pdm's interpreter (.pdm-python)"


def _asked(
    repo: Path, env: Mapping[str, str], argv: tuple[str, ...], reason: str
) -> Iterator[tuple[Path, str]]:
    """The environment a project tool prints (`poetry env info -p`, `hatch env find`)."""
    program = shutil.which(argv[0], path=env.get("PATH", ""))
    if program is None:
        return
    answer = proc.run([program, *argv[1:]], cwd=repo, timeout=TOOL_TIMEOUT_S, env=env)
    lines = answer.stdout.strip().splitlines()
    if answer.ok and lines:
        yield from _venv(Path(lines[-1].strip()), f"{reason} ({' '.join(argv)})")


def _tool_tables(repo: Path) -> set[str]:
    """The `[tool.*]` tables of the repository's pyproject.toml (none when unreadable)."""
    try:
        data = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return set()
    tool = data.get("tool", {})
    return set(tool) if isinstance(tool, dict) else set()
