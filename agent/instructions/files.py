"""Find the repository's instruction files and read them, size-capped and redacted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import git

from agent.scanners.secrets import redact

AGENTS = "AGENTS.md"
ROOT_FILES = ("CLAUDE.md", ".github/copilot-instructions.md")
CONTRIBUTING = ("CONTRIBUTING.md", ".github/CONTRIBUTING.md", "docs/CONTRIBUTING.md")


@dataclass(frozen=True)
class InstructionFile:
    """One instruction file as the model may read it."""

    path: str
    """Relative to the repository root, with `/` separators."""
    text: str
    """The file's text, cut to the byte cap and with secrets redacted."""
    size: int
    """The file's size in bytes."""
    bytes_cut: int = 0
    """Bytes beyond the cap that were not read."""


def root_paths(root: Path) -> list[str]:
    """The root-level instruction files that exist: AGENTS.md, CLAUDE.md, copilot, CONTRIBUTING."""
    found = [name for name in (AGENTS, *ROOT_FILES) if _readable(root, name)]
    contributing = next((name for name in CONTRIBUTING if _readable(root, name)), None)
    return [*found, *([contributing] if contributing else [])]


def nearest_agents(root: Path, path: str) -> str | None:
    """The AGENTS.md nearest to `path` below the root (the root's own is not returned)."""
    parts = _inside(path)
    if parts is None:
        return None
    folder = PurePosixPath(*parts) if parts else PurePosixPath()
    # A path that is itself a folder starts there; a file (or a missing path) at its parent.
    start = folder if (root / folder).is_dir() else folder.parent
    for candidate in (start, *start.parents):
        if candidate == PurePosixPath("."):
            return None
        name = str(candidate / AGENTS)
        if _readable(root, name):
            return name
    return None


def nested_agents(root: Path, paths: Iterable[str]) -> list[str]:
    """The nearest AGENTS.md of each path, deepest first (more specific), without repeats."""
    found = {near for path in paths if (near := nearest_agents(root, path)) is not None}
    return sorted(found, key=lambda name: (-name.count("/"), name))


def all_agents(root: Path) -> list[str]:
    """Every nested AGENTS.md git tracks (the worktrees of items hold tracked files only)."""
    try:
        listed = git.Repo(root).git.ls_files("-z", "--", f"*{AGENTS}")
    except (git.GitError, OSError):
        return []
    names = [name for name in listed.split("\0") if PurePosixPath(name).name == AGENTS]
    return sorted(name for name in names if name != AGENTS and _readable(root, name))


def read_instruction(root: Path, name: str, max_bytes: int) -> InstructionFile:
    """Read `name` under `root`: at most `max_bytes` (cut at a line end), secrets redacted."""
    path = root / name
    size = path.stat().st_size
    with path.open("rb") as handle:
        data = handle.read(max_bytes)
    if size > max_bytes:
        end = data.rfind(b"\n")
        data = data[: end + 1] if end > 0 else data
    text = redact(data.decode("utf-8", errors="replace"))
    return InstructionFile(name, text, size, max(size - len(data), 0))


def _inside(path: str) -> tuple[str, ...] | None:
    """The parts of a repository-relative path, or None when it could leave the repository."""
    pure = PurePosixPath(path.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts:
        return None
    return tuple(part for part in pure.parts if part != ".")


def _readable(root: Path, name: str) -> bool:
    """True for a regular file inside the repository (a link pointing outside is ignored)."""
    path = root / name
    if not path.is_file():
        return False
    try:
        return path.resolve().is_relative_to(root.resolve())
    except OSError:
        return False
