"""Auto-merge into a base checked out in the user's tree: fast-forward only, and only when clean."""

from __future__ import annotations

from pathlib import Path

from agent.graph.automerge import _merge
from tests.support import git as git_output
from tests.support import make_repo, tree_snapshot, write_files

AUTHOR = ("agent", "agent@example.invalid")


def git(repo: Path, *args: str) -> str:
    return git_output(repo, *args).strip()


def _ahead(tmp_path: Path) -> tuple[Path, str]:
    """main is checked out in the user's tree; agent/x is one commit ahead of it."""
    repo = make_repo(tmp_path / "repo", {"a.py": "A = 1\n", "b.py": "B = 1\n", "backlog.yml": ""})
    git(repo, "checkout", "-q", "-b", "agent/x")
    write_files(repo, {"a.py": "A = 2\n", "new.py": "N = 1\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "fix a")
    item = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "main")
    return repo, item


def test_a_clean_checked_out_base_is_fast_forwarded_with_its_working_tree(
    tmp_path: Path,
) -> None:
    repo, item = _ahead(tmp_path)

    merged, why = _merge(repo, "main", "agent/x", item, AUTHOR)

    assert merged, why
    assert why == f"merged into main (fast-forward, checked out in {repo})"
    assert git(repo, "rev-parse", "main") == item == git(repo, "rev-parse", "HEAD")
    assert (repo / "a.py").read_text() == "A = 2\n" and (repo / "new.py").read_text() == "N = 1\n"
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "branch", "--show-current") == "main"


def test_a_dirty_checked_out_base_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    repo, item = _ahead(tmp_path)
    main = git(repo, "rev-parse", "main")
    write_files(repo, {"b.py": "B = 'my work'\n"})
    before = tree_snapshot(repo)

    merged, why = _merge(repo, "main", "agent/x", item, AUTHOR)

    assert not merged
    assert why.startswith(f"not merged: main is checked out in {repo} with uncommitted changes")
    assert "(b.py)" in why and "git merge --ff-only agent/x" in why
    assert git(repo, "rev-parse", "main") == main and tree_snapshot(repo) == before


def test_the_agents_own_backlog_edit_does_not_stop_the_fast_forward(tmp_path: Path) -> None:
    repo, item = _ahead(tmp_path)
    write_files(repo, {"backlog.yml": "version: 1\nitems: []\n"})

    merged, why = _merge(repo, "main", "agent/x", item, AUTHOR, ("backlog.yml",))

    assert merged, why
    assert git(repo, "rev-parse", "main") == item
    assert (repo / "backlog.yml").read_text() == "version: 1\nitems: []\n"
    assert git(repo, "status", "--porcelain") == "M backlog.yml"


def test_a_checked_out_base_that_moved_on_is_not_merged(tmp_path: Path) -> None:
    repo, item = _ahead(tmp_path)
    write_files(repo, {"b.py": "B = 2\n"})
    git(repo, "commit", "-qam", "user work")
    main = git(repo, "rev-parse", "main")
    before = tree_snapshot(repo)

    merged, why = _merge(repo, "main", "agent/x", item, AUTHOR)

    assert not merged and "moved on since the branch started; `agent sync` rebases" in why
    assert git(repo, "rev-parse", "main") == main and tree_snapshot(repo) == before


def test_an_untracked_file_in_the_way_makes_git_refuse_and_nothing_changes(
    tmp_path: Path,
) -> None:
    repo, item = _ahead(tmp_path)
    main = git(repo, "rev-parse", "main")
    write_files(repo, {"new.py": "mine\n"})
    before = tree_snapshot(repo)

    merged, why = _merge(repo, "main", "agent/x", item, AUTHOR)

    assert not merged and why.startswith("not merged: git merge --ff-only refused in")
    assert git(repo, "rev-parse", "main") == main and tree_snapshot(repo) == before
