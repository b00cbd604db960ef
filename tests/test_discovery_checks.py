"""The tests, lint and security sources on real repositories with real tools."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.discovery_support import backlog_items, discover
from tests.support import git, make_repo, tree_snapshot, write_files

Run = tuple[pytest.CaptureFixture[str], pytest.MonkeyPatch]
CANARY = "ghp_" + "Zx9CanaryCanaryCanaryCanaryCanary0042"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return capsys, monkeypatch


TESTS = {
    "calc.py": "def add(a, b):\n    return a - b\n",
    "tests/__init__.py": "",
    "tests/test_calc.py": (
        "from calc import add\n\n\n"
        "def test_add():\n    assert add(2, 2) == 4\n\n\n"
        "def test_ok():\n    assert add(0, 0) == 0\n"
    ),
    "conftest.py": "",
}


@pytest.mark.slow  # two discovery runs with real pytest runs
def test_failing_test_becomes_one_ready_item_and_resolves_when_fixed(
    tmp_path: Path, run: Run
) -> None:
    repo = make_repo(tmp_path / "r", TESTS)
    before = tree_snapshot(repo)
    done = discover(*run, str(repo), "--sources", "tests", "--json", "--no-write")
    assert done.code == 0, done.err
    [item] = done.json()
    assert item["source"]["tag"] == "tests/test_calc.py::test_add"
    assert item["id"].startswith("TEST-") and item["type"] == "bug"
    assert item["status"] == "READY"
    assert "assert 0 == 4" in item["description"]
    assert "`tests/test_calc.py::test_add` passes" in item["acceptance_criteria"]
    assert tree_snapshot(repo) == before  # ran in a temporary checkout
    assert discover(*run, str(repo), "--sources", "tests").code == 0
    write_files(repo, {"calc.py": "def add(a, b):\n    return a + b\n"})
    git(repo, "commit", "-qam", "fix add")
    assert discover(*run, str(repo), "--sources", "tests").code == 0
    assert backlog_items(repo)[item["id"]]["status"] == "DONE"


def test_collection_error_is_one_item(tmp_path: Path, run: Run) -> None:
    repo = make_repo(tmp_path / "r", {"tests/test_bad.py": "import nowhere_to_be_found\n"})
    items = discover(*run, str(repo), "--sources", "tests", "--json", "--no-write").json()
    [item] = items
    assert item["source"]["tag"] == "collection:tests/test_bad.py"
    assert item["title"] == "Test collection failed in tests/test_bad.py"
    assert "nowhere_to_be_found" in item["description"]


def test_hanging_test_is_killed_and_reported_once(tmp_path: Path, run: Run) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "tests/test_hang.py": "import time\n\n\ndef test_hang():\n    time.sleep(120)\n",
            ".agent.toml": "[tests]\ntimeout_s = 2\n",
        },
    )
    done = discover(*run, str(repo), "--sources", "tests", "--json", "--no-write")
    assert done.code == 0, done.err
    [item] = done.json()
    assert item["source"]["text"] == "test run timed out after 2s"
    assert item["title"] == "Test run timed out after 2s"


def test_ruff_findings_are_grouped_per_rule_per_file(tmp_path: Path, run: Run) -> None:
    repo = make_repo(
        tmp_path / "r",
        {"a.py": "import os\nimport sys\n\n\ndef f():\n    x = 1\n", "b.py": "import json\n"},
    )
    items = discover(*run, str(repo), "--sources", "lint", "--json", "--no-write").json()
    keys = sorted((i["source"]["path"], i["source"]["tag"]) for i in items)
    assert keys == [("a.py", "F401"), ("a.py", "F841"), ("b.py", "F401")]
    unused = next(
        i for i in items if i["source"]["path"] == "a.py" and i["source"]["tag"] == "F401"
    )
    assert "(2 findings)" in unused["title"] and unused["id"].startswith("LINT-")
    assert unused["status"] == "READY"


def test_missing_ruff_is_skipped_with_a_warning(tmp_path: Path, run: Run) -> None:
    fake = tmp_path / "fake"
    write_files(
        fake, {"ruff/__init__.py": "raise ModuleNotFoundError(\"No module named 'ruff'\")\n"}
    )
    run[1].setenv("PYTHONPATH", str(fake))
    repo = make_repo(tmp_path / "r", {"a.py": "import os  # TODO: still found\n"})
    done = discover(*run, str(repo), "--sources", "lint,comments", "--json", "--no-write")
    assert done.code == 0
    assert done.err == "warning: lint skipped: ruff is not installed\n"
    assert [i["source"]["kind"] for i in done.json()] == ["comments"]


def test_bandit_finding_and_planted_secret_never_leak(tmp_path: Path, run: Run) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "app.py": (
                "import subprocess\n\n\ndef go(cmd):\n    return subprocess.call(cmd, shell=True)\n"
            ),
            "settings.py": f'GITHUB_TOKEN = "{CANARY}"  # TODO: rotate {CANARY}\n',
        },
    )
    done = discover(*run, str(repo), "--sources", "security,comments")
    assert done.code == 0, done.err
    text = (repo / "backlog.yml").read_text()
    assert CANARY not in text and CANARY not in done.out and CANARY not in done.err
    items = list(backlog_items(repo).values())
    bandit = [i for i in items if i["source"]["tag"] == "B602"]
    assert len(bandit) == 1 and bandit[0]["type"] == "security"
    assert bandit[0]["source"]["path"] == "app.py" and bandit[0]["risk_reduction"] == 13
    secret = [i for i in items if i["source"]["tag"].startswith("secret:")]
    where = [(s["source"]["path"], s["source"]["line"]) for s in secret]
    assert where == [("settings.py", 1), ("settings.py", 1)]  # the assignment and the comment
    assert len({s["id"] for s in secret}) == 2
    as_json = discover(*run, str(repo), "--sources", "security,comments", "--json", "--no-write")
    assert CANARY not in as_json.out
    assert any("[REDACTED]" in i["title"] for i in as_json.json())


def test_repository_without_tests_gives_no_test_items(tmp_path: Path, run: Run) -> None:
    repo = make_repo(tmp_path / "r", {"calc.py": "X = 1\n"})
    done = discover(*run, str(repo), "--sources", "tests", "--json", "--no-write")
    assert done.code == 0, done.err
    assert done.json() == []
