"""Item worktrees: isolation, identity, refusals, crashed runs; the user's tree left as it was."""

from __future__ import annotations

import os
import signal
import sys
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent.config.scope import ScopeSettings, check_pr_limit
from agent.config.settings import load_settings
from agent.errors import InputError
from agent.system import proc
from agent.tools.files import replace_text
from agent.tools.git import git_commit
from agent.workspace.gitutil import restore_worktree, worktree_tree
from agent.workspace.worktree import (
    branch_name,
    close_workspace,
    items_committed_today,
    open_workspace,
    slugify,
)
from tests.support import git, make_repo, tree_snapshot, write_files
from tests.toolkit import call, user_repo, worked_item


def dirty(repo: Path) -> None:
    """Leave staged, unstaged and untracked changes in the user's tree."""
    write_files(repo, {"README.md": "# staged edit\n"})
    git(repo, "add", "README.md")
    write_files(repo, {"src/calc.py": "# unstaged edit\n", "notes.txt": "untracked\n"})


def test_branch_name_is_prefixed_id_and_slug() -> None:
    assert branch_name("BL-7", "Fix: the Adder (overflow)!") == "agent/BL-7-fix-the-adder-overflow"
    assert branch_name("a b/../c.lock", "", prefix="bot/") == "bot/a-b-c-lock-item"
    assert slugify("x" * 100) == "x" * 40


def test_worktree_lives_under_git_dir_on_item_branch(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo) as ws:
        assert ws.root.is_relative_to(repo / ".git" / "agent-worktrees")
        assert ws.branch == "agent/BL-1-fix-the-adder"
        assert git(ws.root, "branch", "--show-current").strip() == ws.branch
        assert (ws.root / "src" / "calc.py").is_file()
        assert ws.base == "main"
        assert ws.base_sha == git(repo, "rev-parse", "main").strip()
    assert not ws.root.exists()
    assert git(repo, "branch", "--list", ws.branch).strip() == ws.branch  # branch kept
    assert str(ws.root) not in git(repo, "worktree", "list")


def test_commit_has_agent_identity_and_trailer(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    env = {"AGENT_WORKSPACE__AUTHOR_NAME": "bot", "AGENT_WORKSPACE__AUTHOR_EMAIL": "bot@x.invalid"}
    with worked_item(repo, **env) as ws:
        (ws.root / "src" / "calc.py").write_text("def add(a, b):\n    return b + a\n")
        sha = ws.commit("fix: swap operands")
        assert ws.commit("chore: nothing") is None
    assert sha is not None
    shown = git(repo, "log", "-1", "--format=%an <%ae>|%cn|%B", ws.branch)
    assert shown.startswith("bot <bot@x.invalid>|bot|fix: swap operands")
    assert git(repo, "log", "-1", "--format=%(trailers:key=Agent-Item,valueonly)", sha).strip() == (
        "BL-1"
    )
    assert "bot" not in (repo / ".git" / "config").read_text()  # identity not stored in config


def test_agent_dir_excluded_idempotently_without_touching_gitignore(tmp_path: Path) -> None:
    repo = user_repo(tmp_path, {".gitignore": "*.pyc\n"})
    for _ in range(2):
        with worked_item(repo):
            pass
    exclude = (repo / ".git" / "info" / "exclude").read_text()
    assert exclude.count("/.agent/") == 1
    assert (repo / ".gitignore").read_text() == "*.pyc\n"
    (repo / ".agent").mkdir()
    (repo / ".agent" / "run.json").write_text("{}")
    assert git(repo, "status", "--porcelain").strip() == ""


@pytest.mark.parametrize("outcome", ["success", "failure", "exception"])
def test_user_tree_byte_identical(tmp_path: Path, outcome: str) -> None:
    repo = user_repo(tmp_path)
    dirty(repo)
    before = tree_snapshot(repo)
    expectation = pytest.raises(RuntimeError) if outcome == "exception" else nullcontext()
    with expectation, worked_item(repo) as ws:
        (ws.root / "src" / "calc.py").write_text("def add(a, b):\n    return 0\n")
        (ws.root / "new_module.py").write_text("X = 1\n")
        if outcome == "success":
            assert call(git_commit, ws, message="fix: change adder").ok
        if outcome == "failure":
            assert not call(replace_text, ws, path="README.md", old="absent", new="x").ok
            assert not call(git_commit, ws, message="not conventional").ok
        if outcome == "exception":
            raise RuntimeError("model crashed mid-item")
    assert not ws.root.exists()
    assert tree_snapshot(repo) == before
    assert (repo / "src" / "calc.py").read_text() == "# unstaged edit\n"


def test_refuses_not_a_repo_and_no_commits(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(InputError, match="not a git repository"):
        open_workspace(plain, "BL-1", "x")
    empty = make_repo(tmp_path / "empty")
    with pytest.raises(InputError, match="no commits"):
        open_workspace(empty, "BL-1", "x")


def test_refuses_missing_base_branch(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    settings = load_settings(repo, env={"AGENT_WORKSPACE__BASE_BRANCH": "develop"})
    with pytest.raises(InputError, match=r"base branch 'develop' does not exist.*main") as info:
        open_workspace(repo, "BL-1", "x", settings)
    assert info.value.exit_code == 2


def test_refuses_branch_checked_out_elsewhere(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    other = tmp_path / "other-checkout"
    git(repo, "worktree", "add", "-q", "-b", "agent/BL-1-fix-the-adder", str(other))
    with pytest.raises(InputError, match=f"already checked out in {other}"):
        open_workspace(repo, "BL-1", "Fix the adder")
    git(repo, "checkout", "-q", "-b", "agent/BL-2-user-branch")  # the user's own tree
    with pytest.raises(InputError, match="already checked out"):
        open_workspace(repo, "BL-2", "user branch", load_settings(repo, env={}))


def test_crashed_run_worktree_is_reused_not_duplicated(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    first = open_workspace(repo, "BL-1", "Fix the adder")  # never closed: a crash
    (first.root / "wip.py").write_text("work in progress\n")
    second = open_workspace(repo, "BL-1", "Fix the adder")
    assert second.reused and second.root == first.root
    assert (second.root / "wip.py").read_text() == "work in progress\n"
    listed = [line for line in git(repo, "worktree", "list").splitlines() if "agent/BL-1" in line]
    assert len(listed) == 1
    close_workspace(second)
    assert not second.root.exists()


def test_stale_registration_and_leftover_directory_are_cleaned(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    first = open_workspace(repo, "BL-1", "Fix the adder")
    (first.root / "a.py").write_text("A = 1\n")
    assert first.commit("feat: first attempt") is not None
    git(repo, "worktree", "remove", "--force", str(first.root))
    first.root.mkdir(parents=True)
    (first.root / "junk").write_text("left behind\n")  # directory without registration
    with worked_item(repo) as again:
        assert not again.reused
        assert not (again.root / "junk").exists()
        assert (again.root / "a.py").read_text() == "A = 1\n"  # the branch continues
    assert len(git(repo, "worktree", "list").splitlines()) == 1


def test_worktree_left_locked_by_a_kill_during_add_is_replaced(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    first = open_workspace(repo, "BL-1", "Fix the adder")
    root = first.root
    close_workspace(first)
    git(repo, "worktree", "add", "--detach", str(root))  # killed mid-add: no branch yet, locked
    git(repo, "worktree", "lock", "--reason", "initializing", str(root))
    again = open_workspace(repo, "BL-1", "Fix the adder")
    assert again.root == root and not again.reused
    assert git(again.root, "branch", "--show-current").strip() == "agent/BL-1-fix-the-adder"
    close_workspace(again)
    assert len(git(repo, "worktree", "list").splitlines()) == 1


def test_a_locked_worktree_on_the_item_branch_is_not_reused_half_checked_out(
    tmp_path: Path,
) -> None:
    repo = user_repo(tmp_path)
    first = open_workspace(repo, "BL-1", "Fix the adder")
    root, branch = first.root, first.branch
    close_workspace(first)
    git(repo, "worktree", "add", str(root), branch)  # killed while git checked the files out
    git(repo, "worktree", "lock", "--reason", "initializing", str(root))
    (root / "src" / "calc.py").unlink()  # the checkout had not reached this file yet
    again = open_workspace(repo, "BL-1", "Fix the adder")
    assert not again.reused and (again.root / "src" / "calc.py").is_file()
    close_workspace(again)
    assert len(git(repo, "worktree", "list").splitlines()) == 1


def test_worktree_dir_inside_user_tree_refused(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    settings = load_settings(repo, env={"AGENT_WORKSPACE__WORKTREE_DIR": "build/trees"})
    with pytest.raises(InputError, match="outside the working tree"):
        open_workspace(repo, "BL-1", "x", settings)
    outside = tmp_path / "cache-trees"
    settings = load_settings(repo, env={"AGENT_WORKSPACE__WORKTREE_DIR": os.fspath(outside)})
    ws = open_workspace(repo, "BL-1", "x", settings)
    assert ws.root.is_relative_to(outside)
    close_workspace(ws)


def test_limit_breach_reports_rule(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo, AGENT_SCOPE__FILE_CHANGE_LIMIT="2") as ws:
        assert ws.limit_breach() is None
        for name in ("a.py", "b.py", "c.py"):
            (ws.root / name).write_text("X = 1\n")
        breach = ws.limit_breach()
    assert breach is not None and breach.rule == "file_change_limit"
    assert (breach.limit, breach.actual) == (2, 3)
    assert "file_change_limit" in breach.message


def test_items_committed_today_feeds_pr_limit(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    now = datetime.now(UTC)
    assert items_committed_today(repo, now) == 0
    for item in ("BL-1", "BL-2"):
        with worked_item(repo, item, f"item {item}") as ws:
            for n in range(2):
                (ws.root / f"f{n}.py").write_text(f"N = {n}\n")
                assert ws.commit(f"feat: step {n}") is not None
    git(repo, "commit", "-q", "--allow-empty", "-m", "user work\n\nAgent-Item: BL-9")  # not agent's
    assert items_committed_today(repo, now) == 2
    scope = ScopeSettings(pr_daily_limit=2)
    breach = check_pr_limit(scope, items_committed_today(repo, now))
    assert breach is not None and breach.rule == "pr_daily_limit"
    assert items_committed_today(repo, now + timedelta(days=1)) == 0


CRASH = """
import os, signal, sys
from pathlib import Path
from agent.workspace.worktree import open_workspace
ws = open_workspace(Path(sys.argv[1]), "BL-1", "Fix the adder")
(ws.root / "wip.py").write_text("half done\\n")
print(ws.root, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_worktree_of_killed_process_is_reused(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    dirty(repo)
    before = tree_snapshot(repo)
    crashed = proc.run([sys.executable, "-c", CRASH, str(repo)], cwd=Path.cwd(), timeout=60)
    assert crashed.returncode == -signal.SIGKILL
    left = Path(crashed.stdout.strip())
    with worked_item(repo) as ws:
        assert ws.reused and ws.root == left
        assert (ws.root / "wip.py").read_text() == "half done\n"
    assert not left.exists()
    assert tree_snapshot(repo) == before


def test_a_worktree_is_put_back_to_a_recorded_tree(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo) as ws:
        (ws.root / "src" / "calc.py").write_text("# agreed step\n")
        tree = worktree_tree(ws.root)
        kept = tree_snapshot(ws.root, ignore=())
        (ws.root / "src" / "calc.py").write_text("# half-done edit of a killed attempt\n")
        (ws.root / "stray.py").write_text("X = 1\n")
        (ws.root / "README.md").unlink()

        assert restore_worktree(ws.root, tree) is True

        assert tree_snapshot(ws.root, ignore=()) == kept  # files, index and HEAD as recorded
        assert restore_worktree(ws.root, tree) is False
