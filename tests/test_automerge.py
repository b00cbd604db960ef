"""Auto-merge when the base moved on: a clean merge commit built without a worktree, or nothing."""

from __future__ import annotations

from pathlib import Path

from agent.graph.automerge import _merge
from tests.support import git as git_output
from tests.support import make_repo, tree_snapshot, write_files

AUTHOR = ("agent", "agent@example.invalid")


def git(repo: Path, *args: str) -> str:
    return git_output(repo, *args).strip()


def _diverged(tmp_path: Path, base_change: dict[str, str]) -> tuple[Path, str, str]:
    """main and agent/x both moved on from the first commit; the user works on `work`."""
    repo = make_repo(tmp_path / "repo", {"a.py": "A = 1\n", "b.py": "B = 1\n"})
    git(repo, "checkout", "-q", "-b", "agent/x")
    write_files(repo, {"a.py": "A = 2\n"})
    git(repo, "commit", "-qam", "fix a")
    item = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "main")
    write_files(repo, base_change)
    git(repo, "commit", "-qam", "user work")
    base = git(repo, "rev-parse", "main")
    git(repo, "checkout", "-q", "-b", "work")
    return repo, item, base


def test_a_base_that_moved_on_gets_a_merge_commit_and_the_users_tree_is_untouched(
    tmp_path: Path,
) -> None:
    repo, item, base = _diverged(tmp_path, {"b.py": "B = 2\n"})
    before = tree_snapshot(repo)

    merged, why = _merge(repo, "main", "agent/x", item, AUTHOR)

    assert merged, why
    head = git(repo, "rev-parse", "main")
    assert why == f"merged into main (merge commit {head[:12]})"
    assert git(repo, "log", "-1", "--format=%P", "main").split() == [base, item]
    assert git(repo, "show", "main:a.py") == "A = 2" and git(repo, "show", "main:b.py") == "B = 2"
    assert (
        git(repo, "log", "-1", "--format=%s|%an", "main")
        == "Merge branch 'agent/x' into main|agent"
    )
    assert tree_snapshot(repo) == before and git(repo, "branch", "--show-current") == "work"


def test_a_conflicting_base_is_left_alone(tmp_path: Path) -> None:
    repo, item, base = _diverged(tmp_path, {"a.py": "A = 3\n"})

    merged, why = _merge(repo, "main", "agent/x", item, AUTHOR)

    assert not merged and "conflicts with the branch" in why
    assert git(repo, "rev-parse", "main") == base


def test_a_base_that_did_not_move_is_fast_forwarded(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.py": "A = 1\n"})
    git(repo, "checkout", "-q", "-b", "agent/x")
    write_files(repo, {"a.py": "A = 2\n"})
    git(repo, "commit", "-qam", "fix a")
    item = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "work")

    assert _merge(repo, "main", "agent/x", item, AUTHOR) == (
        True,
        "merged into main (fast-forward)",
    )
    assert git(repo, "rev-parse", "main") == item
