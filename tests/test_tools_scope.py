"""Automation scope: defaults, .automation-scope.yaml, [tool.agent.scope], errors and limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.config.scope import (
    DEFAULT_RESTRICTED,
    ScopeSettings,
    auto_approval,
    check_limits,
    check_pr_limit,
    load_scope,
    restricted_rule,
)
from agent.config.settings import load_settings
from agent.errors import InputError

SEED_SCOPE = """\
# Define external operations allowed
external_operations:
  github_api: true
restricted_paths:
  - ".github/workflows/"  # manual updates only
  - "migrations/"
auto_approve:
  max_wsjf_score: 2.0
  file_change_limit: 10
  test_coverage_min: 80
"""


def test_defaults() -> None:
    scope = ScopeSettings()
    assert scope.restricted_paths == DEFAULT_RESTRICTED
    assert (scope.pr_daily_limit, scope.file_change_limit, scope.max_changed_lines) == (5, 10, 200)
    assert scope.auto_approve is None


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        (".github/workflows/ci.yml", ".github/workflows/"),
        ("secrets/key.txt", "secrets/"),
        ("app/secrets/x", "secrets/"),
        (".env", ".env*"),
        ("deploy/.env.production", ".env*"),
        ("tls/cert.pem", "*.pem"),
        ("id_rsa.key", "*.key"),
        ("src/app.py", None),
        ("docs/environment.md", None),
        (".github/dependabot.yml", None),
    ],
)
def test_restricted_rules(path: str, rule: str | None) -> None:
    assert restricted_rule(ScopeSettings(), path) == rule


def test_seed_scope_file_read_and_extends_defaults(tmp_path: Path) -> None:
    (tmp_path / ".automation-scope.yaml").write_text(SEED_SCOPE)
    scope = load_scope(tmp_path)
    assert restricted_rule(scope, "migrations/0001.py") == "migrations/"
    assert restricted_rule(scope, "secrets/x") == "secrets/"  # defaults always apply
    assert scope.auto_approve is not None and scope.auto_approve.test_coverage_min == 80
    assert scope.file_change_limit == 10


def test_pyproject_scope_then_yaml_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.agent.scope]\npr_daily_limit = 2\nfile_change_limit = 4\n"
    )
    settings = load_settings(tmp_path, env={})
    assert load_scope(tmp_path, settings.scope).pr_daily_limit == 2
    (tmp_path / ".automation-scope.yaml").write_text("file_change_limit: 7\n")
    scope = load_scope(tmp_path, settings.scope)
    assert (scope.pr_daily_limit, scope.file_change_limit) == (2, 7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pr_daily_limit: 5\nfile_change_limit: ten\n", ":2:1: field 'file_change_limit'"),
        (
            "auto_approve:\n  max_wsjf_score: 2\n  test_coverage_min: 180\n",
            ":3:3: field 'auto_approve.test_coverage_min'",
        ),
        ("restricted_paths:\n  - ok/\n  - [1]\n", ":3:5: field 'restricted_paths.1'"),
        ("restricted_paths: [\n", "invalid YAML"),
        ("- a\n- b\n", ":1:1: the document is a list; expected a mapping"),
    ],
)
def test_scope_file_errors_name_line_and_field(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / ".automation-scope.yaml").write_text(text)
    with pytest.raises(InputError) as info:
        load_scope(tmp_path)
    assert expected in str(info.value)
    assert str(info.value).startswith(str(tmp_path / ".automation-scope.yaml"))
    assert info.value.exit_code == 2


def test_pyproject_scope_error_names_file_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.agent.scope]\nmax_changed_lines = -1\n")
    with pytest.raises(InputError, match=r"pyproject.toml:2: setting 'scope.max_changed_lines'"):
        load_settings(tmp_path, env={})


def test_limits_trip_with_rule_named() -> None:
    scope = ScopeSettings(file_change_limit=3, max_changed_lines=50, pr_daily_limit=1)
    assert check_limits(scope, 3, 50) is None
    files = check_limits(scope, 4, 10)
    assert files is not None and files.rule == "file_change_limit"
    lines = check_limits(scope, 1, 51)
    assert lines is not None and lines.message == (
        "scope rule 'max_changed_lines' exceeded: 51 > 50 (needs a human)"
    )
    assert check_pr_limit(scope, 0) is None
    pr = check_pr_limit(scope, 1)
    assert pr is not None and pr.rule == "pr_daily_limit"


def test_auto_approval_names_failed_criterion(tmp_path: Path) -> None:
    assert auto_approval(ScopeSettings(), 1.0, 1, 90.0) == (False, "auto_approve is not configured")
    (tmp_path / ".automation-scope.yaml").write_text(SEED_SCOPE)
    scope = load_scope(tmp_path)
    assert auto_approval(scope, 1.5, 3, 85.0)[0] is True
    assert auto_approval(scope, 2.5, 3, 85.0)[1].startswith("auto_approve.max_wsjf_score")
    assert auto_approval(scope, 1.5, 11, 85.0)[1].startswith("auto_approve.file_change_limit")
    assert auto_approval(scope, 1.5, 3, 79.0)[1].startswith("auto_approve.test_coverage_min")
    assert "not measured" in auto_approval(scope, 1.5, 3, None)[1]
