"""`agent report` on a fixture repository: files, backlog and run figures, provenance, errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from agent.commands.report import write_report
from agent.errors import InputError
from agent.report.models import Report, figures
from tests.report_support import EXPECTED, NOW, SINCE, add_backlog_and_runs, fixture_repo
from tests.support import git, make_repo, tree_snapshot

STEM = "2026-10-15-000000"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    root = tmp_path_factory.mktemp("build") / "repo"
    fixture_repo(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        patch.setenv("AGENT_TESTS__PYTHON", sys.executable)  # as conftest: not the machine's
        written = write_report(root, formats=None, out=None, since=SINCE, now=NOW)
    assert written == [root / ".agent/reports" / f"{STEM}.{ext}" for ext in ("md", "json", "html")]
    report = Report.model_validate_json((root / f".agent/reports/{STEM}.json").read_text())
    return root, report


def test_backlog_and_run_figures_equal_the_hand_computed_values(generated) -> None:
    _root, report = generated
    found = figures(report)
    for path, expected in EXPECTED.items():
        assert found[path].value == pytest.approx(expected), path


def test_every_figure_carries_provenance(generated) -> None:
    root, report = generated
    head = git(root, "rev-parse", "HEAD").strip()
    moment = datetime.fromisoformat(NOW)
    found = figures(report)
    assert len(found) == 32
    for path, figure in found.items():
        assert figure.source, path
        assert figure.measured_at == moment, path
        assert figure.commit == head, path
        assert (figure.value is None) == (figure.reason is not None), path
    raw = json.loads((root / f".agent/reports/{STEM}.json").read_text())
    assert raw["quality"]["coverage"]["value"] is None
    assert set(raw["summary"]["items_done"]) == {
        "value",
        "unit",
        "source",
        "measured_at",
        "commit",
        "reason",
    }


def test_coverage_is_not_measured_when_coverage_py_is_unavailable(generated) -> None:
    _root, report = generated
    coverage = report.quality.coverage
    assert coverage.value is None
    assert coverage.reason == "not measured: coverage.py is not importable in the checkout"
    assert report.quality.todo_markers.value == 0  # the fixture has no marker comments
    assert report.quality.todo_markers.source == "agent.discovery (comment markers)"


def test_test_counts_come_from_a_real_run_on_the_base_branch(generated) -> None:
    _root, report = generated
    quality = report.quality
    counts = [
        quality.tests_total,
        quality.tests_passed,
        quality.tests_failed,
        quality.tests_skipped,
    ]
    assert [f.value for f in counts] == [4, 2, 1, 1]
    assert quality.tests_errors.value == 0
    assert "JUnit XML" in quality.tests_total.source
    assert quality.bandit_medium.value == 1  # eval() in calc.py
    assert quality.ruff_findings.value == 2  # unused imports os and subprocess


def test_backlog_section_ranks_and_escalates(generated) -> None:
    _root, report = generated
    rows = report.backlog.items
    # WSJF at 2026-10-15: B-6 26/3 × 1.0, B-5 5/2 × 1.2, B-4 13/8 × 1.4, B-8 4/3 × 1.0, B-7 3/5
    assert [row.id for row in rows] == ["B-6", "B-5", "B-4", "B-8", "B-7"]
    assert {row.status for row in rows} == {"READY", "BLOCKED", "PR", "NEW"}
    top = rows[0]
    assert (top.cost_of_delay, top.effort, top.wsjf) == (26, 3, pytest.approx(26 / 3))
    assert [(e.id, e.blocked_reason) for e in report.backlog.escalations] == [
        ("B-4", "Decide: keep the v1 API for one more release or break it now?")
    ]
    # DONE items aged 14+ days (x 2.0): B-1 16, B-2 4, B-3 6, all critical
    assert report.backlog.by_status_band["DONE"] == {
        "critical": 3,
        "high": 0,
        "medium": 0,
        "low": 0,
    }
    assert report.backlog.by_status_band["READY"] == {
        "critical": 1,
        "high": 0,
        "medium": 0,
        "low": 1,
    }
    assert [a.id for a in report.next_actions] == ["B-6"]  # B-7 is READY but below threshold
    assert report.summary.top_item is not None and report.summary.top_item.startswith("B-6")
    weekly = [(p.items_done, p.wsjf_delivered) for p in report.timeline]
    assert weekly == [(1, pytest.approx(9.6)), (1, pytest.approx(3.8))]


def test_runs_section_lists_runs_in_the_period_with_evidence(generated) -> None:
    _root, report = generated
    assert [run.run_id for run in report.runs.runs] == ["r1", "r2"]
    first = report.runs.runs[0].items[0]
    assert (first.item_id, first.outcome, first.duration_s) == ("I-1", "resolved", 3600.0)
    assert first.evidence == ".agent/evidence/I-1.json"
    assert report.runs.runs[0].items[1].evidence is None


def test_the_users_tree_is_untouched_except_for_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    root = tmp_path / "repo"
    fixture_repo(root)
    (root / "calc.py").write_text("# uncommitted edit\n")
    before = tree_snapshot(root)
    write_report(root, formats="json", out=tmp_path / "out", since=SINCE, now=NOW)
    assert tree_snapshot(root) == before
    assert [p.name for p in (tmp_path / "out").iterdir()] == [f"{STEM}.json"]
    assert git(root, "worktree", "list").count("\n") == 1


def test_no_runs_and_quality_disabled_are_reported_as_not_measured(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {".agent.toml": "[report]\nquality = false\n"})
    (path,) = write_report(root, formats="json", out=None, since=None, now=NOW)
    report = Report.model_validate_json(path.read_text())
    assert report.runs.items_attempted.reason == "no runs recorded"
    assert report.runs.runs_count.value == 0
    assert report.quality.tests_total.value is None
    assert "disabled" in (report.quality.tests_total.reason or "")
    assert report.period.since == datetime.fromisoformat("2026-07-17T00:00:00Z")  # 90 days


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"formats": "md,pdf"}, "--format: unknown format pdf"),
        ({"since": "last week"}, "--since: 'last week' is not an ISO 8601 date"),
        ({"since": "2026-11-01"}, "--since: 2026-11-01T00:00:00+00:00 is not before"),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path: Path, kwargs: dict, message: str) -> None:
    root = make_repo(tmp_path / "repo", {"a.py": "A = 1\n"})
    args = {"formats": None, "out": None, "since": None, "now": NOW} | kwargs
    with pytest.raises(InputError, match="^" + re.escape(message)):
        write_report(root, **args)
    assert not (root / "docs").exists()


def test_cli_exits_2_without_a_traceback_outside_a_repository(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-m", "agent", "report", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert "not a git repository" in done.stderr
    assert "Traceback" not in done.stderr


def test_invalid_run_record_names_the_file_and_field(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.py": "A = 1\n"})
    add_backlog_and_runs(root)
    bad = root / ".agent/runs/r1/summary.json"
    bad.write_text(json.dumps({"run_id": "r1", "started_at": "yesterday"}))
    with pytest.raises(InputError) as caught:
        write_report(root, formats="json", out=None, since=SINCE, now=NOW)
    assert caught.value.lines[0].startswith(f"{bad}: field 'started_at'")
