"""The one explicit list of tools the model may call, and the schemas that describe them.

Curated, not accumulated: a tool exists for the model only when it is listed in TOOLS. The same
list yields the OpenAI tool schemas (native tool calling) and the JSON-action schema (json mode,
e.g. llama.cpp grammars: no $ref/$defs, no `format`, `additionalProperties` only as false).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from agent.config.settings import Settings
from agent.tools import files, git, quality, shell, symbols, tests, window
from agent.tools.base import ToolResult, ToolSpec, Workspace
from agent.tools.common import config_of, finish

TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec("read_file", files.ReadFileArgs, files.read_file),
    ToolSpec("read_window", window.ReadWindowArgs, window.read_window),
    ToolSpec("list_dir", files.ListDirArgs, files.list_dir),
    ToolSpec("search", files.SearchArgs, files.search),
    ToolSpec("find_symbol", symbols.FindSymbolArgs, symbols.find_symbol),
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


def available_tools(settings: Settings | None = None) -> tuple[ToolSpec, ...]:
    """The tools offered under `settings`: the shell tool only when it is enabled."""
    shell_on = settings is not None and settings.tools.shell_enabled
    return tuple(spec for spec in TOOLS if spec.name not in OPTIONAL or shell_on)


def tool_by_name(name: str, specs: Sequence[ToolSpec] = TOOLS) -> ToolSpec | None:
    """Look a tool up by name."""
    return next((spec for spec in specs if spec.name == name), None)


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
