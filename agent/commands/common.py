"""Argument parsing shared by commands."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from agent.errors import InputError


def parse_now(value: str | None) -> datetime:
    """Parse `--now` (ISO 8601; naive means UTC), defaulting to the current time."""
    if value is None:
        return datetime.now(UTC)
    return parse_time("--now", value, "an ISO 8601 time", "2026-11-21T00:00:00Z")


def parse_time(option: str, value: str, what: str, example: str) -> datetime:
    """Parse an ISO 8601 option value (naive means UTC), or fail naming the option."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{option}: {value!r} is not {what} (expected e.g. {example})") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def resolve_repo(repo: Path) -> Path:
    """Return the absolute repository directory, or fail clearly if it is not a directory."""
    if not repo.exists():
        raise InputError(f"{repo}: no such directory")
    if not repo.is_dir():
        raise InputError(f"{repo}: not a directory")
    return repo.resolve()


def git_root(repo: Path) -> Path:
    """Return the working tree root of the git repository at `repo`, or fail clearly (exit 2)."""
    from agent.workspace.gitutil import open_repo

    root = resolve_repo(repo)
    git_repo = open_repo(root)
    if git_repo.working_tree_dir is None:
        raise InputError(f"{root}: a bare repository has no working tree")
    return Path(git_repo.working_tree_dir)
