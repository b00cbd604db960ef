"""Issues → backlog against GitHub's OpenAPI description (prism) and the stateful fake."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.discovery_support import backlog_items, discover
from tests.forge.conftest import Forge
from tests.support import make_repo

BUG_BODY = """It crashes.

## Acceptance criteria
- `total([])` returns 0
- [ ] `total([1, 2])` returns 3

## Notes
- not a criterion
"""
TASKS_BODY = "Steps:\n- [ ] add a --verbose flag\n- [x] document it\n"


def fixture_repo(tmp_path: Path, forge: Forge, **extra: object) -> Path:
    """A repository whose .agent.toml points at the mock GitHub."""
    return make_repo(tmp_path / "repo", {".agent.toml": forge.config(**extra), "app.py": "x = 1\n"})


def open_issues(forge: Forge) -> None:
    state = forge.state
    state.add_issue(1, "Crash on empty input", BUG_BODY, ("bug", "priority:high"))
    state.add_issue(2, "Verbose mode", TASKS_BODY, ("enhancement",))
    state.add_issue(3, "Think about caching", "No plan yet.", ("documentation", "question"))
    state.add_issue(4, "Fix typo", "a pull request", ("bug",), pull=True)
    state.add_issue(5, "Leaked key in logs", "", ("Security",))


def test_issues_become_items_with_the_documented_mapping(
    tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    open_issues(forge)
    repo = fixture_repo(tmp_path, forge)

    outcome = discover(capsys, monkeypatch, str(repo), "--sources", "issues")

    assert outcome.code == 0, outcome.err
    items = backlog_items(repo)
    assert sorted(items) == ["GH-1", "GH-2", "GH-3", "GH-5"]  # #4 is a pull request
    bug = items["GH-1"]
    assert (bug["type"], bug["status"]) == ("bug", "READY")
    assert bug["acceptance_criteria"] == ["`total([])` returns 0", "`total([1, 2])` returns 3"]
    # bug (5, 3, 5) and priority:high (8, 8) -> the highest of each; effort from the base (3)
    scores = [bug[k] for k in ("business_value", "time_criticality", "risk_reduction", "effort")]
    assert scores == [8, 8, 5, 3]
    assert bug["links"] == ["https://github.com/octo/fixture/issues/1"]
    assert bug["source"]["kind"] == "issues" and bug["source"]["tag"] == "#1"
    assert items["GH-2"]["acceptance_criteria"] == ["add a --verbose flag", "document it"]
    assert (items["GH-2"]["type"], items["GH-2"]["status"]) == ("feature", "READY")
    assert (items["GH-3"]["type"], items["GH-3"]["status"], items["GH-3"]["effort"]) == (
        "docs", "NEW", 1,
    )  # fmt: skip
    assert (items["GH-5"]["type"], items["GH-5"]["risk_reduction"]) == ("security", 13)


def test_closed_issue_is_done_and_human_edits_are_kept(
    tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    open_issues(forge)
    repo = fixture_repo(tmp_path, forge)
    assert discover(capsys, monkeypatch, str(repo), "--sources", "issues").code == 0
    path = repo / "backlog.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in data["items"]:
        if item["id"] == "GH-3":
            item["effort"], item["status"] = 8, "READY"
            item["acceptance_criteria"] = ["a cache design note exists"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    forge.state.issues[2]["state"] = "closed"

    assert discover(capsys, monkeypatch, str(repo), "--sources", "issues").code == 0

    items = backlog_items(repo)
    assert items["GH-2"]["status"] == "DONE"
    assert "no longer open" in items["GH-2"]["description"]
    kept = items["GH-3"]
    assert (kept["effort"], kept["status"]) == (8, "READY")
    assert kept["acceptance_criteria"] == ["a cache design note exists"]
    forge.state.issues[2]["state"] = "open"  # reopened: the item comes back
    assert discover(capsys, monkeypatch, str(repo), "--sources", "issues").code == 0
    assert backlog_items(repo)["GH-2"]["status"] == "READY"


def test_pages_are_followed_and_an_unchanged_rescan_costs_no_rate_limit(
    tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    open_issues(forge)
    repo = fixture_repo(tmp_path, forge, per_page=2)
    assert discover(capsys, monkeypatch, str(repo), "--sources", "issues").code == 0
    assert len(forge.state.calls("GET", r"/issues\?")) == 3  # 5 entries, 2 per page
    assert sorted(backlog_items(repo)) == ["GH-1", "GH-2", "GH-3", "GH-5"]
    before = forge.state.remaining

    again = discover(capsys, monkeypatch, str(repo), "--sources", "issues")

    assert again.code == 0, again.err
    rescans = forge.state.calls("GET", r"/issues\?")[3:]
    assert [status for _m, _p, status in rescans] == [304, 304, 304]
    assert forge.state.remaining == before
    assert sorted(backlog_items(repo)) == ["GH-1", "GH-2", "GH-3", "GH-5"]
