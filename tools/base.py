"""The contract every tool follows: typed arguments in, a result value out.

A tool is a plain function `(workspace, args) -> ToolResult`. Its pydantic argument model's
docstring is the description the model sees; field docstrings become the parameter docs. The one
explicit registry (tools/registry.py) lists the tools and yields both OpenAI tool schemas (native
mode) and the JSON-action schema (json mode). Expected failures are results with ok=False.
"""

from __future__ import annotations

import copy
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
        """JSON Schema of the arguments, self-contained: references inlined, titles and formats
        dropped, no extra properties (what grammar-constrained servers such as llama.cpp accept)."""
        schema = self.args_model.model_json_schema()
        definitions = schema.pop("$defs", {})
        inlined: dict[str, Any] = _inline(schema, definitions)
        inlined.pop("description", None)  # the tool's description already says it
        inlined.setdefault("properties", {})
        inlined["additionalProperties"] = False
        return inlined


_DROPPED_KEYS = frozenset({"title", "format"})


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
