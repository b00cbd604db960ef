"""The forge's pure parts (criteria, labels, remotes) and prism's own check of a bad request."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.config.forge import ForgeSettings, LabelRule
from agent.errors import InputError
from agent.forge.client import GitHub
from agent.forge.connect import repository_of
from agent.forge.errors import ForgeError
from agent.forge.labels import criteria, item_scores, item_type, label_rules
from tests.forge.conftest import Forge
from tests.forge.fake_github import REPO, TOKEN
from tests.support import git, make_repo


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("**Acceptance criteria:**\n* one\n1. two\n\n### Other\n- no", ("one", "two")),
        ("## Acceptance Criteria\r\n- [x] done\r\n- [ ] open\r\n", ("done", "open")),
        ("- [ ] a task\ntext\n- a bullet\n  - [X] nested task", ("a task", "nested task")),
        ("Just prose.\n- a bullet\n", ()),
    ],
)  # fmt: skip
def test_criteria_come_from_the_section_else_the_task_list(
    body: str, expected: tuple[str, ...]
) -> None:
    assert criteria(body) == expected


def test_configured_labels_add_to_the_table_case_insensitively() -> None:
    settings = ForgeSettings(labels={"Needs-Design": LabelRule(type="investigation", effort=8)})
    rules = label_rules(["needs-design", "BUG"], settings)

    assert item_type(rules) == "investigation"
    assert item_scores(rules, settings) == (5, 3, 5, 8)  # bug's value, criticality and risk
    with pytest.raises(ValueError, match="expected one of"):
        LabelRule(type="epic")


@pytest.mark.parametrize(
    "url",
    ["https://github.com/octo/fixture.git", "git@github.com:octo/fixture.git",
     "ssh://git@github.com/octo/fixture", "https://x-access:secret@ghe.example/octo/fixture/"],
)  # fmt: skip
def test_the_repository_is_inferred_from_the_remote(tmp_path: Path, url: str) -> None:
    repo = make_repo(tmp_path / "repo", {"a.py": "x = 1\n"})
    git(repo, "remote", "add", "origin", url)

    assert repository_of(repo, ForgeSettings(provider="github")) == "octo/fixture"


def test_a_local_remote_needs_the_repository_setting(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.py": "x = 1\n"})
    git(repo, "remote", "add", "origin", str(tmp_path / "origin.git"))

    with pytest.raises(InputError, match='set \\[forge\\] repository = "owner/name"'):
        repository_of(repo, ForgeSettings(provider="github"))


def test_prism_rejects_a_malformed_pull_request_before_it_reaches_github(forge: Forge) -> None:
    settings = ForgeSettings(provider="github", api_url=forge.url, media_type="application/json")
    github = GitHub(settings, REPO, TOKEN)
    forge.rejected = 1

    with pytest.raises(ForgeError) as caught:
        github.send("POST", github.repo_path("/pulls"), {"title": 5, "base": "main"})
    github.close()

    assert caught.value.exit_code == 1
    assert str(caught.value).startswith("GitHub answered 422 to POST /repos/octo/fixture/pulls")
    assert forge.state.log == []  # the fake never saw it
