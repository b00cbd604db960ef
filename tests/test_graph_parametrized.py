"""A parametrized failing test is worked as one test function: a fix for some parameters only is
not a resolution (scripted model at the seam; every test run, edit and backlog update is real)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.backlog.models import BacklogItem, ItemType, Source, Status
from agent.config.settings import load_settings
from agent.discovery.engine import discover
from agent.graph.red import existing_check
from agent.graph.state import CycleOutcome
from tests.graph_support import NOW, action, demo, item, options, run_agent, scripted
from tests.support import git, write_files
from tests.test_discovery_findings import FACTORS_BUG, FACTORS_TEST, FUNCTION

pytestmark = pytest.mark.slow  # each test runs the graph on a real repository with real test runs

FACTORS_TEST_DEMO = FACTORS_TEST.replace("from factors import", "from calclib.factors import")
SPECIAL_CASE = "    if n == 12:\n        return [2, 2, 3]\n"


def _factors_item(repo: Path) -> str:
    write_files(
        repo,
        {"calclib/factors.py": FACTORS_BUG, "tests/test_factors.py": FACTORS_TEST_DEMO},
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "prime factors")
    discover(repo, load_settings(repo, env={}), ("tests",), NOW, write=True)
    git(repo, "commit", "-qam", "backlog: discovered items")
    items = (repo / "backlog.yml").read_text(encoding="utf-8").split("\n  - id: ")
    [found] = [part.split()[0] for part in items if f"tag: {FUNCTION}\n" in part]
    return found


def test_a_fix_for_one_parameter_only_is_blocked_not_resolved(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    item_id = _factors_item(repo)
    one_input = action(
        "replace_text",
        path="calclib/factors.py",
        old="    factors, d = [], 2\n",
        new=SPECIAL_CASE + "    factors, d = [], 2\n",
    )
    finish = action("finish", summary="12 now factors correctly")
    model = scripted(one_input, finish, finish)

    state, code, _ = run_agent(repo, model, options(item_id=item_id))

    [result] = state.results
    assert result.outcome is CycleOutcome.BLOCKED and result.phase == "green", result.reason
    assert result.reason.startswith("the check still fails")
    told = model.calls[1].messages[-1]["content"]
    assert "test_prime_factors[2-expected0]" in told and "[12-expected4]" not in told
    assert item(repo, item_id).status is Status.BLOCKED
    assert git(repo, "log", "-1", "--format=%s", "main").strip() == "backlog: discovered items"
    assert result.branch  # the attempt is kept for a human as work in progress, not as a fix
    subject = git(repo, "log", "-1", "--format=%s", result.branch)
    assert subject.startswith("wip: ") and "[blocked in green]" in subject
    assert code == 1


def test_an_old_per_parameter_item_is_checked_for_the_whole_function() -> None:
    old = BacklogItem(
        id="TEST-old",
        title="Failing test (one parameter)",
        type=ItemType.BUG,
        status=Status.READY,
        business_value=8,
        time_criticality=5,
        risk_reduction=5,
        effort=2,
        created_at=NOW,
        source=Source(kind="tests", path="tests/test_factors.py", tag=f"{FUNCTION}[12-expected4]"),
    )
    check = existing_check(old)
    assert check is not None
    assert (check.target, check.file) == (FUNCTION, "tests/test_factors.py")
