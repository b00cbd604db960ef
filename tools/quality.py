"""The quality tool: ruff and bandit on the Python files the item changed, findings as values."""

from __future__ import annotations

from agent.scanners.lint import Finding, ScanResult, run_bandit, run_ruff
from agent.tools.base import ToolArgs, ToolResult, Workspace
from agent.tools.common import ToolConfig, is_allowed, tool
from agent.workspace import gitutil

MAX_FINDINGS = 50


class CheckQualityArgs(ToolArgs):
    """Lint (ruff) and security-scan (bandit) the Python files changed by this item."""


@tool
def check_quality(workspace: Workspace, args: CheckQualityArgs, config: ToolConfig) -> ToolResult:
    """Scan the changed Python files; ok when both scanners ran and found nothing."""
    changed = [
        name
        for name in gitutil.changed_paths(workspace.root, config.base)
        if name.endswith(".py")
        and is_allowed(name, config.scope)
        and (workspace.root / name).is_file()
    ]
    if not changed:
        return ToolResult(ok=True, output="no changed Python files to check", data={"findings": []})
    results = [run_ruff(workspace.root, changed), run_bandit(workspace.root, changed)]
    findings = sorted(finding for result in results for finding in result.findings)
    lines = [_line(finding) for finding in findings[:MAX_FINDINGS]]
    if len(findings) > MAX_FINDINGS:
        lines.append(f"[{len(findings) - MAX_FINDINGS} more findings not shown]")
    lines += [_unavailable(result) for result in results if not result.available]
    header = f"{len(findings)} findings in {len(changed)} changed Python files"
    ok = not findings and all(result.available for result in results)
    data = {"findings": [_as_dict(finding) for finding in findings], "files": changed}
    return ToolResult(ok=ok, output="\n".join([header, *lines]), data=data)


def _line(finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}:{finding.column}"
    return f"{where}: {finding.code} {finding.message} [{finding.tool}, {finding.severity}]"


def _unavailable(result: ScanResult) -> str:
    return f"{result.tool} did not run: {result.error}"


def _as_dict(finding: Finding) -> dict[str, object]:
    return {
        "tool": finding.tool,
        "path": finding.path,
        "line": finding.line,
        "code": finding.code,
        "message": finding.message,
        "severity": finding.severity,
    }
