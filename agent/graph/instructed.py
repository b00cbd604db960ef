"""The repository's instructions in the micro cycle: which files an item's prompts carry."""

from __future__ import annotations

from pathlib import Path

from agent.backlog.models import BacklogItem
from agent.errors import InputError
from agent.graph.items import load_item
from agent.graph.run_context import RunContext
from agent.graph.state import ItemState
from agent.instructions.select import Instructions, instructions_for
from agent.llm.protocol import Message
from agent.workspace.worktree import ItemWorkspace


def item_focus(ctx: RunContext, item: ItemState) -> tuple[str, ...]:
    """The item's own files: its source (backlog.yml) and its RED check's file."""
    try:
        backlog_item: BacklogItem | None = load_item(ctx, item.item_id)
    except InputError:
        backlog_item = None
    source = backlog_item.source if backlog_item is not None else None
    check = item.check
    paths = [
        source.path if source else None,
        check.file if check else None,
        check.target if check and check.kind != "pytest" else None,
    ]
    return tuple(dict.fromkeys(path for path in paths if path))


def for_workspace(ws: ItemWorkspace) -> Instructions:
    """The instructions applied to the item worked in `ws` (read from its worktree)."""
    return instructions_for(ws.root, ws.focus, ws.settings.instructions)


def for_item(ctx: RunContext, item: ItemState, root: Path | None = None) -> Instructions:
    """The instructions applied to `item`, read from `root` (default: the repository)."""
    return instructions_for(root or ctx.repo, item_focus(ctx, item), ctx.settings.instructions)


def with_instructions(messages: list[Message], instructions: Instructions) -> list[Message]:
    """`messages` preceded by a system message of the instructions (unchanged when none)."""
    text = instructions.prompt()
    return [{"role": "system", "content": text + "\n"}, *messages] if text else messages
