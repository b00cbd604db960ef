"""Run a repository's test command with JUnit XML output and a hard timeout."""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from agent import proc
from agent.junit import TestReport, parse_junit
from agent.pyenv import run_environment
from agent.settings import TestSettings

TIMING = re.compile(r" in \d+(?:\.\d+)?s(?: \(\d+:\d\d:\d\d\))?")


@dataclass(frozen=True)
class TestRun:
    """What one run of the test command produced."""

    __test__ = False

    result: proc.ProcResult
    report: TestReport | None
    command: tuple[str, ...]

    @property
    def timed_out(self) -> bool:
        """True when the run was killed at its timeout."""
        return self.result.timed_out

    @property
    def passed(self) -> bool:
        """True when the command exited 0 and no case failed or errored."""
        return self.result.ok and (self.report is None or not self.report.problems)

    @property
    def collection_failed(self) -> bool:
        """True when the runner failed without reporting any failing case (collection or usage)."""
        return (
            not self.result.ok and not self.timed_out and not (self.report and self.report.problems)
        )


def test_command(
    settings: TestSettings, junit_path: Path, selection: Sequence[str] = ()
) -> list[str]:
    """Build the argv: the configured command (`python`: this interpreter) plus JUnit output."""
    command = [sys.executable if part == "python" else part for part in settings.command]
    if settings.junit:
        command += [f"--junitxml={junit_path}", "-o", "junit_family=xunit1"]
    return [*command, *settings.extra_args, *selection]


def run_tests(root: Path, settings: TestSettings, selection: Sequence[str] = ()) -> TestRun:
    """Run the tests in `root`; parse the JUnit report when one was written."""
    with tempfile.TemporaryDirectory(prefix="agent-junit-") as tmp:
        junit_path = Path(tmp) / "junit.xml"
        command = test_command(settings, junit_path, selection)
        ran = proc.run(command, cwd=root, timeout=settings.timeout_s, env=run_environment(root))
        result = relativize(ran, root)
        report = _read_report(junit_path, root)
    return TestRun(result, report, tuple(command))


def relativize(result: proc.ProcResult, root: Path) -> proc.ProcResult:
    """Show paths inside `root` relative to it: what the model reads must not vary by checkout."""
    prefix = f"{root.resolve()}/"

    def clean(text: str) -> str:
        return TIMING.sub("", text.replace(prefix, ""))

    return replace(result, stdout=clean(result.stdout), stderr=clean(result.stderr))


def _read_report(path: Path, root: Path) -> TestReport | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
        return parse_junit(text.replace(f"{root.resolve()}/", ""))
    except (OSError, ValueError):
        return None
