"""Run ruff and bandit with JSON output and return their findings as values.

Ruff uses the repository's own configuration when it has one (ruff.toml, .ruff.toml or [tool.ruff]
in pyproject.toml); otherwise DEFAULT_RUFF_RULES: pyflakes, the error-prone pycodestyle groups and
bugbear. Bandit reads `[tool.bandit]` in pyproject.toml and the `.bandit` INI file when present.
A scanner that is not installed yields `available=False` with a one-line reason.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.system import proc

DEFAULT_RUFF_RULES = "E4,E7,E9,F,B"
SCAN_TIMEOUT_S = 300.0


@dataclass(frozen=True, order=True)
class Finding:
    """One lint or security finding (ordered by path, line, column)."""

    path: str
    line: int
    column: int
    tool: str
    code: str
    message: str
    severity: str
    confidence: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ScanResult:
    """A scanner's findings, or why it could not run."""

    tool: str
    findings: list[Finding] = field(default_factory=list)
    available: bool = True
    error: str | None = None


def has_ruff_config(root: Path) -> bool:
    """True when the repository configures ruff itself."""
    if (root / "ruff.toml").is_file() or (root / ".ruff.toml").is_file():
        return True
    return _pyproject_has_tool(root, "ruff")


def bandit_config_args(root: Path) -> list[str]:
    """bandit's options for the repository's own configuration: `[tool.bandit]`, `.bandit`."""
    args = ["-c", "pyproject.toml"] if _pyproject_has_tool(root, "bandit") else []
    # bandit finds .bandit only when it walks folders itself; we pass the files, so name it.
    return [*args, "--ini", ".bandit"] if (root / ".bandit").is_file() else args


def _pyproject_has_tool(root: Path, tool: str) -> bool:
    pyproject = root / "pyproject.toml"
    try:
        return tool in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def run_ruff(
    root: Path, paths: Sequence[str] = (".",), timeout: float = SCAN_TIMEOUT_S
) -> ScanResult:
    """Lint `paths` (relative to `root`) with ruff."""
    if not paths:
        return ScanResult("ruff")
    args = [sys.executable, "-m", "ruff", "check", "--output-format", "json", "--exit-zero"]
    args += ["--no-cache", "--force-exclude"]
    if not has_ruff_config(root):
        args += ["--isolated", "--select", DEFAULT_RUFF_RULES]
    result = proc.run([*args, "--", *paths], cwd=root, timeout=timeout)
    payload = _json_or_error("ruff", result)
    if isinstance(payload, ScanResult):
        return payload
    return ScanResult("ruff", sorted(_ruff_finding(root, raw) for raw in payload))


def _ruff_finding(root: Path, raw: dict[str, Any]) -> Finding:
    location = raw.get("location") or {}
    return Finding(
        tool="ruff",
        code=raw.get("code") or "syntax-error",
        message=raw.get("message", ""),
        path=_relative(root, raw.get("filename", "")),
        line=int(location.get("row", 1)),
        column=int(location.get("column", 1)),
        severity="error" if raw.get("code") is None else "warning",
        url=raw.get("url"),
    )


def run_bandit(root: Path, paths: Sequence[str], timeout: float = SCAN_TIMEOUT_S) -> ScanResult:
    """Scan the Python files `paths` (relative to `root`) with bandit."""
    if not paths:
        return ScanResult("bandit")
    args = [sys.executable, "-m", "bandit", "--format", "json", "--quiet"]
    args += bandit_config_args(root)
    result = proc.run([*args, "--", *paths], cwd=root, timeout=timeout)
    payload = _json_or_error("bandit", result, key="results")
    if isinstance(payload, ScanResult):
        return payload
    return ScanResult("bandit", sorted(_bandit_finding(root, raw) for raw in payload))


def _bandit_finding(root: Path, raw: dict[str, Any]) -> Finding:
    return Finding(
        tool="bandit",
        code=raw.get("test_id", "B000"),
        message=raw.get("issue_text", ""),
        path=_relative(root, raw.get("filename", "")),
        line=int(raw.get("line_number", 1)),
        column=int(raw.get("col_offset", 0)) + 1,
        severity=str(raw.get("issue_severity", "LOW")).upper(),
        confidence=str(raw.get("issue_confidence", "LOW")).upper(),
        url=raw.get("more_info"),
    )


def _json_or_error(
    tool: str, result: proc.ProcResult, key: str | None = None
) -> list[dict[str, Any]] | ScanResult:
    if result.missing or "No module named" in result.stderr:
        return ScanResult(tool, available=False, error=f"{tool} is not installed")
    if result.timed_out:
        return ScanResult(
            tool, available=False, error=f"{tool} timed out after {result.duration_s:.0f}s"
        )
    try:
        payload = json.loads(result.stdout or "null")
    except json.JSONDecodeError:
        payload = None
    items = payload.get(key) if key and isinstance(payload, dict) else payload
    if not isinstance(items, list):
        detail = (result.stderr.strip().splitlines() or ["no JSON output"])[-1]
        return ScanResult(tool, available=False, error=f"{tool} failed: {detail}")
    return [item for item in items if isinstance(item, dict)]


def _relative(root: Path, filename: str) -> str:
    path = Path(filename)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
