"""`agent run --pr`: the branch is pushed to a local bare `origin` and one draft PR is opened."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.backlog.models import Status
from agent.config.settings import load_settings
from agent.forge.errors import ForgeUnavailable
from agent.forge.publish import pr_title_and_body, publish
from agent.graph.runner import resume_run
from agent.graph.state import CycleOutcome
from tests.forge.conftest import Forge
from tests.forge.fake_github import TOKEN
from tests.forge.test_forge_status import agent
from tests.graph_support import (
    demo,
    item,
    json_settings,
    mean_fix,
    no_answers,
    options,
    run_agent,
    scripted,
)
from tests.support import git
from tests.test_graph_run import discovered_test_item

pytestmark = pytest.mark.slow  # each test runs the agent against the prism mock of GitHub's API


def demo_with_origin(tmp_path: Path, forge: Forge | None) -> Path:
    """The demo repository, configured for the mock GitHub, with a bare repository as origin."""
    repo = demo(tmp_path)
    if forge is not None:
        (repo / ".agent.toml").write_text(forge.config(), encoding="utf-8")
        git(repo, "add", ".agent.toml")
        git(repo, "commit", "-q", "-m", "forge settings")
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "push", "-q", "origin", "HEAD:refs/heads/main")
    return repo


def test_run_with_pr_pushes_the_branch_and_opens_exactly_one_draft_pr_across_a_retry(
    tmp_path: Path, forge: Forge
) -> None:
    repo = demo_with_origin(tmp_path, forge)
    item_id = discovered_test_item(repo)
    forge.state.limit_path = r"/issues/\d+/labels$"  # the PR is opened, then labelling fails
    lines: list[str] = []

    with pytest.raises(ForgeUnavailable, match="rate limit"):
        run_agent(repo, scripted(mean_fix()), options(item_id=item_id, pr=True))
    assert len(forge.state.pulls) == 1
    assert item(repo, item_id).status is Status.DOING  # `agent resume` can finish the delivery
    state, code = resume_run(repo, json_settings(repo), no_answers, lines.append, scripted())

    [result] = state.results
    assert code == 0 and result.outcome is CycleOutcome.RESOLVED, result.reason
    branch = result.branch
    assert branch is not None
    origin = tmp_path / "origin.git"
    assert git(origin, "rev-parse", f"refs/heads/{branch}").strip() == result.commit
    [pull] = forge.state.pulls  # the retry found the open PR and updated it
    assert len(forge.state.calls("POST", r"/pulls$")) == 1
    assert len(forge.state.calls("PATCH", r"/pulls/\d+$")) == 1
    assert (pull["head"], pull["base"], pull["draft"]) == (branch, "main", True)
    description = (repo / ".agent" / "prs" / f"{item_id}.md").read_text(encoding="utf-8")
    assert pull["title"] == description.splitlines()[0].removeprefix("# ")
    assert "failed before the change" in pull["body"]
    assert forge.state.labels[pull["number"]] == ["agent"]
    url = f"https://github.com/octo/fixture/pull/{pull['number']}"
    assert f"pr:{url}" in item(repo, item_id).links
    assert item(repo, item_id).status is Status.PR
    assert_no_token_written(repo, origin, lines)


def test_push_alone_needs_no_forge(tmp_path: Path) -> None:
    repo = demo_with_origin(tmp_path, None)
    item_id = discovered_test_item(repo)

    state, code, _lines = run_agent(repo, scripted(mean_fix()), options(item_id=item_id, push=True))

    [result] = state.results
    assert code == 0 and result.branch and result.commit
    origin = tmp_path / "origin.git"
    assert git(origin, "rev-parse", f"refs/heads/{result.branch}").strip() == result.commit
    assert not any(link.startswith("pr:") for link in item(repo, item_id).links)


def test_publishing_again_updates_the_open_pr(tmp_path: Path, forge: Forge) -> None:
    repo = demo_with_origin(tmp_path, forge)
    item_id = discovered_test_item(repo)
    run_agent(repo, scripted(mean_fix()), options(item_id=item_id, pr=True))
    entry = item(repo, item_id)
    branch = next(link for link in entry.links if link.startswith("branch:")).split(":", 1)[1]
    description = repo / ".agent" / "prs" / f"{item_id}.md"

    again = publish(repo, load_settings(repo).forge, entry, branch, "main", description, True)

    [pull] = forge.state.pulls
    assert again == f"https://github.com/octo/fixture/pull/{pull['number']}"
    assert len(forge.state.calls("POST", r"/pulls$")) == 1
    assert len(forge.state.calls("PATCH", r"/pulls/\d+$")) == 1


def assert_no_token_written(*places: Path | list[str]) -> None:
    """The canary: the token is in no file under `places` and in no progress line."""
    for place in places:
        if isinstance(place, list):
            assert not any(TOKEN in line for line in place)
            continue
        for path in place.rglob("*"):
            if path.is_file():
                assert TOKEN.encode() not in path.read_bytes(), path


def test_pr_description_links_the_issue_it_fixes() -> None:
    from datetime import UTC, datetime

    from agent.backlog.models import BacklogItem, Source

    entry = BacklogItem(
        id="GH-7", title="Crash", type="bug", status="READY", business_value=1,
        time_criticality=1, risk_reduction=1, effort=1, created_at=datetime.now(UTC),
        source=Source(kind="issues", tag="#7"),
    )  # fmt: skip

    title, body = pr_title_and_body("# Fix the crash\n\nIt crashed.\n", entry)

    assert title == "Fix the crash"
    assert body == "It crashed.\n\nFixes #7\n"


def test_run_with_pr_and_a_bad_token_stops_before_any_work(
    tmp_path: Path, forge: Forge, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    repo = demo_with_origin(tmp_path, forge)
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_wrong")

    outcome = agent(capsys, monkeypatch, "run", str(repo), "--pr", "--yes", "--no-discover")

    assert outcome.code == 2
    assert "GitHub refused the token (401" in outcome.err
    assert not (repo / ".agent" / "runs").exists()
