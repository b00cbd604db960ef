"""Small ToolSpecs for model-layer tests (the real registry is tested with the tools)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, field_validator

from agent.llm.actions import action_schema, native_tools
from agent.tools import registry
from agent.tools.base import ToolArgs, ToolResult, ToolSpec, Workspace


class Span(BaseModel):
    """A line range."""

    start: int
    end: int


class ReadFile(ToolArgs):
    """Read a file."""

    path: str
    """Relative path."""
    span: Span | None = None
    """Optional line range."""

    @field_validator("path")
    @classmethod
    def _relative(cls, value: str) -> str:
        if value.startswith("/"):
            raise ValueError("must be relative")
        return value


class Finish(ToolArgs):
    """Say the work is done."""

    summary: str
    """What changed."""


def _noop(workspace: Workspace, args: ToolArgs) -> ToolResult:
    return ToolResult(ok=True, output="done")


TOOLS = [ToolSpec("read_file", ReadFile, _noop), ToolSpec("finish", Finish, _noop)]


def openai_tools(specs: Sequence[ToolSpec] = registry.TOOLS) -> list[dict[str, Any]]:
    """OpenAI `tools=` entries for native tool calling (built by agent.llm.actions)."""
    return native_tools(specs)


def json_action_schema(specs: Sequence[ToolSpec] = registry.TOOLS) -> dict[str, Any]:
    """Schema of one json-mode action `{"tool": ..., "arguments": {...}}` (agent.llm.actions)."""
    return action_schema(specs)
