"""Verify an assembled real-repository task: the RED test fails rightly, the fix mends it.

The RED test must run and fail with an assertion or an expected exception (not an error, a
skip, an import or name error, a missing fixture, or an AttributeError on a module: a new API is
a feature, not a bug). Every other test that passes in the buggy release is the task's baseline.
With the fixed release's fix files copied in, every case of the RED test passes, every
baseline test still passes and no test fails at all (the sibling tests carried with the RED one
included); the tree is restored afterwards.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from common import Task, git, pytest_cases, red_cases

from agent.testrun.junit import TestCase, TestOutcome

WRONG_REASONS = ("ImportError", "ModuleNotFoundError", "NameError", "SyntaxError", "fixture '")
NO_SUCH_API = "module '"  # AttributeError: module 'x' has no attribute 'y': a new API, no bug


class Rejected(Exception):
    """A task that failed assembly or verification; the message is the reason."""


def wrong_reason(case: TestCase) -> str:
    """Why a failing RED case fails for the wrong reason ("" when it is a real failure)."""
    if case.outcome != TestOutcome.FAILED:
        return f"{case.node_id} {case.outcome.value}: {case.message[:200]}"
    text = f"{case.message}\n{case.details}"
    hits = [w for w in WRONG_REASONS if w in text]
    if "has no attribute" in text and NO_SUCH_API in text:
        hits.append("AttributeError on a module (a missing API)")
    return f"{case.node_id}: {', '.join(hits)}: {case.message[:200]}" if hits else ""


def verify(harness: Task, repo: Path) -> dict[str, Any]:
    """Check the RED test fails rightly before and passes after the fix; return the record."""
    started = time.monotonic()
    before, output = pytest_cases(repo, harness)
    red = red_cases({c.node_id: c.outcome for c in before}, harness.red_test)
    if not red:
        raise Rejected(f"the RED test did not run: {output[-300:]}")
    red_before = [c for c in before if c.node_id in red]
    if all(c.outcome == TestOutcome.PASSED for c in red_before):
        raise Rejected("the RED test passes on the buggy release")
    reasons = [r for c in red_before if c.outcome != TestOutcome.PASSED and (r := wrong_reason(c))]
    if reasons:
        raise Rejected(f"fails for the wrong reason: {reasons[0]}")
    good = (TestOutcome.PASSED, TestOutcome.SKIPPED)
    baseline = sorted(c.node_id for c in before if c.outcome in good and c.node_id not in red)
    fixed = after_fix(harness, repo)
    bad_red = [n for n in red if fixed.get(n) != TestOutcome.PASSED]
    broken = [n for n in baseline if fixed.get(n) not in good]
    if bad_red or broken:
        raise Rejected(f"after the fix: RED not passing {bad_red[:3]}, broken {broken[:3]}")
    still = sorted(n for n, o in fixed.items() if o not in good)
    if still:  # the peers are told the whole suite will pass
        raise Rejected(f"after the fix these tests still fail: {still[:3]}")
    others = sorted({c.node_id for c in before} - set(baseline) - set(red))
    return {
        "red_cases": sorted(red),
        "baseline": baseline,
        "tests": len(before),
        "other_failing_before": others,
        "verify_s": round(time.monotonic() - started, 1),
    }


def after_fix(harness: Task, repo: Path) -> dict[str, TestOutcome]:
    """Outcomes with the fixed release's fix files copied in; the tree is restored after."""
    for source in sorted(p for p in (harness.path / "reference").rglob("*") if p.is_file()):
        shutil.copyfile(source, repo / source.relative_to(harness.path / "reference"))
    try:
        cases, _ = pytest_cases(repo, harness)
    finally:
        git(repo, "checkout", "-q", "--", ".")
    return {c.node_id: c.outcome for c in cases}
