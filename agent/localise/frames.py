"""Traceback frames in a failure's text: pytest's `path:line: in f` and Python's `File "...", line`.

A frame is a candidate only when it is in a repository file that is not a test: frames in the
standard library, site-packages, virtual environments, outside the repository or in test files
are kept (the call graph starts from the test frame) but never ranked.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from agent.testrun.testfiles import is_test_file

PYTEST_FRAME = re.compile(
    r"^(?P<path>[^\s:\"'<>|][^:\n\"]*?\.py):(?P<line>\d+):(?: in (?P<func>[\w.<>]+))?", re.M
)
NATIVE_FRAME = re.compile(
    r"^\s*File \"(?P<path>[^\"\n]+\.py)\", line (?P<line>\d+)(?:, in (?P<func>[\w.<>]+))?", re.M
)
NODE_ID = re.compile(r"(?P<path>[\w./-]+\.py)::(?P<name>[\w.:]+)")
EXTERNAL_PARTS = frozenset({"site-packages", "dist-packages", ".venv", "venv", ".tox", ".nox"})


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame: the repository-relative path (or the raw one outside), line and function."""

    path: str
    line: int
    function: str | None
    in_repo: bool

    @property
    def candidate(self) -> bool:
        """True for frames in repository files that are not tests."""
        return self.in_repo and not is_test_file(self.path)


def frames(root: Path, text: str) -> list[Frame]:
    """Every traceback frame in `text`, outermost first, consecutive duplicates dropped."""
    matches = sorted(
        [*PYTEST_FRAME.finditer(text), *NATIVE_FRAME.finditer(text)], key=lambda m: m.start()
    )
    found: list[Frame] = []
    for match in matches:
        frame = _frame(root, match.group("path"), int(match.group("line")), match.group("func"))
        if not found or found[-1] != frame:
            found.append(frame)
    return found


def _frame(root: Path, raw: str, line: int, function: str | None) -> Frame:
    rel = repo_path(root, raw)
    return Frame(rel or raw, line, function, rel is not None)


def repo_path(root: Path, raw: str) -> str | None:
    """`raw` as a path relative to `root` when it names a repository file, else None."""
    path = Path(raw)
    if path.is_absolute():
        real_root = root.resolve()
        resolved = Path(os.path.normpath(path))
        if not resolved.is_relative_to(real_root) and not resolved.is_relative_to(root):
            return None
        base = real_root if resolved.is_relative_to(real_root) else root
        rel = resolved.relative_to(base).as_posix()
    else:
        rel = Path(os.path.normpath(raw)).as_posix()
    if rel.startswith("../") or EXTERNAL_PARTS.intersection(rel.split("/")):
        return None
    return rel if (root / rel).is_file() else None


def failing_test(root: Path, text: str, found: list[Frame]) -> tuple[str, str | None] | None:
    """The failing test as (file, function): its pytest node id, else its outermost frame."""
    for match in NODE_ID.finditer(text):
        path = repo_path(root, match.group("path"))
        if path is not None and is_test_file(path):
            return path, match.group("name")
    frame = next((f for f in found if f.in_repo and is_test_file(f.path)), None)
    return (frame.path, frame.function) if frame else None
