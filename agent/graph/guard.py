"""The test guard: hashes, not the model's word, decide whether tests were left alone.

From RED on, every test file that existed must keep its bytes, no new test file may appear (other
than the RED test the agent wrote itself), and the RED test must keep its content. A change is
undone at once and reported back to the model; repeated attempts block the item.
"""

from __future__ import annotations

from pathlib import Path

from agent.graph.common import sha256_file
from agent.graph.item_checks import is_test_file
from agent.graph.sources import tracked_python
from agent.graph.state import ItemState
from agent.system import proc


def violations(root: Path, item: ItemState) -> list[str]:
    """Test files changed since RED (the RED test included), as paths."""
    check = item.check
    own = check.file if check is not None and check.written_by_agent else None
    changed = [
        path
        for path, digest in item.test_hashes.items()
        if path != own and sha256_file(root / path) != digest
    ]
    if check is not None and check.file and sha256_file(root / check.file) != check.file_sha256:
        changed.append(check.file)
    return sorted(set(changed) | set(_new_test_files(root, item, own)))


def describe(paths: list[str]) -> str:
    """One line naming the violated files."""
    return "test files were changed: " + ", ".join(paths)


def restore(root: Path, item: ItemState, paths: list[str]) -> None:
    """Undo changes to test files: back to their RED bytes, new ones removed."""
    check = item.check
    for path in paths:
        if check is not None and path == check.file and check.content is not None:
            (root / path).write_text(check.content, encoding="utf-8")
        elif path in item.test_hashes and item.base_sha:
            proc.run(["git", "checkout", item.base_sha, "--", path], cwd=root, timeout=60)
        else:
            (root / path).unlink(missing_ok=True)


def check_and_restore(root: Path, item: ItemState) -> list[str]:
    """Find violations, undo them, and return what was violated."""
    found = violations(root, item)
    if found:
        restore(root, item, found)
    return found


def _new_test_files(root: Path, item: ItemState, own: str | None) -> list[str]:
    untracked = proc.run(
        ["git", "ls-files", "--others", "--exclude-standard"], cwd=root, timeout=60
    )
    paths = set(tracked_python(root)) | set(untracked.stdout.split())
    return sorted(p for p in paths if is_test_file(p) and p not in item.test_hashes and p != own)
