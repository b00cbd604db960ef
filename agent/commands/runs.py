"""`agent status`: the latest run's model spend, summed from its trajectory log."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from agent.commands.common import resolve_repo
from agent.llm.trajectory import latest_run, run_totals


def show_status(repo: Path, as_json: bool) -> None:
    """Print the totals of the latest run in `repo` (calls, tokens, cost, latency, failed steps)."""
    root = resolve_repo(repo)
    path = latest_run(root)
    if path is None:
        print("no runs yet" if not as_json else "null")
        return
    totals = run_totals(path)
    if as_json:
        sys.stdout.write(json.dumps(asdict(totals)) + "\n")
        return
    print(
        f"run {totals.run_id}: {totals.calls} model calls, "
        f"{totals.prompt_tokens:,} prompt + {totals.completion_tokens:,} completion tokens, "
        f"${totals.cost_usd:.4f}, {totals.latency_s:.1f}s in the model, "
        f"{totals.tool_results} tool results, {totals.failed_steps} failed steps"
    )
