"""`agent forge status` and the forge's failures: one line, exit 2 (setup) or 1 (retry later)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from agent.__main__ import main
from tests.discovery_support import Outcome, discover
from tests.forge.conftest import Forge
from tests.forge.servers import free_port
from tests.support import make_repo


def agent(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
          ) -> Outcome:  # fmt: skip
    """Run `agent ARGS` through the real entry point."""
    monkeypatch.setattr(sys, "argv", ["agent", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def repo_for(tmp_path: Path, forge: Forge, **extra: object) -> Path:
    return make_repo(tmp_path / "repo", {".agent.toml": forge.config(**extra), "a.py": "x = 1\n"})


def test_status_shows_auth_repository_and_rate_limit(
    tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    repo = repo_for(tmp_path, forge)

    shown = agent(capsys, monkeypatch, "forge", "status", str(repo))
    as_json = agent(capsys, monkeypatch, "forge", "status", str(repo), "--json")

    assert shown.code == 0, shown.err
    assert "token accepted" in shown.out
    assert "repository: octo/fixture (default branch main; push: yes)" in shown.out
    data = json.loads(as_json.out)
    assert data["repository"] == "octo/fixture" and data["rate_limit"] == 5000
    assert data["rate_remaining"] == forge.state.remaining + 1  # the repository GET came after


def test_status_infers_the_repository_from_the_origin_remote(
    tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    repo = repo_for(tmp_path, forge, repository="")
    from tests.support import git

    git(repo, "remote", "add", "origin", "git@github.com:octo/fixture.git")

    shown = agent(capsys, monkeypatch, "forge", "status", str(repo))

    assert shown.code == 0, shown.err
    assert "repository: octo/fixture" in shown.out


@pytest.mark.parametrize(
    ("scenario", "code", "message"),
    [
        ("bad token", 2, "GitHub refused the token (401 Bad credentials)"),
        ("no token", 2, "no GitHub token: set GITHUB_TOKEN or GH_TOKEN"),
        ("missing scope", 2, "403 Resource not accessible by integration); it needs issues=read"),
        ("not found", 2, "repository octo/missing not found (404"),
        ("rate limited", 1, "GitHub rate limit reached"),
    ],
)
def test_forge_failures_are_one_line_with_exit_2_or_1(
    tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, scenario: str, code: int, message: str,
) -> None:  # fmt: skip
    repo = repo_for(
        tmp_path, forge, repository="octo/missing" if scenario == "not found" else "octo/fixture"
    )
    forge.state.add_issue(1, "An issue")
    if scenario == "bad token":
        monkeypatch.setenv("GITHUB_TOKEN", "ghp_wrong")
    if scenario == "no token":
        monkeypatch.delenv("GITHUB_TOKEN")
    forge.state.forbidden = scenario == "missing scope"
    forge.state.rate_limited = scenario == "rate limited"

    status = agent(capsys, monkeypatch, "forge", "status", str(repo))
    found = discover(capsys, monkeypatch, str(repo), "--sources", "issues")

    for outcome in (status, found):
        assert outcome.code == code
        assert outcome.err.count("\n") == 1 and message in outcome.err, outcome.err
        assert "Traceback" not in outcome.err
    assert not (repo / "backlog.yml").exists()  # nothing half-written


def test_network_down_is_exit_1(
    tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    repo = repo_for(tmp_path, forge, api_url=f"http://127.0.0.1:{free_port()}")

    outcome = agent(capsys, monkeypatch, "forge", "status", str(repo))

    assert outcome.code == 1
    assert outcome.err.startswith("error: cannot reach http://127.0.0.1:")
    assert outcome.err.count("\n") == 1


def test_a_short_rate_limit_is_waited_out(
    tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    repo = repo_for(tmp_path, forge, max_wait_s=5)
    forge.state.add_issue(1, "An issue")
    forge.state.limit_once = True

    outcome = discover(capsys, monkeypatch, str(repo), "--sources", "issues")

    assert outcome.code == 0, outcome.err
    assert [status for _m, _p, status in forge.state.log] == [403, 200]


def test_without_a_forge_the_issue_source_says_what_to_configure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", {"a.py": "x = 1\n"})

    outcome = discover(capsys, monkeypatch, str(repo), "--sources", "issues,comments")

    assert outcome.code == 2
    assert 'needs a forge: set [forge] provider = "github"' in outcome.err
    assert not (repo / "backlog.yml").exists()
