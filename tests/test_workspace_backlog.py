"""backlog.yml is the one tracked file the agent writes in the user's tree: it merges edits."""

from __future__ import annotations

from pathlib import Path

from agent.backlog.models import Status
from agent.backlog.store import update_backlog
from agent.config.settings import DEFAULT_SCALE
from tests.support import git, tree_snapshot, write_files
from tests.toolkit import user_repo, worked_item

BACKLOG = """\
version: 1
items:
  - id: BL-1
    title: Fix the adder
    type: bug
    status: READY
    business_value: 5
    time_criticality: 3
    risk_reduction: 2
    effort: 2
    created_at: 2026-11-01T00:00:00Z
  - id: BL-2
    title: Document the CLI
    type: docs
    status: NEW
    business_value: 2
    time_criticality: 1
    risk_reduction: 1
    effort: 1
    created_at: 2026-11-02T00:00:00Z
"""


def test_user_uncommitted_backlog_edit_survives_agent_update(tmp_path: Path) -> None:
    repo = user_repo(tmp_path, {"backlog.yml": BACKLOG})
    edited = BACKLOG.replace("title: Document the CLI", "title: Document the CLI  # user: urgent")
    edited = edited.replace("    effort: 1\n", "    effort: 1\n    tags: [docs, user-added]\n")
    write_files(repo, {"backlog.yml": edited, "scratch.txt": "user notes\n"})
    before = tree_snapshot(repo, ignore=(".agent/", "backlog.yml"))

    with worked_item(repo, "BL-1", "Fix the adder") as ws:
        with update_backlog(repo / "backlog.yml", DEFAULT_SCALE) as backlog:
            item = next(item for item in backlog.items if item.id == "BL-1")
            item.status = Status.DOING
        (ws.root / "src" / "calc.py").write_text("def add(a, b):\n    return b + a\n")
        assert ws.commit("fix: adder") is not None

    text = (repo / "backlog.yml").read_text()
    assert "title: Document the CLI  # user: urgent" in text
    assert "tags: [docs, user-added]" in text
    assert text.count("status: DOING") == 1 and "status: NEW" in text
    assert text.index("status: DOING") < text.index("id: BL-2")
    assert tree_snapshot(repo, ignore=(".agent/", "backlog.yml")) == before
    assert git(repo, "status", "--porcelain=v1", "-uall").splitlines() == [
        " M backlog.yml",
        "?? scratch.txt",
    ]
