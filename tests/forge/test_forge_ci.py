"""CI → backlog: a check failing on the default branch is an item until it passes again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.discovery_support import backlog_items, discover
from tests.forge.conftest import Forge
from tests.support import make_repo


def ci_items(repo: Path) -> dict[str, dict[str, object]]:
    return {key: item for key, item in backlog_items(repo).items() if key.startswith("CI-")}


def test_a_failing_check_becomes_an_item_and_is_resolved_when_it_passes(
    tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    repo = make_repo(tmp_path / "repo", {".agent.toml": forge.config(), "a.py": "x = 1\n"})
    forge.state.set_check("lint", "failure", "ruff found 2 problems in app.py")
    forge.state.set_check("tests", "success")

    first = discover(capsys, monkeypatch, str(repo), "--sources", "ci")

    assert first.code == 0, first.err
    [(item_id, item)] = ci_items(repo).items()
    assert item["title"] == "CI check 'lint' fails on main"
    assert "ruff found 2 problems in app.py" in str(item["description"])
    assert (item["type"], item["status"]) == ("bug", "READY")
    assert item["acceptance_criteria"] == ["the check 'lint' passes on main"]
    assert item["links"] and str(item["links"][0]).startswith("http")  # type: ignore[index]

    forge.state.set_check("lint", None)  # running again: not resolved yet
    pending = discover(capsys, monkeypatch, str(repo), "--sources", "ci")
    assert pending.code == 0 and "lint still running on main" in pending.err
    assert ci_items(repo)[item_id]["status"] == "READY"

    forge.state.set_check("lint", "success")
    assert discover(capsys, monkeypatch, str(repo), "--sources", "ci").code == 0
    resolved = ci_items(repo)[item_id]
    assert resolved["status"] == "DONE"
    assert "the check passes again on the default branch" in str(resolved["description"])

    forge.state.set_check("lint", "timed_out")  # failing again: the same item reopens
    assert discover(capsys, monkeypatch, str(repo), "--sources", "ci").code == 0
    assert list(ci_items(repo)) == [item_id]
    assert ci_items(repo)[item_id]["status"] == "READY"


def test_a_failing_commit_status_is_an_item_too(
    tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    repo = make_repo(tmp_path / "repo", {".agent.toml": forge.config(), "a.py": "x = 1\n"})
    forge.state.statuses = {"ci/jenkins": "failure", "ci/docs": "success"}

    assert discover(capsys, monkeypatch, str(repo), "--sources", "ci").code == 0

    [item] = ci_items(repo).values()
    assert item["title"] == "CI check 'ci/jenkins' fails on main"
    assert item["description"] == "ci/jenkins: failure"
    assert item["links"] == ["https://ci.example.com/1000/output"]
    forge.state.statuses["ci/jenkins"] = "success"
    assert discover(capsys, monkeypatch, str(repo), "--sources", "ci").code == 0
    assert [i["status"] for i in ci_items(repo).values()] == ["DONE"]
