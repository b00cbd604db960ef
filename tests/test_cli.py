"""The `agent` command line, run as a real subprocess: output, JSON shape and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import make_repo
from tests.test_backlog_store import HAND_WRITTEN

NOW = "2026-11-21T00:00:00Z"


def agent(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "HOME": str(cwd or Path.cwd())},
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "repo", {"README.md": "demo\n"})
    (root / "backlog.yml").write_text(HAND_WRITTEN, encoding="utf-8")
    return root


def test_help_lists_every_command() -> None:
    done = agent("--help")
    assert done.returncode == 0
    for command in ("discover", "backlog", "run", "resume", "status", "clarify", "report", "model"):
        assert command in done.stdout


def test_version() -> None:
    done = agent("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("agent 0.")


def test_backlog_json_has_the_documented_keys_and_exact_numbers(repo: Path) -> None:
    done = agent("backlog", str(repo), "--json", "--now", NOW)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [row["id"] for row in rows] == ["BUG-1", "FEAT-2"]
    bug = rows[0]
    assert bug["cost_of_delay"] == 16 and bug["effort"] == 2
    assert bug["age_days"] == 19 and bug["aging_multiplier"] == 2.0
    assert bug["wsjf"] == 16.0 and bug["priority"] == "critical" and bug["actionable"] is True
    feat = rows[1]
    assert feat["age_days"] == 11 and feat["aging_multiplier"] == pytest.approx(2.0)
    assert feat["wsjf"] == pytest.approx(8 / 5 * 2.0)
    assert feat["actionable"] is False  # status NEW
    for key in ("title", "type", "status", "business_value", "time_criticality", "risk_reduction"):
        assert key in bug


def test_backlog_table_defaults_to_current_directory(repo: Path) -> None:
    done = agent("backlog", "--now", NOW, cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "BUG-1" in done.stdout and "FEAT-2" in done.stdout
    assert "16.00" in done.stdout and "critical" in done.stdout
    assert "1 actionable" in done.stdout


def test_status_filter_and_all(repo: Path) -> None:
    text = HAND_WRITTEN.replace("status: NEW", "status: DONE")
    (repo / "backlog.yml").write_text(text, encoding="utf-8")
    ids = lambda *a: [r["id"] for r in json.loads(agent("backlog", str(repo), "--json", *a).stdout)]  # noqa: E731
    assert ids() == ["BUG-1"]
    assert ids("--all") == ["BUG-1", "FEAT-2"]
    assert ids("--status", "done") == ["FEAT-2"]
    assert ids("--status", "NEW") == []


def test_invalid_backlog_exits_2_with_located_errors_and_no_traceback(repo: Path) -> None:
    (repo / "backlog.yml").write_text(HAND_WRITTEN.replace("type: bug", "type: bogus"), "utf-8")
    done = agent("backlog", "--json", cwd=repo)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "backlog.yml:8:5: item 'BUG-1' field 'type': unknown value 'bogus'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("backlog", "--now", "tomorrow"), "--now: 'tomorrow' is not an ISO 8601 time"),
        (("backlog", "--status", "WAITING"), "--status: unknown status 'WAITING'"),
        (("backlog", "no/such/dir"), "no/such/dir: no such directory"),
        (("backlog", "--bogus-flag"), "No such option"),
    ],
)
def test_bad_arguments_exit_2(repo: Path, args: tuple[str, ...], message: str) -> None:
    done = agent(*args, cwd=repo)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_backlog_is_nothing_to_do(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"README.md": "demo\n"})
    done = agent("backlog", str(root), "--json")
    assert (done.returncode, done.stdout.strip()) == (0, "[]")


@pytest.mark.parametrize("command", ["backlog", "status", "run", "resume", "report"])
def test_a_directory_that_is_not_a_git_repository_exits_2(tmp_path: Path, command: str) -> None:
    (tmp_path / "backlog.yml").write_text(HAND_WRITTEN, encoding="utf-8")
    done = agent(command, str(tmp_path))
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{tmp_path}: not a git repository" in done.stderr
    assert "Traceback" not in done.stderr


def test_run_of_an_unknown_item_exits_2_and_names_it(repo: Path) -> None:
    done = agent("run", str(repo), "--item", "NOPE", "--no-discover", "--yes")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "no item with id 'NOPE'" in done.stderr
    assert "Traceback" not in done.stderr
    assert "status: READY" in (repo / "backlog.yml").read_text(encoding="utf-8")


def test_cli_start_up_does_not_import_heavy_modules(repo: Path) -> None:
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['agent', 'backlog', '--json', sys.argv[1]]\n"
        "try:\n    runpy.run_module('agent', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "names = ('langgraph', 'openai', 'tiktoken', 'langchain_core')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(repo)], capture_output=True, text=True, timeout=60
    )
    assert "HEAVY []" in done.stderr
