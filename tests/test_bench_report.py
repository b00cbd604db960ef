"""The bug-fix report counts false claims and reports each part on its own."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bugfix"
sys.path.append(str(BENCH))  # the harness modules import each other by bare name

import report  # noqa: E402


def _record(agent: str, task: str, **fields: Any) -> dict[str, Any]:
    base = {"agent": agent, "task": task, "category": "k", "resolved": False, "timed_out": False}
    base |= {"tokens": 100, "calls": 1, "wall_s": 60.0, "red_passes": False, "suite_passes": False}
    return base | fields


def test_ours_claiming_resolved_on_a_failing_branch_is_a_false_claim() -> None:
    assert report.false_claim(_record("ours", "t", own_outcome="resolved"))
    assert not report.false_claim(_record("ours", "t", own_outcome="resolved", resolved=True))
    assert not report.false_claim(_record("ours", "t", own_outcome="blocked"))


def test_a_peer_whose_own_tests_pass_only_after_editing_them_made_a_false_claim() -> None:
    edited = _record("aider", "t", red_passes=True, suite_passes=True, tests_unchanged=False)
    assert report.false_claim(edited)
    assert not report.false_claim(edited | {"resolved": True})


def test_totals_give_resolved_median_mean_false_claims_and_minutes() -> None:
    records = {
        "a": _record("ours", "a", resolved=True, tokens=100, own_outcome="resolved"),
        "b": _record("ours", "b", resolved=True, tokens=300, own_outcome="resolved"),
        "c": _record("ours", "c", own_outcome="resolved", wall_s=120.0),
    }
    assert report.totals(records) == "2 of 3 | 200 | 200 | 500 | 3 | 0 | 1 | 4"


def test_each_part_of_all_is_tabled_and_totalled_on_its_own(
    capsys: pytest.CaptureFixture[str],
) -> None:
    found = {"ours": {"binary_search_bounds": _record("ours", "binary_search_bounds")}}
    for part in report.parts_of("all"):
        entries = [e for e in report.members("all") if e.part == part]
        report.part_report(entries, ["ours"], found)
    out = capsys.readouterr().out
    assert "| binary_search_bounds | k | no 100 / 1 / 60s |" in out
    assert out.count("| ours | ") == 1  # only the dev part has a result of ours
    for missing in (25, 11, 5):  # dev less the one run, realrepo-dev, realrepo-heldout
        assert f"Not run by any agent ({missing})" in out
