"""Run a repository's test command with JUnit XML output and a hard timeout."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from agent.config.settings import TestSettings
from agent.system import proc
from agent.testrun.junit import TestReport, parse_junit
from agent.testrun.pyenv import is_python, run_environment, with_python

TIMING = re.compile(r" in \d+(?:\.\d+)?s(?: \(\d+:\d\d:\d\d\))?")
NO_PYTEST = re.compile(r"No module named '?pytest'?\s*$", re.MULTILINE)


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
    """Build the argv: the configured command (`python`: the chosen one) plus JUnit output."""
    command = with_python(settings.command, settings.interpreter)
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


def start_failure(run: TestRun, settings: TestSettings) -> str | None:
    """Why the test command could not start at all (no interpreter, no pytest in it), or None."""
    program, why = run.command[0], settings.python_reason
    chosen = f" ({why})" if why and program == settings.interpreter else ""
    if run.result.missing:
        return (
            f"the test command cannot start: {program}{chosen} not found; "
            "set [tool.agent.tests] python or command"
        )
    cannot_import = not run.result.ok and NO_PYTEST.search(run.result.stderr) is not None
    if run.report is None and is_python(program) and cannot_import:
        return (
            f"pytest is not installed in {program}{chosen}: `{program} -m pip install pytest`, "
            "or set [tool.agent.tests] command"
        )
    return None


def relativize(result: proc.ProcResult, root: Path) -> proc.ProcResult:
    """Show paths inside `root` relative to it: what the model reads must not vary by checkout."""
    prefix = f"{root.resolve()}/"

    def clean(text: str) -> str:
        return TIMING.sub("", text.replace(prefix, ""))

    return replace(result, stdout=clean(result.stdout), stderr=clean(result.stderr))


def _read_report(path: Path, root: Path) -> TestReport | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
        return parse_junit(text.replace(f"{root.resolve()}/", ""), root)
    except (OSError, ValueError):
        return None
