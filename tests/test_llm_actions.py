"""Action modes: schemas, parsing, the single repair turn, and failed steps that never crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.config.model import ModelSettings
from agent.llm.actions import ActionError, action_schema, native_tools, parse_action
from agent.llm.budget import Ledger
from agent.llm.protocol import Completion
from agent.llm.session import ModelSession
from agent.llm.trajectory import TrajectoryLog, run_totals
from agent.tools.base import ToolResult
from tests.llm_tools import TOOLS, ReadFile
from tests.scripted_model import ScriptedModel, tool_call_reply

TASK = [{"role": "system", "content": "Act."}, {"role": "user", "content": "Fix calc.py"}]


def _session(model: ScriptedModel, mode: str, tmp_path: Path | None = None) -> ModelSession:
    log = TrajectoryLog(tmp_path / "t.jsonl") if tmp_path else None
    return ModelSession(model, ModelSettings(), Ledger(), mode, log)  # type: ignore[arg-type]


def test_json_schema_pins_each_tool_to_its_own_arguments_with_nested_models_inlined() -> None:
    schema = action_schema(TOOLS)
    alternatives = schema["anyOf"]
    assert [a["properties"]["tool"]["enum"] for a in alternatives] == [["read_file"], ["finish"]]
    read_args = alternatives[0]["properties"]["arguments"]
    assert read_args["required"] == ["path"] and read_args["additionalProperties"] is False
    assert "$defs" not in json.dumps(schema) and "$ref" not in json.dumps(schema)
    span = read_args["properties"]["span"]["anyOf"][0]
    assert span["type"] == "object" and set(span["properties"]) == {"start", "end"}


def test_native_tools_carry_the_docstring_and_parameters() -> None:
    tool = native_tools(TOOLS)[0]["function"]
    assert tool["name"] == "read_file" and tool["description"] == "Read a file."
    assert tool["parameters"]["properties"]["path"]["description"] == "Relative path."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"tool": "delete_all", "arguments": {}}', "unknown tool 'delete_all'"),
        ('{"tool": "read_file", "arguments": {"path": "/etc/passwd"}}', "must be relative"),
        ('{"tool": "read_file", "arguments": {"path": "a", "x": 1}}', "x: Extra inputs"),
        ("[1, 2]", "expected a JSON object"),
    ],
)
def test_invalid_json_actions_say_what_is_wrong(content: str, message: str) -> None:
    with pytest.raises(ActionError, match=message):
        parse_action("json", Completion(content=content), TOOLS)


def test_repair_turn_feeds_the_validation_error_back_once(tmp_path: Path) -> None:
    model = ScriptedModel(
        [
            '{"tool": "read_file", "arguments": {"path": "/calc.py"}}',
            '{"tool": "read_file", "arguments": {"path": "calc.py"}}',
        ]
    )
    step = _session(model, "json", tmp_path).next_action(TASK, TOOLS, "BL-1", "green")
    assert step.action is not None and step.attempts == 2
    assert isinstance(step.action.args, ReadFile) and step.action.args.path == "calc.py"
    repair = model.calls[1].messages
    assert repair[-2]["role"] == "assistant" and "must be relative" in repair[-1]["content"]
    assert model.calls[0].request.response_format is not None


def test_a_second_invalid_reply_is_a_failed_step_not_a_crash(tmp_path: Path) -> None:
    model = ScriptedModel(["nonsense", '{"tool": "nope", "arguments": {}}'])
    step = _session(model, "json", tmp_path).next_action(TASK, TOOLS, "BL-1", "green")
    assert step.failed and step.error is not None and "unknown tool" in step.error
    assert len(model.calls) == 2
    assert run_totals(tmp_path / "t.jsonl").failed_steps == 1


def test_native_mode_uses_tool_calls_and_answers_an_invalid_call_with_a_tool_message() -> None:
    model = ScriptedModel(
        [
            tool_call_reply("read_file", '{"path": 3}', "c1"),
            tool_call_reply("read_file", '{"path": "calc.py"}', "c2"),
        ]
    )
    session = _session(model, "native")
    step = session.next_action(TASK, TOOLS, "BL-1", "green")
    assert step.action is not None and step.action.call_id == "c2"
    first = model.calls[0].request
    assert first.tool_choice == "required" and first.response_format is None
    assert [t["function"]["name"] for t in first.tools] == ["read_file", "finish"]
    repair = model.calls[1].messages[-1]
    assert repair["role"] == "tool" and repair["tool_call_id"] == "c1"
    result = session.tool_message(step.action, ToolResult(ok=True, output="x"), "BL-1", "green")
    assert result == {"role": "tool", "tool_call_id": "c2", "content": "[ok] read_file\nx"}


def test_native_reply_without_a_tool_call_is_repaired_with_a_user_message() -> None:
    model = ScriptedModel(["I would read the file.", tool_call_reply("finish", '{"summary": "s"}')])
    step = _session(model, "native").next_action(TASK, TOOLS, "BL-1", "green")
    assert step.action is not None and step.action.tool == "finish"
    assert "expected exactly one tool call" in model.calls[1].messages[-1]["content"]
