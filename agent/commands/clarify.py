"""`agent clarify ID`: the clarification chat on its own, outside a run."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from agent.commands.common import git_root
from agent.commands.run import ask_human, console
from agent.config.settings import Settings, load_settings
from agent.graph.clarify import apply_answer, clarify_ask_unattended, clarify_draft
from agent.graph.items import load_item
from agent.graph.lazy_model import LazyModel
from agent.graph.run_context import RunContext, RunOptions
from agent.graph.state import ItemState, RunState
from agent.llm.endpoint import resolve_endpoint
from agent.llm.protocol import ChatModel


def clarify_command(
    repo: Path, item_id: str, interactive: bool, chat: ChatModel | None = None
) -> int:
    """Draft criteria with the model and agree them with the human (or escalate); exit code.

    Replies on the item's issue (after the agent's escalation comment) are the human's answers:
    the model drafts with them, and without a terminal the draft is accepted."""
    root = git_root(repo)
    settings = load_settings(root)
    entry = load_item_or_fail(root, settings, item_id)
    mode = resolve_endpoint(settings.model).action_mode
    notes = issue_replies(root, settings, item_id)
    state = RunState(
        run_id=f"clarify-{item_id}",
        repo=str(root),
        now=datetime.now(UTC).isoformat(),
        item=ItemState(item_id=item_id, title=entry, human_notes=notes),
    )
    with LazyModel.scope(chat, settings) as model:
        ctx = RunContext(root, settings, RunOptions(interactive=interactive), model, mode)
        while True:
            state = state.model_copy(update=clarify_draft(state, ctx))
            item = state.item
            assert item is not None
            if item.blocked is not None or not item.criteria:
                break
            if not interactive and notes:
                item = apply_answer(ctx, item, {"action": "accept"}, time.monotonic())
            elif not interactive:
                item = clarify_ask_unattended(ctx, item)
            else:
                payload = {
                    "item": item_id,
                    "title": item.title,
                    "criteria": item.criteria,
                    "questions": item.questions,
                }
                item = apply_answer(ctx, item, ask_human(payload), time.monotonic())
            state = state.model_copy(update={"item": item})
            if item.blocked is not None or any(r.ok for r in item.records):
                break
    return _report(state)


def issue_replies(root: Path, settings: Settings, item_id: str) -> list[str]:
    """The replies on the item's issue after the agent's escalation (none without a forge)."""
    if not settings.forge.enabled:
        return []
    from agent.forge.escalate import replies

    ctx = RunContext(root, settings, RunOptions(), None, "json")
    found = replies(root, settings.forge, load_item(ctx, item_id))
    if found:
        console.print(f"{len(found)} repl{'y' if len(found) == 1 else 'ies'} on the issue.")
    return found


def load_item_or_fail(root: Path, settings: object, item_id: str) -> str:
    """The item's title (raises a clear error when the id is unknown)."""
    from agent.config.settings import Settings

    assert isinstance(settings, Settings)
    ctx = RunContext(root, settings, RunOptions(), None, "json")
    return load_item(ctx, item_id).title


def _report(state: RunState) -> int:
    item = state.item
    assert item is not None
    if item.blocked is not None:
        console.print(f"{item.item_id} needs a human: {item.blocked.decision}", highlight=False)
        return 1
    console.print(f"{item.item_id} is READY with {len(item.criteria)} acceptance criteria.")
    return 0
