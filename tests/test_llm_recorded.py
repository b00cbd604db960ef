"""The model layer against the bundled local model, replayed from cassettes recorded at temp 0.

Re-record with `make cassettes` (docs/testing.md); never edit a cassette by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel, field_validator
from vcr.errors import CannotOverwriteExistingCassetteException

from agent.config.model import ModelSettings
from agent.llm.actions import Mode
from agent.llm.budget import Ledger
from agent.llm.client import OpenAIChatModel
from agent.llm.endpoint import Endpoint
from agent.llm.session import ModelSession
from agent.llm.trajectory import TrajectoryLog, run_totals
from agent.tools.base import ToolArgs, ToolResult, ToolSpec, Workspace
from scripts.record_cassettes import RECORDING_PORT

MODEL = "qwen2.5-coder-1.5b-instruct"
SYSTEM = (
    "You fix bugs in a small Python repository. Each turn you reply with exactly one action "
    'as JSON: {"tool": <tool name>, "arguments": {...}}. Read a file before you edit it.'
)


class LineRange(BaseModel):
    """Lines to show, 1-based and inclusive."""

    first: int
    last: int


class ReadFile(ToolArgs):
    """Read a text file of the repository."""

    path: str
    """Path relative to the repository root, e.g. 'pkg/mod.py'."""
    lines: LineRange | None = None
    """Only these lines (omit to read the whole file)."""

    @field_validator("path")
    @classmethod
    def _relative(cls, value: str) -> str:
        if value.startswith("/"):
            raise ValueError("must be relative to the repository root, without a leading '/'")
        return value


class ReplaceText(ToolArgs):
    """Replace the exact text `old` with `new` in a file."""

    path: str
    """Path relative to the repository root."""
    old: str
    """Exact existing text, copied from the file."""
    new: str
    """Replacement text."""


class RunTests(ToolArgs):
    """Run the test suite and show failures."""


def _unused(workspace: Workspace, args: ToolArgs) -> ToolResult:
    return ToolResult(ok=True)


TOOLS = [
    ToolSpec("read_file", ReadFile, _unused),
    ToolSpec("replace_text", ReplaceText, _unused),
    ToolSpec("run_tests", RunTests, _unused),
]
FAILURE = (
    "tests/test_calc.py::test_add FAILED\n"
    "    def test_add():\n>       assert add(2, 3) == 5\nE       assert -1 == 5\n"
)


def _session(tmp_path: Path, mode: Mode = "json", max_tokens: int = 256) -> ModelSession:
    settings = ModelSettings(
        temperature=0.0, max_retries=0, max_completion_tokens=max_tokens, timeout_s=600
    )
    endpoint = Endpoint(
        f"http://127.0.0.1:{RECORDING_PORT}/v1", "sk-test-dummy", MODEL, False, "json"
    )
    log = TrajectoryLog(tmp_path / ".agent/runs/r1/trajectory.jsonl")
    return ModelSession(OpenAIChatModel(endpoint, settings), settings, Ledger(), mode, log)


@pytest.mark.vcr
def test_plain_reply(tmp_path: Path) -> None:
    session = _session(tmp_path)
    messages = [{"role": "user", "content": "Reply with the single word: pong"}]
    completion = session.reply(messages, "BL-1", "clarify")
    assert "pong" in (completion.content or "").lower()
    assert completion.usage is not None and completion.usage.prompt_tokens > 0
    assert session.ledger.run.prompt_tokens == completion.usage.prompt_tokens
    totals = run_totals(tmp_path / ".agent/runs/r1/trajectory.jsonl")
    assert totals.calls == 1 and totals.prompt_tokens == completion.usage.prompt_tokens
    assert totals.cost_usd == 0.0


@pytest.mark.vcr
def test_json_action_validates(tmp_path: Path) -> None:
    session = _session(tmp_path)
    messages = [
        {"role": "system", "content": SYSTEM},
        {
            "role": "user",
            "content": f"The test fails:\n{FAILURE}\nThe code is in calc.py; read it first.",
        },
    ]
    step = session.next_action(messages, TOOLS, "BL-1", "green")
    assert step.action is not None and step.attempts == 1
    assert step.action.tool == "read_file"
    assert isinstance(step.action.args, ReadFile) and step.action.args.path == "calc.py"
    assert json.loads(step.reply["content"])["tool"] == "read_file"  # type: ignore[index]


@pytest.mark.vcr
def test_invalid_reply_is_repaired_on_retry(tmp_path: Path) -> None:
    session = _session(tmp_path)
    messages = [
        {"role": "system", "content": SYSTEM},
        {
            "role": "user",
            "content": f"The test fails:\n{FAILURE}\nThe code is in /calc.py; read it first.",
        },
    ]
    step = session.next_action(messages, TOOLS, "BL-1", "green")
    assert step.attempts == 2, "the first reply should have failed validation"
    assert step.action is not None and step.action.tool == "read_file"
    assert not step.action.args.path.startswith("/")  # type: ignore[attr-defined]
    events = [
        json.loads(line)["event"]
        for line in (tmp_path / ".agent/runs/r1/trajectory.jsonl").read_text().splitlines()
    ]
    assert events == ["model_call", "invalid_action", "model_call"]


@pytest.mark.vcr
def test_native_tool_calls_with_the_local_model_end_as_a_failed_step(tmp_path: Path) -> None:
    # Measured: this model answers `tools` + tool_choice="required" with a fenced JSON block, not a
    # tool call, so native mode yields a failed step (after one repair turn), never a crash.
    session = _session(tmp_path, "native", max_tokens=96)
    messages = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"The test fails:\n{FAILURE}\nThe code is in calc.py."},
    ]
    step = session.next_action(messages, TOOLS, "BL-1", "green")
    assert step.failed and step.attempts == 2
    assert step.error is not None and "expected exactly one tool call" in step.error
    assert session.ledger.run.calls == 2


@pytest.mark.vcr(record_mode="none")  # replay-only even while recording: it must never add to it
@pytest.mark.default_cassette("test_plain_reply.yaml")
def test_changed_prompt_does_not_match_the_cassette(tmp_path: Path) -> None:
    session = _session(tmp_path)
    messages = [{"role": "user", "content": "Reply with the single word: ping"}]
    with pytest.raises(CannotOverwriteExistingCassetteException, match="differ in body"):
        session.reply(messages, "BL-1", "clarify")
