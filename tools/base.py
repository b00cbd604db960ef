"""The contract every tool follows: typed arguments in, a result value out.

A tool is a plain function `(workspace, args) -> ToolResult`. Its pydantic argument model's
docstring is the description the model sees; field docstrings become the parameter docs. The one
explicit registry (tools/registry.py) lists the tools and yields both OpenAI tool schemas (native
mode) and the JSON-action schema (json mode). Expected failures are results with ok=False.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field


class ToolArgs(BaseModel):
    """Base for tool argument models: unknown arguments are rejected."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class ToolResult(BaseModel):
    """What a tool call produced; `output` is what the model reads next."""

    ok: bool
    output: str = ""
    returncode: int | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class Workspace(Protocol):
    """Where tools act: an isolated checkout of the repository."""

    @property
    def root(self) -> Path:
        """The worktree directory tools may read and change."""
        ...


ToolFunction = Callable[[Workspace, Any], ToolResult]


@dataclass(frozen=True)
class ToolSpec:
    """One registered tool."""

    name: str
    args_model: type[ToolArgs]
    function: ToolFunction

    @property
    def description(self) -> str:
        """The argument model's docstring, as shown to the model."""
        return (self.args_model.__doc__ or self.name).strip()

    def parameters_schema(self) -> dict[str, Any]:
        """JSON Schema of the arguments."""
        return self.args_model.model_json_schema()
