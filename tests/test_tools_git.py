"""Git tools in an item worktree: status, diff, commit with checks and trailer, log."""

from __future__ import annotations

from pathlib import Path

from agent.tools.git import CONVENTIONAL, git_commit, git_diff, git_log, git_status
from agent.workspace.worktree import commit_message
from tests.support import git
from tests.toolkit import call, user_repo, worked_item


def test_status_and_diff_include_new_files(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo) as ws:
        assert call(git_status, ws).output.splitlines() == ["## agent/BL-1-fix-the-adder"]
        (ws.root / "src" / "calc.py").write_text("def add(a, b):\n    return b + a\n")
        (ws.root / "src" / "new.py").write_text("NEW = 1\n")
        status = call(git_status, ws).output
        diff = call(git_diff, ws).output
        stat = call(git_diff, ws, stat=True).output
        only = call(git_diff, ws, path="src/new.py").output
    assert " M src/calc.py" in status and "src/new.py" in status
    assert "+    return b + a" in diff and "+NEW = 1" in diff
    assert "src/calc.py" in stat and "2 files changed" in stat
    assert "calc.py" not in only and "+NEW = 1" in only


def test_diff_hides_restricted_files(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo) as ws:
        (ws.root / ".env").write_text("DB_PASSWORD=hunter2hunter2\n")
        (ws.root / "ok.py").write_text("OK = 1\n")
        result = call(git_diff, ws)
    assert "hunter2" not in result.output and ".env" not in result.output.split("[")[0]
    assert "+OK = 1" in result.output and "1 restricted files changed; not shown" in result.output


def test_commit_needs_conventional_message(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo) as ws:
        (ws.root / "a.py").write_text("A = 1\n")
        bad = call(git_commit, ws, message="Updated stuff")
        good = call(git_commit, ws, message="feat(core): add A\n\nBody text.")
        empty = call(git_commit, ws, message="chore: again")
        log = call(git_log, ws, limit=2).output
    assert not bad.ok and "Conventional Commits" in bad.output
    assert good.ok and good.output.startswith("committed ")
    assert not empty.ok and "nothing to commit" in empty.output
    sha = good.data["sha"]
    body = git(repo, "log", "-1", "--format=%B", sha)
    assert body == "feat(core): add A\n\nBody text.\n\nAgent-Item: BL-1\n\n"
    assert git(repo, "log", "-1", "--format=%an", sha).strip() == "agent"
    assert log.splitlines()[0].endswith("feat(core): add A (agent)")


def test_commit_refused_when_scope_limits_trip(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo, AGENT_SCOPE__MAX_CHANGED_LINES="3") as ws:
        (ws.root / "a.py").write_text("A = 1\nB = 2\nC = 3\nD = 4\n")
        result = call(git_commit, ws, message="feat: four lines")
    assert not result.ok and result.data["refused_rule"] == "max_changed_lines"
    assert "scope rule 'max_changed_lines' exceeded: 4 > 3" in result.output
    assert git(repo, "rev-parse", "agent/BL-1-fix-the-adder") == git(repo, "rev-parse", "main")


def test_commit_refused_for_restricted_change(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo) as ws:
        (ws.root / ".github" / "workflows").mkdir(parents=True)
        (ws.root / ".github" / "workflows" / "ci.yml").write_text("on: push\n")
        result = call(git_commit, ws, message="ci: add workflow")
    assert not result.ok and result.data["refused_rule"] == "restricted_paths"
    assert ".github/workflows/ci.yml" in result.output


def test_git_errors_and_bad_paths_are_results(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo) as ws:
        magic = call(git_diff, ws, path=":(nonsense)src")
        escape = call(git_diff, ws, path="../..")
        secret = call(git_diff, ws, path="secrets/")
    assert not magic.ok and magic.output.startswith("git failed:") and "pathspec" in magic.output
    assert not escape.ok and "escapes the repository" in escape.output
    assert not secret.ok and "rule 'secrets/'" in secret.output


def test_commit_without_message_uses_item_template(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo, "BL-4", "Handle negative numbers.") as ws:
        (ws.root / "a.py").write_text("A = -1\n")
        result = call(git_commit, ws)
    assert result.ok
    assert git(repo, "log", "-1", "--format=%s", result.data["sha"]).strip() == (
        "fix: handle negative numbers"
    )


def test_template_messages() -> None:
    assert commit_message("feature", "Add CSV export") == "feat: add CSV export"
    assert commit_message("investigation", "Why slow?") == "chore: why slow?"
    assert commit_message(None, "  Tidy   up ") == "chore: tidy up"
    long = commit_message("docs", "x" * 200)
    assert len(long) == 72 and long.startswith("docs: xxx") and long.endswith("...")
    assert CONVENTIONAL.match(commit_message("security", "Rotate keys"))
