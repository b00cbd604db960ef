"""Helpers every node uses: the item's workspace, a model session, phase records, blocking."""

from __future__ import annotations

import hashlib
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from agent.graph.instructed import for_workspace, item_focus
from agent.graph.run_context import RunContext
from agent.graph.state import Blocked, ItemState, PhaseRecord, RunState
from agent.llm.budget import BudgetExceeded, Ledger
from agent.llm.protocol import Message
from agent.llm.session import ModelSession
from agent.scanners.secrets import redact
from agent.text.prompting import render
from agent.text.textcut import cut_tokens
from agent.text.tokens import encoding
from agent.workspace.gitutil import restore_worktree, worktree_tree
from agent.workspace.worktree import ItemWorkspace, open_workspace

OUTPUT_TOKENS = 1200


def system_message(
    ws: ItemWorkspace, code: bool = False, unit: str = "file", blocks: bool = False
) -> Message:
    """The system prompt: one JSON action per turn, a whole `unit` (code), or search/replace."""
    content = render(
        "system",
        repo_name=ws.repo_root.name,
        code=code,
        unit=unit,
        blocks=blocks,
        instructions=for_workspace(ws).prompt(),
    )
    return {"role": "system", "content": content}


def workspace_for(state: RunState, ctx: RunContext) -> ItemWorkspace:
    """Open (or reuse, after a crash) the worktree of the current item."""
    item = current(state)
    ws = open_workspace(ctx.repo, item.item_id, item.title, ctx.settings)
    return replace(ws, focus=item_focus(ctx, item))


def rewind_worktree(state: RunState, ctx: RunContext) -> None:
    """Before a node runs: put back the worktree its last checkpoint saw (after a crash)."""
    item = state.item
    if item is None or not item.worktree_tree or not _has_worktree(item):
        return
    if restore_worktree(Path(str(item.worktree)), item.worktree_tree):
        ctx.say("The worktree was put back as it was after the last completed step.")


def remember_worktree(state: RunState, update: dict[str, Any]) -> dict[str, Any]:
    """After a node: record the worktree's files in the item, checkpointed with the update."""
    item = update.get("item", state.item)
    if not isinstance(item, ItemState) or not _has_worktree(item):
        return update
    tree = worktree_tree(Path(str(item.worktree)))
    return {**update, "item": item.model_copy(update={"worktree_tree": tree})}


def _has_worktree(item: ItemState) -> bool:
    return bool(item.worktree) and (Path(str(item.worktree)) / ".git").exists()


def current(state: RunState) -> ItemState:
    """The item being worked; nodes of the micro cycle only run while there is one."""
    if state.item is None:
        raise RuntimeError("micro-cycle node ran without a current item")
    return state.item


def session_for(state: RunState, ctx: RunContext) -> ModelSession:
    """A model session that counts against a copy of the run's ledger."""
    if ctx.model is None:
        raise RuntimeError("this phase needs a model, but the run was started without one")
    ledger = Ledger.model_validate(state.ledger.model_dump())
    return ModelSession(ctx.model, ctx.settings.model, ledger, ctx.mode, ctx.log)


def clip(text: str, tokens: int = OUTPUT_TOKENS) -> str:
    """Redact secrets and keep the end of `text` within a token budget."""
    kept = cut_tokens(redact(text), encoding(), 0, tokens)
    return f"[{kept.cut} tokens cut]\n{kept.tail}" if kept.cut else kept.head


def sha256_file(path: Path) -> str | None:
    """Hash a file's bytes, or None when it does not exist."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def record(item: ItemState, phase: str, ok: bool, started: float, **fields: Any) -> ItemState:
    """Append a phase record to a copy of `item`."""
    seconds = round(time.monotonic() - started, 3)
    entry = PhaseRecord(phase=phase, ok=ok, seconds=seconds, ended_at=time.time(), **fields)
    return item.model_copy(update={"records": [*item.records, entry]})


def block(item: ItemState, phase: str, reason: str, decision: str) -> ItemState:
    """Mark `item` blocked in `phase` with the decision a human must make."""
    blocked = Blocked(phase=phase, reason=reason, decision=decision)
    return item.model_copy(update={"blocked": blocked})


def budget_block(item: ItemState, phase: str, exc: BudgetExceeded) -> ItemState:
    """Block an item whose next model call would cross a cap."""
    decision = f"raise the {exc.cap} cap (now {exc.limit:g}) or split the item into smaller ones"
    return block(item, phase, str(exc), decision)


def update(item: ItemState, session: ModelSession | None = None) -> dict[str, Any]:
    """The partial state update of a micro-cycle node."""
    changes: dict[str, Any] = {"item": item}
    if session is not None:
        changes["ledger"] = session.ledger
    return changes


def announce(ctx: RunContext, state: RunState, update: dict[str, Any]) -> None:
    """Tell the human about a phase that just finished (one line per phase)."""
    item = update.get("item")
    before = len(state.item.records) if state.item is not None else 0
    if not isinstance(item, ItemState) or len(item.records) <= before:
        return
    entry = item.records[-1]
    status = "ok" if entry.ok else "stopped"
    detail = f" ({entry.detail})" if entry.detail else ""
    ctx.say(f"  {entry.phase}: {status}{detail} in {entry.seconds:.1f}s")
