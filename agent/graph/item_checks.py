"""Run an item's check (a pytest test or a scanner rule); judge whether a RED failure is honest."""

from __future__ import annotations

import re
from pathlib import Path

from agent.config.settings import TestSettings
from agent.graph.state import Check
from agent.scanners.lint import run_bandit, run_ruff
from agent.testrun.junit import TestOutcome
from agent.testrun.run import TestRun, run_tests
from agent.testrun.testfiles import is_test_file, selects
from agent.tools.tests import summarize

__all__ = ["is_test_file", "red_verdict", "run_check"]

BAD_RED = re.compile(
    r"\b(SyntaxError|IndentationError|NameError|ModuleNotFoundError|fixture '[^']+' not found)\b"
)
MISSING_FEATURE = re.compile(
    r"cannot import name '(\w+)' from '([\w.]+)'|module '([\w.]+)' has no attribute '(\w+)'"
)


def run_check(root: Path, check: Check, settings: TestSettings) -> tuple[bool, str, TestRun | None]:
    """Run the check in `root`: (passed, summary for the model, the test run if pytest)."""
    if check.kind == "pytest":
        run = run_tests(root, settings, [check.target])
        return _pytest_passed(run, check), summarize(run), run
    scan = run_ruff if check.kind == "ruff" else run_bandit
    result = scan(root, [check.target])
    if not result.available:
        return False, f"{check.kind} could not run: {result.error}", None
    hits = [f for f in result.findings if f.code == check.rule]
    lines = [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in hits]
    return not hits, "\n".join(lines) or f"no {check.rule} finding in {check.target}", None


def _pytest_passed(run: TestRun, check: Check) -> bool:
    if not run.passed or run.report is None:
        return False
    cases = [c for c in run.report.cases if selects(check.target, c.node_id)]
    return bool(cases) and all(case.outcome is TestOutcome.PASSED for case in cases)


def red_verdict(run: TestRun, root: Path) -> str | None:
    """None when the run fails honestly (assertion or missing feature); else what is wrong."""
    if run.timed_out:
        return "the test run timed out: the test hangs"
    text = run.result.output + "".join(
        c.message + c.details for c in (run.report.cases if run.report else [])
    )
    if run.passed:
        return "the test passes on the current code, so it does not show the problem"
    bad = BAD_RED.search(text)
    if bad and not _missing_feature(text, root):
        return f"the test itself is broken ({bad.group(1)}), it must fail by assertion"
    if run.report is None or run.collection_failed:
        if _missing_feature(text, root):
            return None
        return "the test file could not be collected:\n" + summarize(run)
    return None


def _missing_feature(text: str, root: Path) -> bool:
    """True when the failure names a function the repository's own module does not have yet."""
    for match in MISSING_FEATURE.finditer(text):
        module = match.group(2) or match.group(3)
        base = root.joinpath(*module.split("."))
        if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
            return True
    return False
