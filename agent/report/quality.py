"""Quality figures measured now on the base branch, in a temporary checkout."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import git

from agent.config.settings import TestSettings
from agent.report.models import Figure, Quality, Stamp
from agent.scanners.lint import ScanResult, run_bandit, run_ruff
from agent.system import proc
from agent.testrun.junit import TestOutcome
from agent.testrun.run import TestRun, run_tests, start_failure
from agent.workspace.gitutil import temporary_checkout

DISCOVERY_MISSING = "not measured: discovery source not installed"
PYTEST = ("python", "-m", "pytest")
PROBE = "python -c 'import coverage' (in the checkout)"


def marker_counts(root: Path) -> dict[str, int] | None:
    """Count TODO/FIXME/HACK/XXX/BUG markers in real comments under `root` (agent.discovery)."""
    from agent.config.settings import load_settings
    from agent.discovery.scan_comments import count_markers

    return count_markers(root, load_settings(root).discovery)


def quality_section(repo: git.Repo, base: str, tests: TestSettings, stamp: Stamp) -> Quality:
    """Run the tests (with coverage when available), ruff, bandit and marker counts on `base`."""
    with temporary_checkout(repo, base) as root:
        run, coverage = _tests_with_coverage(root, tests)
        ruff = run_ruff(root)
        bandit = run_bandit(root, _python_files(root))
        markers = marker_counts(root)
    return Quality(
        **_test_figures(run, tests, stamp),
        coverage=coverage(stamp),
        ruff_findings=_scan_figure(ruff, None, stamp),
        bandit_high=_scan_figure(bandit, "HIGH", stamp),
        bandit_medium=_scan_figure(bandit, "MEDIUM", stamp),
        bandit_low=_scan_figure(bandit, "LOW", stamp),
        todo_markers=_marker_figure(markers, "TODO", stamp),
        fixme_markers=_marker_figure(markers, "FIXME", stamp),
    )


def skipped_quality(stamp: Stamp, reason: str) -> Quality:
    """Every quality figure null with `reason` (quality checks not run)."""
    names = Quality.model_fields
    return Quality(**{name: stamp.figure(None, "", "report settings", reason) for name in names})


class _Coverage:
    """The coverage figure, decided once the test run is over."""

    def __init__(self, percent: float | None, source: str, reason: str) -> None:
        self.percent, self.source, self.reason = percent, source, reason

    def __call__(self, stamp: Stamp) -> Figure:
        return stamp.figure(self.percent, "percent", self.source, self.reason)


def coverage_available(root: Path, python: str) -> bool:
    """True when coverage.py is importable by `python` (the tests' interpreter), in `root`."""
    probe = proc.run([python, "-c", "import coverage"], cwd=root, timeout=60)
    return probe.ok


def _tests_with_coverage(root: Path, tests: TestSettings) -> tuple[TestRun, _Coverage]:
    if tests.command != PYTEST:
        reason = "not measured: the test command is not python -m pytest"
        return run_tests(root, tests), _Coverage(None, "report.tests.command", reason)
    if not coverage_available(root, tests.interpreter):
        reason = "not measured: coverage.py is not importable in the checkout"
        return run_tests(root, tests), _Coverage(None, PROBE, reason)
    with tempfile.TemporaryDirectory(prefix="agent-coverage-") as tmp:
        data, out = Path(tmp) / "coverage.data", Path(tmp) / "coverage.json"
        command = ("python", "-m", "coverage", "run", f"--data-file={data}", "-m", "pytest")
        run = run_tests(root, tests.model_copy(update={"command": command}))
        report = proc.run(
            [tests.interpreter, "-m", "coverage", "json", f"--data-file={data}", "-o", str(out)],
            cwd=root,
            timeout=tests.timeout_s,
        )
        percent = _percent(out) if report.ok else None
    source = "python -m coverage run -m pytest; python -m coverage json (totals.percent_covered)"
    return run, _Coverage(percent, source, "not measured: coverage json failed")


def _percent(path: Path) -> float | None:
    try:
        totals = json.loads(path.read_text(encoding="utf-8"))["totals"]
        return round(float(totals["percent_covered"]), 2)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _test_figures(run: TestRun, tests: TestSettings, stamp: Stamp) -> dict[str, Figure]:
    words = [Path(run.command[0]).name, *run.command[1:]]
    shown = ["--junitxml=<tmp>/junit.xml" if w.startswith("--junitxml=") else w for w in words]
    source = " ".join(shown) + f" (JUnit XML; {tests.python_note})"
    report = run.report
    reason = f"not measured: the test command wrote no JUnit report (exit {run.result.returncode})"
    if run.timed_out:
        reason = f"not measured: the test run timed out after {run.result.duration_s:.0f}s"
    failure = start_failure(run, tests)
    reason = f"not measured: {failure}" if failure else reason
    counts: dict[str, int | None] = {
        "tests_total": len(report.cases) if report else None,
        "tests_passed": report.count(TestOutcome.PASSED) if report else None,
        "tests_failed": report.count(TestOutcome.FAILED) if report else None,
        "tests_errors": report.count(TestOutcome.ERROR) if report else None,
        "tests_skipped": report.count(TestOutcome.SKIPPED) if report else None,
    }
    return {name: stamp.figure(value, "tests", source, reason) for name, value in counts.items()}


def _scan_figure(scan: ScanResult, severity: str | None, stamp: Stamp) -> Figure:
    found = [f for f in scan.findings if severity is None or f.severity == severity]
    command = "ruff check --output-format json" if scan.tool == "ruff" else "bandit --format json"
    source = command + (f" (severity {severity})" if severity else "")
    reason = f"not measured: {scan.error or scan.tool + ' unavailable'}"
    return stamp.figure(len(found) if scan.available else None, "findings", source, reason)


def _marker_figure(counts: dict[str, int] | None, tag: str, stamp: Stamp) -> Figure:
    value = None if counts is None else counts.get(tag, 0)
    return stamp.figure(value, "markers", "agent.discovery (comment markers)", DISCOVERY_MISSING)


def _python_files(root: Path) -> list[str]:
    listing = proc.run(["git", "ls-files", "-z", "--", "*.py"], cwd=root, timeout=60)
    return sorted(name for name in listing.stdout.split("\0") if name)
