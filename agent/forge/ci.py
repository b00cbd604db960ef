"""The `ci` discovery source: check runs failing on the default branch become backlog items."""

from __future__ import annotations

from typing import Any

from agent.discovery.identity import fingerprint
from agent.discovery.model import Found, SourceResult
from agent.forge.client import GitHub

FAILED = ("failure", "timed_out", "cancelled", "action_required", "startup_failure")
MAX_SUMMARY = 2000


def discover_ci(github: GitHub) -> SourceResult:
    """One item per failing check run of the default branch's head (the latest run per check)."""
    branch = str(github.get(github.repo_path())["default_branch"])
    result = SourceResult("ci")
    runs: list[dict[str, Any]] = []
    for page in github.pages(github.repo_path(f"/commits/{branch}/check-runs")):
        runs.extend(page.body["check_runs"])
    pending = sorted({str(run["name"]) for run in runs if run.get("status") != "completed"})
    if pending:
        result.complete = False  # a check that is running again may still fail: resolve nothing
        result.warnings.append(f"ci: {', '.join(pending)} still running on {branch}")
    failing = [run for run in runs if run.get("conclusion") in FAILED]
    result.found = [check_found(run, branch, github.repository) for run in failing]
    result.stats = {"check runs": len(runs), "failing": len(failing)}
    return result


def check_found(run: dict[str, Any], branch: str, repository: str) -> Found:
    """A failing check run as an item: the failure summary and a link to the run."""
    name = str(run["name"])
    output = run.get("output") or {}
    summary = "\n\n".join(
        str(part).strip() for part in (output.get("title"), output.get("summary")) if part
    )
    link = run.get("details_url") or run.get("html_url")
    return Found(
        kind="ci",
        tag=name,
        path=None,
        line=None,
        text=f"{name}: {run.get('conclusion')}",
        title=f"CI check {name!r} fails on {branch}",
        description=summary[:MAX_SUMMARY] or f"{name} concluded {run.get('conclusion')}",
        item_type="bug",
        fingerprint=fingerprint("ci", repository.lower(), name),
        score_key="ci",
        criteria=(f"the check {name!r} passes on {branch}",),
        links=(str(link),) if link else (),
    )
