"""Escalations on issues: one comment per BLOCKED item with the decision needed, and the replies.

The comment carries a hidden marker (`<!-- agent:escalation GH-7 -->`), so a later run finds it
on the issue itself and does not ask again, and `agent clarify` knows which replies came after.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.backlog.models import BacklogItem
from agent.config.forge import ForgeSettings
from agent.forge.client import GitHub
from agent.forge.connect import open_forge
from agent.forge.issues import issue_number

MARKER = "<!-- agent:escalation {item_id} -->"


def item_issue(item: BacklogItem) -> int | None:
    """The number of the issue `item` came from, else None."""
    source = item.source
    return issue_number(item.id, source.kind, source.tag) if source else None


def escalate(
    root: Path, settings: ForgeSettings, item: BacklogItem, reason: str, decision: str
) -> bool:
    """Comment on the item's issue unless the agent already did; True when it commented."""
    number = item_issue(item)
    if number is None or not settings.escalate:
        return False
    github = open_forge(root, settings, "escalating on the issue")
    try:
        if _escalation(comments(github, number), item.id) is not None:
            return False
        body = _body(item, reason, decision)
        github.send("POST", github.repo_path(f"/issues/{number}/comments"), {"body": body})
    finally:
        github.close()
    return True


def replies(root: Path, settings: ForgeSettings, item: BacklogItem) -> list[str]:
    """The comments posted on the item's issue after the agent's escalation, oldest first."""
    number = item_issue(item)
    if number is None or not settings.enabled:
        return []
    github = open_forge(root, settings, "reading replies on the issue")
    try:
        found = comments(github, number)
    finally:
        github.close()
    at = _escalation(found, item.id)
    if at is None:
        return []
    return [str(c.get("body") or "").strip() for c in found[at + 1 :] if c.get("body")]


def comments(github: GitHub, number: int) -> list[dict[str, Any]]:
    """Every comment of issue `number`, oldest first."""
    path = github.repo_path(f"/issues/{number}/comments")
    return [comment for page in github.pages(path) for comment in page.body]


def _escalation(found: list[dict[str, Any]], item_id: str) -> int | None:
    marker = MARKER.format(item_id=item_id)
    return next((i for i, c in enumerate(found) if marker in str(c.get("body") or "")), None)


def _body(item: BacklogItem, reason: str, decision: str) -> str:
    return (
        f"{MARKER.format(item_id=item.id)}\n"
        f"The agent stopped working on this issue (backlog item `{item.id}`) and needs a "
        f"decision.\n\n**Decision needed:** {decision}\n\n**Why it stopped:** {reason}\n\n"
        f"Reply on this issue: `agent clarify {item.id}` reads the replies posted after this "
        "comment as answers."
    )
