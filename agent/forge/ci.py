"""The `ci` discovery source: checks failing on the default branch become backlog items.

Both kinds of CI result GitHub keeps for a commit are read: check runs (GitHub Actions and other
apps; the latest run per check) and commit statuses (the older API external CI services use).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent.discovery.identity import fingerprint
from agent.discovery.model import Found, SourceResult
from agent.forge.client import GitHub

FAILED = ("failure", "timed_out", "cancelled", "action_required", "startup_failure", "error")
MAX_SUMMARY = 2000


@dataclass(frozen=True)
class Check:
    """One CI result of the branch head: a check run or a commit status."""

    name: str
    kind: str
    """`check` or `status`."""
    conclusion: str | None
    """How it ended (None: still running)."""
    summary: str
    link: str | None


def discover_ci(github: GitHub) -> SourceResult:
    """One item per failing check run or commit status of the default branch's head."""
    branch = str(github.get(github.repo_path())["default_branch"])
    checks = [*check_runs(github, branch), *statuses(github, branch)]
    result = SourceResult("ci")
    pending = sorted({check.name for check in checks if check.conclusion is None})
    if pending:
        result.complete = False  # a check that is running again may still fail: resolve nothing
        result.warnings.append(f"ci: {', '.join(pending)} still running on {branch}")
    failing = [check for check in checks if check.conclusion in FAILED]
    result.found = [check_found(check, branch, github.repository) for check in failing]
    result.stats = {"checks": len(checks), "failing": len(failing)}
    return result


def check_runs(github: GitHub, branch: str) -> list[Check]:
    """The latest run of each check on `branch`."""
    path = github.repo_path(f"/commits/{branch}/check-runs")
    runs: list[dict[str, Any]] = [
        run for page in github.pages(path) for run in page.body["check_runs"]
    ]
    return [_from_run(run) for run in runs]


def statuses(github: GitHub, branch: str) -> list[Check]:
    """The latest commit status of each context on `branch`."""
    path = github.repo_path(f"/commits/{branch}/status")
    found = [status for page in github.pages(path) for status in page.body["statuses"]]
    return [
        Check(
            name=str(status["context"]),
            kind="status",
            conclusion=None if status["state"] == "pending" else str(status["state"]),
            summary=str(status.get("description") or ""),
            link=status.get("target_url"),
        )
        for status in found
    ]


def _from_run(run: dict[str, Any]) -> Check:
    output = run.get("output") or {}
    parts = (output.get("title"), output.get("summary"))
    return Check(
        name=str(run["name"]),
        kind="check",
        conclusion=str(run["conclusion"]) if run.get("status") == "completed" else None,
        summary="\n\n".join(str(part).strip() for part in parts if part),
        link=run.get("details_url") or run.get("html_url"),
    )


def check_found(check: Check, branch: str, repository: str) -> Found:
    """A failing check as an item: the failure summary and a link to the run."""
    identity = (check.name,) if check.kind == "check" else ("status", check.name)
    return Found(
        kind="ci",
        tag=check.name,
        path=None,
        line=None,
        text=f"{check.name}: {check.conclusion}",
        title=f"CI check {check.name!r} fails on {branch}",
        description=check.summary[:MAX_SUMMARY] or f"{check.name} concluded {check.conclusion}",
        item_type="bug",
        fingerprint=fingerprint("ci", repository.lower(), *identity),
        score_key="ci",
        criteria=(f"the check {check.name!r} passes on {branch}",),
        links=(str(check.link),) if check.link else (),
    )
