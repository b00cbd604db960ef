"""`agent sync`: keep the branches of items under review current with the base branch."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer

from agent.commands.common import git_root
from agent.config.settings import load_settings


def sync_command(repo: Path, item_id: str | None, as_json: bool) -> int:
    """Rebase, re-check and push each branch under review; 1 when an item became BLOCKED."""
    from agent.sync.engine import sync_branches

    root = git_root(repo)
    results = sync_branches(root, load_settings(root), item_id=item_id)
    if as_json:
        typer.echo(json.dumps([asdict(result) for result in results], indent=2))
    elif not results:
        typer.echo("No branch under review (items with status PR and a branch).")
    for result in [] if as_json else results:
        typer.echo(result.line)
    return 1 if any(result.outcome in ("blocked", "failed") for result in results) else 0
