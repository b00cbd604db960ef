"""Start, drive and resume runs: checkpointer, model lifetime, human interrupts, the run summary."""

from __future__ import annotations

import contextlib
import json
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.backlog.runs import SUMMARY_FILE, RunOutcome, RunSummary
from agent.config.settings import Settings
from agent.errors import ExitCode, InputError
from agent.graph.lazy_model import LazyModel
from agent.graph.run_context import RunContext, RunOptions
from agent.graph.state import CycleOutcome, RunState
from agent.graph.summary import write_summary
from agent.llm.endpoint import resolve_endpoint
from agent.llm.protocol import ChatModel
from agent.llm.trajectory import TrajectoryLog, trajectory_path
from agent.system.fsutil import atomic_write_text
from agent.workspace.gitutil import ensure_excluded, open_repo

Ask = Callable[[dict[str, Any]], dict[str, Any]]
STATE_DB = Path(".agent") / "state.sqlite"
LATEST = Path(".agent") / "runs" / "latest"


def new_run_id(now: datetime) -> str:
    """Sortable, unique run id: UTC time plus a random suffix."""
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@contextlib.contextmanager
def checkpointer(repo: Path) -> Iterator[Any]:
    """The SQLite checkpointer at .agent/state.sqlite."""
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = repo / STATE_DB
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(str(path), check_same_thread=False)
    serde = JsonPlusSerializer(allowed_msgpack_modules=state_types())
    try:
        yield SqliteSaver(connection, serde=serde)
    finally:
        connection.close()


def state_types() -> list[tuple[str, str]]:
    """The classes checkpoints may hold (LangGraph refuses to revive unlisted ones)."""
    from agent.graph import state
    from agent.llm.budget import Ledger, Tally

    classes = [Ledger, Tally, *(getattr(state, name) for name in state.__all__)]
    return [(cls.__module__, cls.__name__) for cls in classes]


def start_run(
    repo: Path,
    settings: Settings,
    options: RunOptions,
    now: datetime,
    ask: Ask,
    say: Callable[[str], None],
    model: ChatModel | None = None,
) -> tuple[RunState, int]:
    """Run the macro loop from the start; returns the final state and the exit code."""
    run_id = new_run_id(datetime.now(UTC))
    ensure_excluded(open_repo(repo), "/.agent/")  # before the first file lands in .agent/
    run_dir = repo / ".agent" / "runs" / run_id
    atomic_write_text(
        run_dir / "options.json", json.dumps({**asdict(options), "now": now.isoformat()})
    )
    atomic_write_text(repo / LATEST, run_id + "\n")
    initial = RunState(run_id=run_id, repo=str(repo), now=now.isoformat(), started_at=time.time())
    write_summary(repo, initial, settings)  # listed as unfinished until the run ends
    return _drive(repo, settings, options, run_id, initial, ask, say, model)


def resume_run(
    repo: Path,
    settings: Settings,
    ask: Ask,
    say: Callable[[str], None],
    model: ChatModel | None = None,
) -> tuple[RunState, int]:
    """Continue the latest run from its last completed node (from its start if it has none)."""
    latest = repo / LATEST
    if not latest.is_file():
        raise InputError(f"{repo}: no run to resume (start one with `agent run`)")
    run_id = latest.read_text(encoding="utf-8").strip()
    run_dir = repo / ".agent" / "runs" / run_id
    raw = json.loads((run_dir / "options.json").read_text(encoding="utf-8"))
    _refuse_aborted(repo / settings.report.runs_dir / run_id / SUMMARY_FILE)
    initial = RunState(run_id=run_id, repo=str(repo), now=raw.pop("now"), started_at=time.time())
    raw["sources"] = tuple(raw.get("sources", ()))
    options = RunOptions(**raw)
    return _drive(repo, settings, options, run_id, initial, ask, say, model, resuming=True)


def _refuse_aborted(summary_path: Path) -> None:
    if not summary_path.is_file():
        return
    summary = RunSummary.model_validate_json(summary_path.read_bytes())
    if summary.outcome is RunOutcome.ABORTED:
        raise InputError(
            f"run {summary.run_id} was aborted ({summary.error}); nothing to resume "
            "(start a new run with `agent run`)"
        )


def _drive(
    repo: Path,
    settings: Settings,
    options: RunOptions,
    run_id: str,
    initial: RunState,
    ask: Ask,
    say: Callable[[str], None],
    model: ChatModel | None,
    resuming: bool = False,
) -> tuple[RunState, int]:
    from agent.graph.abort import record_failure
    from agent.graph.graph import compile_run_graph

    endpoint = resolve_endpoint(settings.model)
    config: Any = {"configurable": {"thread_id": run_id}, "recursion_limit": 10_000}
    with checkpointer(repo) as saver, LazyModel.scope(model, settings) as chat:
        log = TrajectoryLog(trajectory_path(repo, run_id))
        ctx = RunContext(repo, settings, options, chat, endpoint.action_mode, log, say)
        graph = compile_run_graph(saver)
        snapshot = graph.get_state(config)
        if resuming and snapshot.values and not snapshot.next:
            raise InputError(f"run {run_id} has already finished; nothing to resume")
        payload = None if resuming and snapshot.values else initial  # no checkpoint: start over
        try:
            _invoke(graph, payload, config, ctx, ask)
        except BaseException as exc:
            record_failure(ctx, graph, config, exc)
            raise
        state = RunState.model_validate(graph.get_state(config).values)
    write_summary(repo, state, settings)
    return state, exit_code(state)


def _invoke(graph: Any, payload: Any, config: Any, ctx: RunContext, ask: Ask) -> None:
    """Run the graph until it ends, answering each human interrupt with `ask`."""
    from langgraph.types import Command

    while True:
        result = graph.invoke(payload, config, context=ctx, durability="sync")
        interrupts = result.get("__interrupt__") if isinstance(result, dict) else None
        if not interrupts:
            return
        payload = Command(resume=ask(interrupts[0].value))


def exit_code(state: RunState) -> int:
    """1 when any item ended blocked, else 0 (nothing to do is success)."""
    blocked = any(result.outcome is CycleOutcome.BLOCKED for result in state.results)
    return ExitCode.ITEM_FAILED if blocked else ExitCode.OK
