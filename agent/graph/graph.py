"""Wiring only. The macro loop: sync → discover → score → select → micro cycle → merge & log → next.

The micro cycle (a subgraph): clarify → red → green → refactor → security → docs → ci → commit.
Any phase that blocks the item goes straight to merge & log, which records the escalation.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime

from agent.graph import ci, clarify, deliver, green, macro, red, verify
from agent.graph.common import announce, remember_worktree, rewind_worktree
from agent.graph.run_context import RunContext
from agent.graph.state import RunState

Node = Callable[[RunState, RunContext], dict[str, Any]]
MICRO = (
    ("red", red.red),
    ("green", green.green),
    ("refactor", verify.refactor),
    ("security", verify.security),
    ("docs", deliver.docs),
    ("ci", ci.ci),
    ("commit", deliver.commit),
)


class _Bound:
    """A node function bound to the run context LangGraph injects as `runtime`."""

    def __init__(self, function: Node) -> None:
        self.function = function
        self.__name__ = function.__name__

    def __call__(self, state: RunState, *, runtime: Runtime[RunContext]) -> dict[str, Any]:
        rewind_worktree(state, runtime.context)  # a node re-run after a crash starts clean
        update = remember_worktree(state, self.function(state, runtime.context))
        announce(runtime.context, state, update)
        return update


def _node(function: Node) -> _Bound:
    return _Bound(function)


def _blocked_or(next_node: str) -> Callable[[RunState], str]:
    def route(state: RunState) -> str:
        return END if state.item is None or state.item.blocked is not None else next_node

    return route


def micro_cycle() -> StateGraph[RunState, RunContext, RunState, RunState]:
    """The TDD micro cycle for one item."""
    graph = StateGraph(RunState, context_schema=RunContext)
    graph.add_node("clarify_draft", _node(clarify.clarify_draft))
    graph.add_node("clarify_ask", _node(clarify.clarify_ask))
    for name, function in MICRO:
        graph.add_node(name, _node(function))
    graph.add_edge(START, "clarify_draft")
    graph.add_conditional_edges(
        "clarify_draft", _blocked_or("clarify_ask"), {"clarify_ask": "clarify_ask", END: END}
    )
    graph.add_conditional_edges(
        "clarify_ask",
        clarify.route_after_ask,
        {"red": "red", "redraft": "clarify_draft", "blocked": END},
    )
    for (name, _function), (after, _next) in itertools.pairwise(MICRO):
        graph.add_conditional_edges(name, _blocked_or(after), {after: after, END: END})
    graph.add_edge("commit", END)
    return graph


def macro_loop() -> StateGraph[RunState, RunContext, RunState, RunState]:
    """The run over the backlog."""
    graph = StateGraph(RunState, context_schema=RunContext)
    graph.add_node("sync", _node(macro.sync))
    graph.add_node("discover", _node(macro.discover))
    graph.add_node("score", _node(macro.score))
    graph.add_node("select", _node(macro.select))
    graph.add_node("micro_cycle", micro_cycle().compile())
    graph.add_node("merge_log", _node(macro.merge_log))
    graph.add_node("finish", _node(macro.finish))
    graph.add_edge(START, "sync")
    graph.add_edge("sync", "discover")
    graph.add_edge("discover", "score")
    graph.add_conditional_edges("score", macro.route_next, {"select": "select", "end": END})
    graph.add_conditional_edges(
        "select", macro.route_after_select, {"work": "micro_cycle", "finish": "finish"}
    )
    graph.add_edge("micro_cycle", "merge_log")
    graph.add_conditional_edges(
        "merge_log", macro.route_next, {"select": "select", "finish": "finish"}
    )
    graph.add_edge("finish", END)
    return graph


def compile_run_graph(
    checkpointer: Any,
) -> CompiledStateGraph[RunState, RunContext, RunState, RunState]:
    """The macro loop compiled with a checkpointer (the micro cycle inherits it)."""
    return macro_loop().compile(checkpointer=checkpointer)


def mermaid() -> str:
    """Both graphs as Mermaid flowcharts, drawn from the code (docs/architecture.md embeds them)."""
    macro = macro_loop().compile().get_graph().draw_mermaid()
    micro = micro_cycle().compile().get_graph().draw_mermaid()
    return f"```mermaid\n{macro.strip()}\n```\n\n```mermaid\n{micro.strip()}\n```\n"
