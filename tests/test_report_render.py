"""Rendering details: escaping of user text, runs in the tables, not-measured figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.backlog.runs import read_evidence, read_runs
from agent.commands.report import write_report
from agent.errors import InputError
from tests.report_support import NOW, RUNS, add_backlog_and_runs
from tests.support import git, make_repo, write_files

HOSTILE = """version: 1
items:
  - {id: X-1, title: "<script>alert(1)</script> | pipe", type: bug, status: BLOCKED,
     business_value: 3, time_criticality: 2, risk_reduction: 1, effort: 1,
     created_at: 2026-10-01T00:00:00Z, blocked_reason: "choose <b>A</b> | B"}
"""


def _report(root: Path, fmt: str) -> str:
    write_files(root, {".agent.toml": "[report]\nquality = false\n"})
    (path,) = write_report(root, formats=fmt, out=root / "out", since=None, now=NOW)
    return path.read_text()


def test_user_text_is_escaped_in_html_and_markdown_tables(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"backlog.yml": HOSTILE})
    page = _report(root, "html")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | pipe" in page
    assert "choose &lt;b&gt;A&lt;/b&gt; | B" in page
    markdown = _report(root, "md")
    row = next(line for line in markdown.splitlines() if line.startswith("| 1 | X-1 |"))
    assert "<script>alert(1)</script> \\| pipe" in row
    assert row.count(" | ") == 14  # 15 cells: the pipe in the title did not add a column


def test_markdown_lists_every_item_attempt_of_the_runs(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.py": "A = 1\n"})
    add_backlog_and_runs(root)
    (root / ".agent.toml").write_text("[report]\nquality = false\n")
    (path,) = write_report(root, "md", None, "2026-10-01", NOW)
    markdown = path.read_text()
    assert path.parent == root / ".agent/reports"
    assert ".agent/" not in git(root, "status", "--porcelain", "-uall")  # the tree is untouched
    assert (
        "| r1 | 2026-10-05 09:00 | I-1 item I-1 | resolved | 3600.0 | 1000 | 0.0100 |" in markdown
    )
    assert "| r2 | 2026-10-08 09:00 | I-3 item I-3 | failed | 3600.0 | 300 | 0.0030 | none |" in (
        markdown
    )
    assert "| Tests run | not measured (quality checks disabled (report.quality)) |" in markdown


def test_run_records_are_read_oldest_first_and_validated(tmp_path: Path) -> None:
    add_backlog_and_runs(tmp_path)
    runs = read_runs(tmp_path / ".agent/runs")
    assert [run.run_id for run in runs] == ["r0", "r1", "r2"]
    assert runs[1].items[0].duration_s == 3600.0
    assert runs[1].items[0].tokens.total == 1000
    evidence = read_evidence(tmp_path / ".agent/evidence", "I-1")
    assert evidence is not None and evidence.red_output == "assert 1 == 2"
    assert read_evidence(tmp_path / ".agent/evidence", "I-9") is None
    assert read_runs(tmp_path / "missing") == []


def test_unknown_keys_in_run_records_are_rejected(tmp_path: Path) -> None:
    summary = {**RUNS["r0"], "surprise": 1}
    write_files(tmp_path, {".agent/runs/r0/summary.json": json.dumps(summary)})
    with pytest.raises(InputError, match="field 'surprise': Extra inputs are not permitted"):
        read_runs(tmp_path / ".agent/runs")
