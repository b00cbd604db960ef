"""`agent status`: the latest run's model spend, summed from its trajectory log."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from agent.commands.common import resolve_repo
from agent.llm.trajectory import latest_run, run_totals


def show_status(repo: Path, as_json: bool) -> None:
    """Print recent runs, the run in progress (item and phase), and the latest run's spend."""
    root = resolve_repo(repo)
    path = latest_run(root)
    if path is None:
        print("no runs yet" if not as_json else "null")
        return
    totals = run_totals(path)
    progress = in_progress(root)
    if as_json:
        payload = {**asdict(totals), "in_progress": progress, "runs": _runs_json(root)}
        sys.stdout.write(json.dumps(payload) + "\n")
        return
    _print_runs(root)
    if progress:
        print(
            f"run {progress['run_id']} is unfinished: item {progress['item'] or '-'}, "
            f"last phase {progress['phase'] or '-'}, next step {progress['next']}; "
            "continue it with `agent resume`"
        )
    print(
        f"run {totals.run_id}: {totals.calls} model calls, "
        f"{totals.prompt_tokens:,} prompt + {totals.completion_tokens:,} completion tokens, "
        f"${totals.cost_usd:.4f}, {totals.latency_s:.1f}s in the model, "
        f"{totals.tool_results} tool results, {totals.failed_steps} failed steps"
    )


def in_progress(root: Path) -> dict[str, str | None] | None:
    """The latest run's position when it has not finished (read from its checkpoint)."""
    latest = root / ".agent" / "runs" / "latest"
    database = root / ".agent" / "state.sqlite"
    if not latest.is_file() or not database.is_file():
        return None
    from agent.graph.graph import compile_run_graph
    from agent.graph.runner import checkpointer

    run_id = latest.read_text(encoding="utf-8").strip()
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


def _runs_json(root: Path) -> list[dict[str, object]]:
    from agent.runs import read_runs

    return [json.loads(run.model_dump_json()) for run in read_runs(root / ".agent" / "runs")[-5:]]


def _print_runs(root: Path) -> None:
    from agent.runs import read_runs

    for run in read_runs(root / ".agent" / "runs")[-5:]:
        outcomes = ", ".join(f"{item.item_id} {item.outcome.value}" for item in run.items) or "-"
        ended = "finished" if run.ended_at else "unfinished"
        print(f"run {run.run_id} ({ended}): {outcomes}; {run.tokens.total:,} tokens")
