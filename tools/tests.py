"""The test tool: run the configured test command in the worktree and summarise it for the model."""

from __future__ import annotations

import re

from pydantic import Field

from agent.testrun.junit import TestCase, TestOutcome, TestReport
from agent.testrun.run import TestRun
from agent.testrun.run import run_tests as run_test_command
from agent.tools.base import ToolArgs, ToolResult, Workspace
from agent.tools.common import Refused, ToolConfig, resolve_path, tool

TIMING = re.compile(r" in \d+(?:\.\d+)?s(?: \(\d+:\d\d:\d\d\))?")
MAX_PROBLEMS = 10
DETAIL_LINES = 15
OUTPUT_TAIL_LINES = 30


class RunTestsArgs(ToolArgs):
    """Run the repository's tests (default: all) and report passed/failed/errors/skipped."""

    selection: list[str] = Field(default_factory=list)
    """Test files or node ids to run, e.g. `tests/test_x.py::test_y`; empty runs everything."""
    keyword: str | None = None
    """Only tests whose names match this pytest -k expression."""


@tool
def run_tests(workspace: Workspace, args: RunTestsArgs, config: ToolConfig) -> ToolResult:
    """Run the tests with a timeout and return a compact failure summary."""
    for item in args.selection:
        if item.startswith("-"):
            raise Refused(f"{item!r}: selection holds test paths or node ids, not options")
        resolve_path(workspace.root, item.split("::", 1)[0], config.scope)
    selection = [*args.selection, *(["-k", args.keyword] if args.keyword else [])]
    run = run_test_command(workspace.root, config.settings.tests, selection)
    return ToolResult(
        ok=run.passed,
        output=summarize(run),
        returncode=run.result.returncode,
        data=_data(run),
    )


def summarize(run: TestRun) -> str:
    """Describe a test run in a few lines: counts, then each failure with its message."""
    if run.timed_out:
        return (
            f"test command timed out after {run.result.duration_s:.0f}s and was killed "
            "(whole process group); a test probably hangs\n" + _tail(run.result.output)
        )
    report = run.report
    if report is None or run.collection_failed:
        status = "passed" if run.passed else f"failed (exit {run.result.returncode})"
        return f"test command {status}; no per-test failures reported\n" + _tail(run.result.output)
    lines = [_counts(report, run.result.duration_s)]
    for case in report.problems[:MAX_PROBLEMS]:
        lines.append(_problem(case))
    hidden = len(report.problems) - MAX_PROBLEMS
    if hidden > 0:
        lines.append(f"[{hidden} more failing tests not shown]")
    return "\n".join(lines)


def _counts(report: TestReport, duration_s: float) -> str:
    """Counts only: timings would make the model's prompt differ from run to run."""
    return ", ".join(f"{report.count(outcome)} {outcome.value}" for outcome in TestOutcome)


def _problem(case: TestCase) -> str:
    label = "FAILED" if case.outcome is TestOutcome.FAILED else "ERROR"
    details = case.details.splitlines()[-DETAIL_LINES:]
    body = "\n".join(f"    {line}" for line in details)
    return f"{label} {case.node_id}: {case.message.strip()}" + (f"\n{body}" if body else "")


def _tail(output: str) -> str:
    text = TIMING.sub("", output.strip())
    return "\n".join(text.splitlines()[-OUTPUT_TAIL_LINES:])


def _data(run: TestRun) -> dict[str, object]:
    report = run.report
    counts = {outcome.value: report.count(outcome) for outcome in TestOutcome} if report else {}
    outcomes = {case.node_id: case.outcome.value for case in report.cases} if report else {}
    return {
        "passed": run.passed,
        "timed_out": run.timed_out,
        "counts": counts,
        "outcomes": outcomes,
        "duration_s": round(run.result.duration_s, 3),
    }
