"""Findings a user can act on: bandit configured and ranked by severity, test files out of the
agent's reach, one item per parametrized test function (real repositories, real tools)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from agent.__main__ import main
from agent.config.discovery_defaults import SCORE_DEFAULTS
from agent.config.settings import ScoringSettings
from agent.discovery.identity import fingerprint
from tests.discovery_support import NOW, backlog_items, discover
from tests.support import git, make_repo, write_files

Run = tuple[pytest.CaptureFixture[str], pytest.MonkeyPatch]
FACTORS_BUG = (
    "def prime_factors(n):\n"
    "    factors, d = [], 2\n"
    "    while d < n:\n"
    "        while n % d == 0:\n"
    "            factors.append(d)\n"
    "            n //= d\n"
    "        d += 1\n"
    "    return factors\n"
)
FACTORS_FIXED = FACTORS_BUG.replace("while d < n:", "while d * d <= n:").replace(
    "    return factors\n", "    return factors + [n] * (n > 1)\n"
)
FACTORS_TEST = (
    "import pytest\n\nfrom factors import prime_factors\n\n\n"
    "@pytest.mark.parametrize(\n"
    '    "n, expected",\n'
    "    [(2, [2]), (3, [3]), (7, [7]), (8, [2, 2, 2]), (12, [2, 2, 3]), (20, [2, 2, 5])],\n"
    ")\n"
    "def test_prime_factors(n, expected):\n"
    "    assert prime_factors(n) == expected\n"
)
FUNCTION = "tests/test_factors.py::test_prime_factors"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return capsys, monkeypatch


def ranked(run: Run, repo: Path) -> list[dict[str, Any]]:
    """`agent backlog REPO --json`: the open items, best first."""
    capsys, monkeypatch = run
    monkeypatch.setattr(sys, "argv", ["agent", "backlog", str(repo), "--json", "--now", NOW])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code in (0, None)
    items: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return items


def by_tag(repo: Path) -> dict[tuple[str, str], dict[str, Any]]:
    return {(i["source"]["path"], i["source"]["tag"]): i for i in backlog_items(repo).values()}


def test_failing_test_outranks_every_low_severity_finding(tmp_path: Path, run: Run) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "calc.py": (
                "import subprocess\n\n\ndef add(a, b):\n    assert a is not None\n"
                "    return a - b\n\n\ndef run(cmd):\n    return subprocess.run(cmd, check=True)\n"
            ),
            "tests/__init__.py": "",
            "tests/test_calc.py": (
                "from calc import add\n\n\ndef test_add():\n    assert add(2, 2) == 4\n"
            ),
        },
    )
    done = discover(*run, str(repo), "--sources", "tests,security,lint")
    assert done.code == 0, done.err
    items = ranked(run, repo)
    assert items[0]["title"] == "Failing test tests/test_calc.py::test_add"
    security = [i for i in items if i["type"] == "security"]
    assert {i["title"].split(" (")[0] for i in security} == {
        "bandit B101 in calc.py",
        "bandit B404 in calc.py",
        "bandit B603 in calc.py",
    }  # and no B101 of tests/: bandit skips test files
    assert all(i["wsjf"] < items[0]["wsjf"] for i in items[1:])
    b101 = next(i for i in security if "B101" in i["title"])
    assert (b101["business_value"], b101["time_criticality"], b101["risk_reduction"]) == (5, 1, 2)
    assert b101["wsjf"] == 4.0 and b101["status"] == "READY"


def test_low_severity_stays_below_a_fresh_failing_test_even_at_full_age() -> None:
    params = ScoringSettings()
    value, critical, risk, effort = SCORE_DEFAULTS["tests"]
    failing = (value + critical + risk) / effort
    for key, (value, critical, risk, effort) in SCORE_DEFAULTS.items():
        if key.startswith(("bandit-low-", "bandit-medium-")):
            wsjf = (value + critical + risk) / effort
            assert wsjf < failing, key
        if key.startswith("bandit-low-"):
            assert wsjf * params.aging_max < failing, key


def test_bandit_honours_pyproject_and_groups_per_rule_per_file(tmp_path: Path, run: Run) -> None:
    code = "import subprocess\n\n\ndef f(a, b):\n    assert a\n    assert b\n    return a\n"
    repo = make_repo(
        tmp_path / "r",
        {"app.py": code, "pyproject.toml": '[tool.bandit]\nskips = ["B404"]\n'},
    )
    items = discover(*run, str(repo), "--sources", "security", "--json", "--no-write").json()
    [item] = items
    assert item["source"]["tag"] == "B101" and item["source"]["line"] == 5
    assert item["title"].startswith("bandit B101 in app.py (2 findings)")
    assert "app.py:5:" in item["description"] and "app.py:6:" in item["description"]
    assert item["acceptance_criteria"] == [
        "bandit reports no B101 in app.py, or each finding is justified"
    ]


def test_dot_bandit_file_is_honoured(tmp_path: Path, run: Run) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "app.py": "import subprocess\n\nassert subprocess\n",
            ".bandit": "[bandit]\nskips = B101\n",
        },
    )
    items = discover(*run, str(repo), "--sources", "security", "--json", "--no-write").json()
    assert [i["source"]["tag"] for i in items] == ["B404"]


def test_test_files_scanned_on_request_give_blocked_items(tmp_path: Path, run: Run) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "tests/test_a.py": "import os\n\n\ndef test_a():\n    assert True\n",
            ".agent.toml": "[discovery]\nbandit_tests = true\n",
        },
    )
    items = discover(*run, str(repo), "--sources", "security,lint", "--json", "--no-write").json()
    assert sorted(i["source"]["tag"] for i in items) == ["B101", "F401"]
    for item in items:
        assert item["status"] == "BLOCKED"
        assert item["blocked_reason"].startswith("tests/test_a.py is a test file: the test guard")


@pytest.mark.slow  # three discovery runs with real pytest runs
def test_parametrized_test_is_one_item_until_every_parameter_passes(
    tmp_path: Path, run: Run
) -> None:
    repo = make_repo(
        tmp_path / "r",
        {"factors.py": FACTORS_BUG, "tests/__init__.py": "", "tests/test_factors.py": FACTORS_TEST},
    )
    done = discover(*run, str(repo), "--sources", "tests", "--json", "--no-write")
    [item] = done.json()
    assert item["source"]["tag"] == FUNCTION and item["status"] == "READY"
    assert item["title"] == f"Failing test {FUNCTION} (5 of 6 parameters)"
    assert item["acceptance_criteria"] == [
        f"`{FUNCTION}` passes for every parameter",
        "No other test regresses",
    ]
    lines = item["description"].splitlines()
    assert lines[0] == "5 of 6 parameters fail:"
    assert [line.split(":")[0] for line in lines[1:6]] == [
        "- 2-expected0",
        "- 3-expected1",
        "- 7-expected2",
        "- 12-expected4",
        "- 20-expected5",
    ]
    assert f"First failure, {FUNCTION}[2-expected0]:" in lines
    assert discover(*run, str(repo), "--sources", "tests").code == 0
    partial = FACTORS_BUG.replace(
        "    factors, d", "    if n == 12:\n        return [2, 2, 3]\n    factors, d"
    )
    write_files(repo, {"factors.py": partial})
    git(repo, "commit", "-qam", "fix 12 only")
    assert discover(*run, str(repo), "--sources", "tests").code == 0
    [open_item] = backlog_items(repo).values()
    assert open_item["id"] == item["id"] and open_item["status"] == "READY"
    assert open_item["title"].endswith("(4 of 6 parameters)")
    write_files(repo, {"factors.py": FACTORS_FIXED})
    git(repo, "commit", "-qam", "fix all")
    assert discover(*run, str(repo), "--sources", "tests").code == 0
    assert backlog_items(repo)[item["id"]]["status"] == "DONE"


def _old_item(item_id: str, tag: str, path: str, kind: str, scores: tuple[int, ...]) -> str:
    """An item as the discovery before this change wrote it (one per parameter or finding)."""
    value, critical, risk, effort = scores
    return (
        f"  - id: {item_id}\n    title: old {tag}\n    type: bug\n    status: READY\n"
        f"    business_value: {value}\n    time_criticality: {critical}\n"
        f"    risk_reduction: {risk}\n    effort: {effort}\n"
        f"    created_at: 2026-11-01T00:00:00Z\n    acceptance_criteria: ['`{tag}` passes']\n"
        f"    source:\n      kind: {kind}\n      path: {path}\n"
        f"      fingerprint: {fingerprint(kind, tag)}\n      tag: '{tag}'\n"
    )


def test_old_per_parameter_items_merge_into_the_function_item(tmp_path: Path, run: Run) -> None:
    old = [f"{FUNCTION}[{p}]" for p in ("12-expected4", "2-expected0", "3-expected1")]
    backlog = "version: 1\nitems:\n" + "".join(
        _old_item(f"TEST-old{n}", tag, "tests/test_factors.py", "tests", (8, 5, 5, 2))
        for n, tag in enumerate(old)
    )
    repo = make_repo(
        tmp_path / "r",
        {
            "factors.py": FACTORS_BUG,
            "tests/__init__.py": "",
            "tests/test_factors.py": FACTORS_TEST,
            "backlog.yml": backlog,
        },
    )
    done = discover(*run, str(repo), "--sources", "tests")
    assert done.code == 0, done.err
    assert "2 merged into the item of their test function or rule" in done.out
    items = backlog_items(repo)
    assert sorted(items) == ["TEST-old0", "TEST-old1", "TEST-old2"]  # nothing duplicated
    survivor = items["TEST-old0"]
    assert survivor["status"] == "READY" and survivor["source"]["tag"] == FUNCTION
    assert survivor["acceptance_criteria"][0] == f"`{FUNCTION}` passes for every parameter"
    for sibling in ("TEST-old1", "TEST-old2"):
        assert items[sibling]["status"] == "DONE"
        assert items[sibling]["description"].endswith(
            "merged into TEST-old0, which covers the "
            "whole test function or every finding of the rule"
        )


def test_old_bandit_items_are_grouped_rescored_or_closed(tmp_path: Path, run: Run) -> None:
    flat = (5, 5, 13, 2)  # the one security score before severity counted
    backlog = "version: 1\nitems:\n" + "".join(
        _old_item(item_id, tag, path, "security", flat)
        for item_id, tag, path in (
            ("SEC-a", "B101", "app.py"),
            ("SEC-b", "B101", "app.py"),
            ("SEC-c", "B101", "tests/test_app.py"),
        )
    )
    repo = make_repo(
        tmp_path / "r",
        {
            "app.py": "def f(a, b):\n    assert a\n    assert b\n",
            "tests/test_app.py": "def test_f():\n    assert True\n",
            "backlog.yml": backlog,
        },
    )
    done = discover(*run, str(repo), "--sources", "security")
    assert done.code == 0, done.err
    assert "1 merged into the item of their test function or rule, 1 closed" in done.out
    items = backlog_items(repo)
    assert sorted(items) == ["SEC-a", "SEC-b", "SEC-c"]
    grouped = items["SEC-a"]
    assert grouped["status"] == "READY" and grouped["title"].startswith("bandit B101 in app.py")
    assert [grouped[k] for k in ("business_value", "time_criticality", "risk_reduction")] == [
        5,
        1,
        2,
    ]
    assert items["SEC-b"]["status"] == "DONE"
    closed = items["SEC-c"]
    assert (
        closed["status"] == "DONE"
        and "no longer scanned: bandit skips test files" in (closed["description"])
    )
    assert "resolved in code" not in closed["description"]
