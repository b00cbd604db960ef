"""A run that ends on an error leaves nothing stuck: the outcome is recorded, the item is freed.

An error the run can be resumed from (the model endpoint or the forge failed, Ctrl-C) keeps the
item DOING and its worktree, and `agent status` shows the `agent resume` command. Any other
error aborts the run: the item goes back to the status it had before, with a note; its worktree
is removed and its branch deleted unless it holds commits.
"""

from __future__ import annotations

from typing import Any

from agent.backlog.models import Status
from agent.backlog.runs import RunOutcome
from agent.errors import AgentError
from agent.forge.errors import ForgeUnavailable
from agent.graph.macro import set_item_status
from agent.graph.run_context import RunContext
from agent.graph.state import ItemState, RunState
from agent.graph.summary import write_summary
from agent.llm.protocol import ModelError
from agent.workspace.worktree import discard_workspace

RESUMABLE = (ModelError, ForgeUnavailable, KeyboardInterrupt)


def describe(exc: BaseException) -> str:
    """One line naming what ended the run."""
    if isinstance(exc, AgentError):
        return "; ".join(exc.lines)
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted (Ctrl-C)"
    return f"{type(exc).__name__}: {exc}"


def current_state(graph: Any, config: Any) -> tuple[RunState | None, bool]:
    """The latest checkpointed state (the micro cycle's when inside it) and whether it can go on."""
    snapshot = graph.get_state(config, subgraphs=True)
    if not snapshot.values:
        return None, False
    inner = [task.state for task in snapshot.tasks if hasattr(task.state, "values")]
    values = inner[0].values if inner and inner[0].values else snapshot.values
    return RunState.model_validate(values), bool(snapshot.next)


def record_failure(ctx: RunContext, graph: Any, config: Any, exc: BaseException) -> RunOutcome:
    """Record how the run ended; free its item unless `agent resume` can continue the run."""
    error = describe(exc)
    state, can_continue = current_state(graph, config)
    if state is None:
        return RunOutcome.ABORTED
    if isinstance(exc, RESUMABLE) and can_continue:
        write_summary(ctx.repo, state, ctx.settings, RunOutcome.INTERRUPTED, error)
        ctx.say(f"Run {state.run_id} stopped: {error}")
        ctx.say("Fix the cause, then continue the run with `agent resume`.")
        return RunOutcome.INTERRUPTED
    if state.item is not None:
        error = _free_item(ctx, state, state.item, error)
    write_summary(ctx.repo, state, ctx.settings, RunOutcome.ABORTED, error)
    ctx.say(f"Run {state.run_id} aborted: {error}")
    return RunOutcome.ABORTED


def _free_item(ctx: RunContext, state: RunState, item: ItemState, error: str) -> str:
    """Put the item back to its previous status and drop its worktree; the error, completed."""
    phase = item.records[-1].phase if item.records else "select"
    note = f"run {state.run_id} was aborted after {phase}: {error}"
    try:
        kept = discard_workspace(ctx.repo, item.item_id, item.title, ctx.settings)
        links = [f"branch:{kept}"] if kept else []
        previous = Status(item.previous_status)
        set_item_status(ctx, item.item_id, previous, None, links, note[:500])
    except AgentError as cleanup:
        return f"{error} (and the item could not be freed: {'; '.join(cleanup.lines)})"
    ctx.say(f"{item.item_id} is back to {previous.value} (see its note in backlog.yml).")
    return error
