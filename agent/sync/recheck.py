"""After a rebase: the RED check must still pass; the suite may fail only where the base does.

The RED check is read from the item's evidence (`red_check`, written since the sync work); older
evidence names it in the RED phase's detail (`pytest <node id> fails`, `wrote <path>`), and an item
found from a failing test carries its node id as `source.tag`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import git

from agent.backlog.models import BacklogItem
from agent.backlog.runs import Evidence, read_evidence
from agent.config.settings import TestSettings
from agent.graph.item_checks import run_check
from agent.graph.state import Check
from agent.testrun.run import run_tests
from agent.workspace.gitutil import temporary_checkout

RED_DETAIL = re.compile(r"(pytest|ruff|bandit) (\S+) fails|wrote (\S+)")
SHOWN = 5


@dataclass(frozen=True)
class Verdict:
    """The checks re-run after a rebase."""

    ok: bool
    summary: str
    """What ran and how it ended, e.g. `RED tests/t.py::test_x passed; suite: 12 passed`."""


def red_check(repo: Path, item: BacklogItem) -> Check | None:
    """The item's RED check from its evidence, else from its source; None when none is recorded."""
    evidence = read_evidence(repo / ".agent" / "evidence", item.id)
    found = _from_evidence(evidence) if evidence else None
    source = item.source
    if found is None and source and source.kind == "tests" and source.tag:
        found = Check(kind="pytest", target=source.tag)
    return found


def _from_evidence(evidence: Evidence) -> Check | None:
    if evidence.red_check is not None:
        recorded = evidence.red_check
        return Check(kind=recorded.kind, target=recorded.target, rule=recorded.rule)
    for phase in evidence.phases:
        detail = phase.output.partition("\n")[0]
        match = RED_DETAIL.fullmatch(detail) if phase.phase == "red" and phase.ok else None
        if match and match[3]:
            return Check(kind="pytest", target=match[3])
        if match:
            return Check(kind=match[1], target=match[2])
    return None


def verify(
    root: Path, repo: git.Repo, base: str, check: Check | None, tests: TestSettings
) -> Verdict:
    """Re-run the RED check and the whole suite in `root` (a rebased checkout of the branch)."""
    parts: list[str] = []
    if check is not None:
        passed, output, _run = run_check(root, check, tests)
        if not passed:
            return Verdict(False, f"the RED check {check.target} fails: {output[:400]}")
        parts.append(f"RED {check.target} passed")
    else:
        parts.append("no RED check recorded")
    run = run_tests(root, tests)
    if run.timed_out or run.report is None:
        return Verdict(False, f"the suite did not run to the end: {run.result.output[-300:]}")
    failing = sorted({case.node_id for case in run.report.problems})
    new = failing and sorted(set(failing) - _failing_on(repo, base, failing, tests))
    if new:
        more = f" and {len(new) - SHOWN} more" if len(new) > SHOWN else ""
        return Verdict(
            False, f"the suite has new failures after the rebase: {', '.join(new[:SHOWN])}{more}"
        )
    also = f" ({len(failing)} failing on {base} too)" if failing else ""
    return Verdict(True, "; ".join([*parts, f"suite: {len(run.report.cases)} ran{also}"]))


def _failing_on(repo: git.Repo, base: str, nodes: list[str], tests: TestSettings) -> set[str]:
    """Which of `nodes` fail on `base` as well (not the branch's doing)."""
    with temporary_checkout(repo, base) as root:
        run = run_tests(root, tests, nodes)
    return {case.node_id for case in (run.report.problems if run.report else [])}
