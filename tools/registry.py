"""The one explicit list of tools the model may call, and the schemas that describe them.

Curated, not accumulated: a tool exists for the model only when it is listed in TOOLS. The same
list yields the OpenAI tool schemas (native tool calling) and the JSON-action schema (json mode,
e.g. llama.cpp grammars: no $ref/$defs, no `format`, `additionalProperties` only as false).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from agent.settings import Settings
from tools import files, git, quality, shell, tests
from tools.base import ToolResult, ToolSpec, Workspace
from tools.common import config_of, finish

TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec("read_file", files.ReadFileArgs, files.read_file),
    ToolSpec("list_dir", files.ListDirArgs, files.list_dir),
    ToolSpec("search", files.SearchArgs, files.search),
    ToolSpec("write_file", files.WriteFileArgs, files.write_file),
    ToolSpec("replace_text", files.ReplaceTextArgs, files.replace_text),
    ToolSpec("run_tests", tests.RunTestsArgs, tests.run_tests),
    ToolSpec("git_status", git.GitStatusArgs, git.git_status),
    ToolSpec("git_diff", git.GitDiffArgs, git.git_diff),
    ToolSpec("git_commit", git.GitCommitArgs, git.git_commit),
    ToolSpec("git_log", git.GitLogArgs, git.git_log),
    ToolSpec("check_quality", quality.CheckQualityArgs, quality.check_quality),
    ToolSpec("run_command", shell.RunCommandArgs, shell.run_command),
)
OPTIONAL = frozenset({"run_command"})
_DROPPED_KEYS = frozenset({"title", "format"})


def available_tools(settings: Settings | None = None) -> tuple[ToolSpec, ...]:
    """The tools offered under `settings`: the shell tool only when it is enabled."""
    shell_on = settings is not None and settings.tools.shell_enabled
    return tuple(spec for spec in TOOLS if spec.name not in OPTIONAL or shell_on)


def tool_by_name(name: str, specs: Sequence[ToolSpec] = TOOLS) -> ToolSpec | None:
    """Look a tool up by name."""
    return next((spec for spec in specs if spec.name == name), None)


def parameters(spec: ToolSpec) -> dict[str, Any]:
    """A tool's argument schema, self-contained: references inlined, titles and formats dropped."""
    schema = spec.parameters_schema()
    definitions = schema.pop("$defs", {})
    inlined = _inline(schema, definitions)
    if not isinstance(inlined, dict):
        raise TypeError(f"{spec.name}: argument schema is not an object")
    inlined.pop("description", None)  # the tool's description already says it
    inlined.setdefault("properties", {})
    inlined["additionalProperties"] = False
    return inlined


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_inline(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = copy.deepcopy(definitions[node["$ref"].rsplit("/", 1)[-1]])
        extra = {key: value for key, value in node.items() if key != "$ref"}
        return _inline({**target, **extra}, definitions)
    inlined: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties":
            inlined[key] = {name: _inline(sub, definitions) for name, sub in value.items()}
        elif key not in _DROPPED_KEYS:
            inlined[key] = _inline(value, definitions)
    return inlined


def openai_tools(specs: Sequence[ToolSpec] = TOOLS) -> list[dict[str, Any]]:
    """OpenAI `tools=` entries: `{"type": "function", "function": {name, description, ...}}`."""
    return [
        {
            "type": "function",
            "function": {
                "name": spec.name,
                "description": spec.description,
                "parameters": parameters(spec),
            },
        }
        for spec in specs
    ]


def json_action_schema(specs: Sequence[ToolSpec] = TOOLS) -> dict[str, Any]:
    """Schema of one action in json mode: `{"tool": <name>, "args": {...}}`, one branch per tool.

    The top level names the `tool` enum; `anyOf` ties each tool to its own arguments (grammar
    converters such as llama.cpp's build the grammar from the `anyOf` branches).
    """
    branches = [
        {
            "type": "object",
            "properties": {
                "tool": {"type": "string", "const": spec.name},
                "args": parameters(spec),
            },
            "required": ["tool", "args"],
            "additionalProperties": False,
        }
        for spec in specs
    ]
    return {
        "type": "object",
        "properties": {
            "tool": {"type": "string", "enum": [spec.name for spec in specs]},
            "args": {"type": "object"},
        },
        "required": ["tool", "args"],
        "anyOf": branches,
    }


def call_action(
    workspace: Workspace, action: Any, specs: Sequence[ToolSpec] | None = None
) -> ToolResult:
    """Run a json-mode action `{"tool": name, "args": {...}}`; a malformed action is a result."""
    if not isinstance(action, dict) or not isinstance(action.get("tool"), str):
        return ToolResult(ok=False, output='expected {"tool": "<name>", "args": {...}}')
    arguments = action.get("args", {})
    if not isinstance(arguments, dict):
        return ToolResult(ok=False, output=f"{action['tool']}: args must be an object")
    return call_tool(workspace, action["tool"], arguments, specs)


def call_tool(
    workspace: Workspace,
    name: str,
    arguments: dict[str, Any],
    specs: Sequence[ToolSpec] | None = None,
) -> ToolResult:
    """Validate `arguments` and run tool `name`; unknown tools and bad arguments are results.

    `specs` defaults to the tools available under the workspace's settings.
    """
    config = config_of(workspace)
    offered = available_tools(config.settings) if specs is None else specs
    spec = tool_by_name(name, offered)
    if spec is None:
        known = ", ".join(s.name for s in offered)
        return ToolResult(ok=False, output=f"unknown tool {name!r}; available tools: {known}")
    try:
        args = spec.args_model.model_validate(arguments)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'arguments'}: {err['msg']}"
            for err in exc.errors()
        )
        result = ToolResult(ok=False, output=f"invalid arguments for {name}: {problems}")
        return finish(result, config.settings.tools.output_tokens)
    return spec.function(workspace, args)
