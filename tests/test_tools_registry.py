"""The tool registry: one curated list, OpenAI tool schemas and a grammar-friendly action schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agent.config.settings import load_settings
from agent.tools.registry import TOOLS, available_tools, call_tool
from tests.llm_tools import json_action_schema, openai_tools
from tests.toolkit import user_repo, worked_item

EXPECTED = [
    "read_file",
    "read_window",
    "list_dir",
    "search",
    "find_symbol",
    "write_file",
    "replace_text",
    "run_tests",
    "git_status",
    "git_diff",
    "git_commit",
    "git_log",
    "check_quality",
    "run_command",
]


def _walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [found for item in node for found in _walk(item)]
    if isinstance(node, dict):
        return [node, *(found for value in node.values() for found in _walk(value))]
    return []


def test_registry_is_the_curated_list() -> None:
    assert [spec.name for spec in TOOLS] == EXPECTED
    assert all(spec.description and not spec.description.startswith(spec.name) for spec in TOOLS)


def test_openai_tool_schemas(tmp_path: Path) -> None:
    tools = openai_tools()
    assert [tool["function"]["name"] for tool in tools] == EXPECTED
    read = tools[0]
    assert read["type"] == "function"
    assert read["function"]["description"].startswith("Read a text file")
    params = read["function"]["parameters"]
    assert params["type"] == "object" and params["required"] == ["path"]
    assert params["additionalProperties"] is False
    assert (
        params["properties"]["path"]["description"] == "File path relative to the repository root."
    )
    json.dumps(tools)  # serialisable


def test_action_schema_is_simple_for_grammar_converters() -> None:
    schema = json_action_schema()
    assert schema["type"] == "object"
    branches = schema["anyOf"]
    assert [b["properties"]["tool"]["enum"] for b in branches] == [[name] for name in EXPECTED]
    for node in _walk(schema):
        assert "$ref" not in node and "$defs" not in node and "format" not in node
        assert node.get("additionalProperties", False) is False
    assert all(b["required"] == ["tool", "arguments"] for b in branches)


def test_shell_tool_offered_only_when_enabled(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    assert "run_command" not in [s.name for s in available_tools(load_settings(repo, env={}))]
    enabled = load_settings(repo, env={"AGENT_TOOLS__SHELL_ENABLED": "true"})
    assert "run_command" in [s.name for s in available_tools(enabled)]


def test_call_tool_validates_and_dispatches(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo) as ws:
        read = call_tool(ws, "read_file", {"path": "src/calc.py", "end": 1})
        unknown = call_tool(ws, "delete_repo", {})
        shell = call_tool(ws, "run_command", {"argv": ["ls"]})
        bad = call_tool(ws, "read_file", {"path": "src/calc.py", "start": 0, "bogus": 1})
    assert read.ok and read.output.endswith("    1  def add(a, b):")
    assert not unknown.ok and "unknown tool 'delete_repo'" in unknown.output
    assert "read_file" in unknown.output and "run_command" not in unknown.output
    assert not shell.ok and "unknown tool" in shell.output
    assert not bad.ok and "invalid arguments for read_file" in bad.output
    assert "start:" in bad.output and "bogus:" in bad.output
