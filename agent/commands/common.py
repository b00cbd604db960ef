"""Argument parsing shared by commands."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from agent.errors import InputError


def parse_now(value: str | None) -> datetime:
    """Parse `--now` (ISO 8601; naive means UTC), defaulting to the current time."""
    if value is None:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"--now: {value!r} is not an ISO 8601 time (expected e.g. 2026-11-21T00:00:00Z)"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def resolve_repo(repo: Path) -> Path:
    """Return the absolute repository directory, or fail clearly if it is not a directory."""
    if not repo.exists():
        raise InputError(f"{repo}: no such directory")
    if not repo.is_dir():
        raise InputError(f"{repo}: not a directory")
    return repo.resolve()
