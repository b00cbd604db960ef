"""Read backlog items for the graph (backlog.yml in the user's tree is the source of truth)."""

from __future__ import annotations

from agent.backlog.models import BacklogItem
from agent.backlog.store import read_backlog
from agent.errors import InputError
from agent.graph.run_context import RunContext


def load_item(ctx: RunContext, item_id: str) -> BacklogItem:
    """The backlog item `item_id`, as it stands in backlog.yml now."""
    path = ctx.repo / ctx.settings.backlog.path
    item = read_backlog(path, ctx.settings.scoring.scale).get(item_id)
    if item is None:
        raise InputError(f"{path}: no item with id {item_id!r}")
    return item
