"""The demo repository shipped with the package: a small library with real work to do."""

from __future__ import annotations

import os
import shutil
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from agent.errors import InputError
from agent.system import proc

SKIP = {"__pycache__", ".pytest_cache"}
DEMO_ENV = {
    "GIT_AUTHOR_NAME": "Demo Author",
    "GIT_AUTHOR_EMAIL": "demo@example.invalid",
    "GIT_COMMITTER_NAME": "Demo Author",
    "GIT_COMMITTER_EMAIL": "demo@example.invalid",
    "GIT_AUTHOR_DATE": "2026-11-17T09:00:00Z",
    "GIT_COMMITTER_DATE": "2026-11-17T09:00:00Z",
}


def _copy(source: Traversable, target: Path) -> None:
    for entry in source.iterdir():
        if entry.name in SKIP or entry.name.endswith(".pyc"):
            continue
        if entry.is_dir():
            (target / entry.name).mkdir()
            _copy(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


def create_demo_repo(target: Path) -> Path:
    """Create the demo repository at `target` (which must not exist) with one commit on main."""
    if target.exists():
        raise InputError(f"{target}: already exists (the demo needs a fresh directory)")
    target.mkdir(parents=True)
    try:
        _copy(resources.files("agent.demo") / "template", target)
        for args in (
            ["git", "init", "-q", "-b", "main"],
            ["git", "add", "-A"],
            ["git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "calclib: first version"],
        ):
            result = proc.run(args, cwd=target, env={**_base_env(), **DEMO_ENV}, timeout=60)
            if not result.ok:
                raise InputError(f"git {args[1]} failed in {target}: {result.output.strip()}")
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _base_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
