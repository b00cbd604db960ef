"""The trajectory log: each model call and tool result, one JSON line in .agent/runs/<run>/."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.scanners.secrets import redact

RUNS_DIR = Path(".agent") / "runs"
FILE_NAME = "trajectory.jsonl"


def trajectory_path(repo: Path, run_id: str) -> Path:
    """Where the trajectory of `run_id` lives inside `repo`."""
    return repo / RUNS_DIR / run_id / FILE_NAME


class TrajectoryLog:
    """Append-only JSON lines; every line passes through secret redaction before it is written."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, event: dict[str, Any]) -> None:
        """Write one event (with a timestamp) as a redacted JSON line."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"ts": round(time.time(), 3), **event}, ensure_ascii=False, default=str)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(redact(line) + "\n")
            handle.flush()


@dataclass(frozen=True)
class RunTotals:
    """What `agent status` shows for one run, summed from its trajectory."""

    run_id: str
    calls: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    latency_s: float
    tool_results: int
    failed_steps: int


def run_totals(path: Path) -> RunTotals:
    """Sum the model calls and tool results of one trajectory file (unreadable lines skipped)."""
    calls = prompt = completion = tools = failed = 0
    cost = latency = 0.0
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            event = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if event.get("event") == "model_call":
            calls += 1
            prompt += int(event.get("prompt_tokens", 0))
            completion += int(event.get("completion_tokens", 0))
            cost += float(event.get("cost_usd", 0.0))
            latency += float(event.get("latency_s", 0.0))
        elif event.get("event") == "tool_result":
            tools += 1
        elif event.get("event") == "failed_step":
            failed += 1
    return RunTotals(path.parent.name, calls, prompt, completion, cost, latency, tools, failed)


def latest_run(repo: Path) -> Path | None:
    """The trajectory of the most recently modified run in `repo`, if any."""
    runs = sorted(
        (p for p in (repo / RUNS_DIR).glob(f"*/{FILE_NAME}") if p.is_file()),
        key=lambda p: p.stat().st_mtime,
    )
    return runs[-1] if runs else None
