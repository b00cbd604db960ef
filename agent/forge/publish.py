"""After an item's commit: push its branch and, with --pr, open its draft pull request."""

from __future__ import annotations

from pathlib import Path

from agent.backlog.models import BacklogItem
from agent.config.forge import ForgeSettings


def pr_title_and_body(description: str, item: BacklogItem) -> tuple[str, str]:
    """Split the PR description the agent wrote (`# title` first) and link the item's issue."""
    from agent.forge.issues import issue_number

    head, _, rest = description.partition("\n")
    title = head.removeprefix("#").strip() or item.title
    source = item.source
    number = issue_number(item.id, source.kind, source.tag) if source else None
    body = rest.strip() + (f"\n\nFixes #{number}\n" if number is not None else "\n")
    return title, body


def publish(
    root: Path,
    settings: ForgeSettings,
    item: BacklogItem,
    branch: str,
    base: str,
    description: Path,
    open_pr: bool,
) -> str | None:
    """Push `branch`; with `open_pr`, open or update its draft PR and return the PR's URL."""
    from agent.forge.pulls import open_pull_request, push_branch

    push_branch(root, settings.remote, branch)
    if not open_pr:
        return None
    from agent.forge.connect import open_forge

    title, body = pr_title_and_body(description.read_text(encoding="utf-8"), item)
    github = open_forge(root, settings, "--pr")
    try:
        pull = open_pull_request(github, branch, base, title, body, settings.pr_labels)
    finally:
        github.close()
    return pull.url
