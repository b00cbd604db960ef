"""The `issues` discovery source: open issues (not pull requests) become backlog items."""

from __future__ import annotations

from typing import Any

from agent.config.forge import ForgeSettings
from agent.discovery.identity import fingerprint
from agent.discovery.model import Found, SourceResult
from agent.forge.client import GitHub
from agent.forge.labels import criteria, item_scores, item_type, label_rules

MAX_BODY = 4000
ISSUE_PREFIX = "GH-"


def discover_issues(github: GitHub) -> SourceResult:
    """Every open issue of the repository, page by page (conditional requests)."""
    result = SourceResult("issues")
    pages = cached = 0
    for page in github.pages(github.repo_path("/issues"), {"state": "open"}):
        pages, cached = pages + 1, cached + page.cached
        issues = [issue for issue in page.body if "pull_request" not in issue]
        result.found.extend(
            issue_found(issue, github.repository, github.settings) for issue in issues
        )
    result.stats = {"issues": len(result.found), "pages": pages, "unchanged pages": cached}
    return result


def issue_found(issue: dict[str, Any], repository: str, settings: ForgeSettings) -> Found:
    """One open issue as a discovered item: GH-<number>, typed and scored by its labels."""
    number = int(issue["number"])
    labels = [label["name"] if isinstance(label, dict) else str(label) for label in issue["labels"]]
    rules = label_rules(labels, settings)
    body = (issue.get("body") or "").strip()
    agreed = criteria(body)
    title = str(issue["title"]).strip() or f"Issue #{number}"
    return Found(
        kind="issues",
        tag=f"#{number}",
        path=None,
        line=None,
        text=title,
        title=title,
        description=body[:MAX_BODY],
        item_type=item_type(rules),
        fingerprint=fingerprint("issues", repository.lower(), str(number)),
        score_key="issues",
        criteria=agreed,
        links=(str(issue["html_url"]),),
        tags=tuple(labels),
        item_id=f"{ISSUE_PREFIX}{number}",
        scores=item_scores(rules, settings),
        status="READY" if agreed else settings.issue_status,
    )


def issue_number(item_id: str, source_kind: str | None, tag: str | None) -> int | None:
    """The issue number of an item that came from an issue, else None."""
    if source_kind != "issues" or not tag or not tag.startswith("#"):
        return None
    return int(tag[1:]) if tag[1:].isdigit() else None
