"""The trajectory log: one JSON line per model call and tool result, secrets redacted, totals."""

from __future__ import annotations

import json
from pathlib import Path

from agent.config.model import ModelSettings
from agent.llm.budget import Ledger
from agent.llm.protocol import Usage
from agent.llm.session import ModelSession
from agent.llm.trajectory import TrajectoryLog, latest_run, run_totals, trajectory_path
from agent.tools.base import ToolResult
from tests.llm_tools import TOOLS
from tests.scripted_model import ScriptedModel
from tests.support import make_repo

SECRET = "sk-proj-" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4"


def test_calls_and_tool_results_are_logged_with_secrets_redacted(tmp_path: Path) -> None:
    path = trajectory_path(tmp_path, "run-1")
    model = ScriptedModel(['{"tool": "finish", "arguments": {"summary": "done"}}'],
                          usage=Usage(40, 9))  # fmt: skip
    session = ModelSession(model, ModelSettings(), Ledger(), "json", TrajectoryLog(path))
    messages = [{"role": "user", "content": f"the key is OPENAI_API_KEY={SECRET}"}]
    step = session.next_action(messages, TOOLS, "BL-7", "green")
    assert step.action is not None
    session.tool_message(
        step.action, ToolResult(ok=False, output=f"leak {SECRET}"), "BL-7", "green"
    )
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text and "[REDACTED]" in text
    events = [json.loads(line) for line in text.splitlines()]
    call, tool = events
    assert call["event"] == "model_call" and call["item"] == "BL-7" and call["phase"] == "green"
    assert (call["prompt_tokens"], call["completion_tokens"]) == (40, 9)
    assert call["usage_source"] == "server" and call["messages"][0]["role"] == "user"
    assert tool["event"] == "tool_result" and tool["ok"] is False and tool["tool"] == "finish"
    assert "latency_s" in call and "cost_usd" in call


def test_run_totals_sum_the_latest_run(tmp_path: Path) -> None:
    old = TrajectoryLog(trajectory_path(tmp_path, "run-old"))
    old.append({"event": "model_call", "prompt_tokens": 1, "completion_tokens": 1})
    new = TrajectoryLog(trajectory_path(tmp_path, "run-new"))
    for tokens in (100, 50):
        new.append({"event": "model_call", "prompt_tokens": tokens, "completion_tokens": 5,
                    "cost_usd": 0.25, "latency_s": 1.5})  # fmt: skip
    new.append({"event": "tool_result"})
    new.append({"event": "failed_step"})
    latest = latest_run(tmp_path)
    assert latest == new.path
    totals = run_totals(latest)
    assert totals.run_id == "run-new" and totals.calls == 2
    assert (totals.prompt_tokens, totals.completion_tokens) == (150, 10)
    assert totals.cost_usd == 0.5 and totals.latency_s == 3.0
    assert (totals.tool_results, totals.failed_steps) == (1, 1)
    assert latest_run(tmp_path / "nothing") is None


def test_agent_status_shows_the_latest_run_totals(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from agent.cli import app

    tmp_path = make_repo(tmp_path / "repo", {"README.md": "x\n"})
    runner = CliRunner()
    assert "no runs yet" in runner.invoke(app, ["status", str(tmp_path)]).output
    log = TrajectoryLog(trajectory_path(tmp_path, "run-9"))
    log.append({"event": "model_call", "prompt_tokens": 1200, "completion_tokens": 34,
                "cost_usd": 0.0, "latency_s": 2.0})  # fmt: skip
    shown = runner.invoke(app, ["status", str(tmp_path)])
    assert shown.exit_code == 0
    assert "run run-9: 1 model calls, 1,200 prompt + 34 completion tokens" in shown.output
    as_json = json.loads(runner.invoke(app, ["status", str(tmp_path), "--json"]).output)
    assert as_json["prompt_tokens"] == 1200 and as_json["run_id"] == "run-9"
