"""`agent status`: the latest run's model spend, summed from its trajectory log."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from agent.backlog.runs import ItemOutcome, RunOutcome, RunSummary, read_runs
from agent.commands.common import git_root
from agent.instructions.summary import instruction_summary, status_lines
from agent.llm.trajectory import RUNS_DIR, latest_run, run_totals


def show_status(repo: Path, as_json: bool) -> None:
    """Print recent runs (aborted and unfinished ones with what to do), and the latest spend."""
    root = git_root(repo)
    path = latest_run(root)
    runs = read_runs(root / RUNS_DIR)[-5:]
    guidance = instruction_summary(root)
    extra = {"instructions": guidance} if guidance else {}
    notes = status_lines(guidance) if guidance else []
    if path is None and not runs:
        empty = (json.dumps(extra) if extra else "null") if as_json else "no runs yet"
        print("\n".join([empty, *([] if as_json else notes)]))
        return
    totals = run_totals(path) if path is not None else None
    progress = in_progress(root)
    if as_json:
        spend = asdict(totals) if totals is not None else {}
        runs_json = [json.loads(run.model_dump_json()) for run in runs]
        body = {**spend, "in_progress": progress, "runs": runs_json, **extra}
        sys.stdout.write(json.dumps(body) + "\n")
        return
    for line in notes:
        print(line)
    for run in runs:
        print(_run_line(run))
    if progress:
        print(
            f"run {progress['run_id']} is unfinished: item {progress['item'] or '-'}, "
            f"last phase {progress['phase'] or '-'}, next step {progress['next']}; "
            "continue it with `agent resume`"
        )
    if totals is not None:
        print(
            f"run {totals.run_id}: {totals.calls} model calls, "
            f"{totals.prompt_tokens:,} prompt + {totals.completion_tokens:,} completion tokens, "
            f"${totals.cost_usd:.4f}, {totals.latency_s:.1f}s in the model, "
            f"{totals.tool_results} tool results, {totals.failed_steps} failed steps"
        )


def _run_line(run: RunSummary) -> str:
    outcomes = ", ".join(f"{item.item_id} {item.outcome.value}" for item in run.items) or "-"
    state = run.outcome.value if run.outcome else ("finished" if run.ended_at else "unfinished")
    line = f"run {run.run_id} ({state}): {outcomes}; {run.tokens.total:,} tokens"
    if run.outcome is RunOutcome.ABORTED:
        freed = [i.item_id for i in run.items if i.outcome is ItemOutcome.FAILED]
        back = f"; {freed[-1]} is back in the backlog" if freed else ""
        line += f"\n  aborted by: {run.error}{back}; start a new run with `agent run`"
    elif run.outcome is RunOutcome.INTERRUPTED:
        line += f"\n  stopped by: {run.error}"
    return line


def in_progress(root: Path) -> dict[str, str | None] | None:
    """The latest run's position when it has not finished (read from its checkpoint)."""
    latest = root / ".agent" / "runs" / "latest"
    database = root / ".agent" / "state.sqlite"
    if not latest.is_file() or not database.is_file():
        return None
    from agent.graph.graph import compile_run_graph
    from agent.graph.runner import checkpointer

    run_id = latest.read_text(encoding="utf-8").strip()
    summary = next((run for run in read_runs(root / RUNS_DIR) if run.run_id == run_id), None)
    if summary is not None and summary.outcome is RunOutcome.ABORTED:
        return None
    with checkpointer(root) as saver:
        config = {"configurable": {"thread_id": run_id}}
        snapshot = compile_run_graph(saver).get_state(config, subgraphs=True)  # type: ignore[arg-type]
    if not snapshot.next:
        return None
    inner = [task.state for task in snapshot.tasks if hasattr(task.state, "values")]
    values: dict[str, Any] = inner[0].values if inner else snapshot.values  # type: ignore[union-attr,assignment]
    item = values.get("item")
    records = getattr(item, "records", []) if item is not None else []
    return {
        "run_id": run_id,
        "item": getattr(item, "item_id", None),
        "phase": records[-1].phase if records else None,
        "next": ", ".join(snapshot.next),
    }
