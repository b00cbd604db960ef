"""Push an item's branch and open (or update) its draft pull request: idempotent across retries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from agent.forge.client import GitHub
from agent.forge.errors import transient
from agent.system import proc

CREDENTIALS = re.compile(r"(://)[^/@\s]+@")


@dataclass(frozen=True)
class PullRequest:
    """The pull request of a head branch."""

    number: int
    url: str
    created: bool
    """False when an open pull request for the branch existed and was updated."""


def push_branch(
    root: Path, remote: str, branch: str, source: str | None = None, lease: str | None = None
) -> None:
    """Push `branch` (or `source` as it) to `remote`; with `lease`, only over that remote sha."""
    ref = f"refs/heads/{branch}"
    guard = [f"--force-with-lease={ref}:{lease}"] if lease is not None else []
    args = ["git", "push", "--porcelain", *guard, remote, f"{source or ref}:{ref}"]
    result = proc.run(args, cwd=root, timeout=300)
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines() or ["no output"]
        last = CREDENTIALS.sub(r"\1", output[-1])  # never echo credentials kept in a remote URL
        raise transient(f"git push {remote} {branch} failed: {last}")


def open_pull_request(
    github: GitHub, branch: str, base: str, title: str, body: str, labels: tuple[str, ...]
) -> PullRequest:
    """Update the open pull request of `branch`, or open a draft one; then label it."""
    owner = github.repository.split("/")[0]
    found = github.get(github.repo_path("/pulls"), {"head": f"{owner}:{branch}", "state": "open"})
    if found:
        number = int(found[0]["number"])
        data = github.send(
            "PATCH", github.repo_path(f"/pulls/{number}"), {"title": title, "body": body}
        )
        created = False
    else:
        request = {"title": title, "head": branch, "base": base, "body": body, "draft": True}
        data = github.send("POST", github.repo_path("/pulls"), request)
        created = True
    number = int(data["number"])
    if labels:
        github.send("POST", github.repo_path(f"/issues/{number}/labels"), {"labels": list(labels)})
    return PullRequest(number, str(data["html_url"]), created)
