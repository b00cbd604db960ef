"""The two action modes over one tool list: native tool calls, or one schema-constrained JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from agent.llm.protocol import Completion, Request
from agent.tools.base import ToolArgs, ToolSpec

Mode = Literal["native", "json"]


@dataclass(frozen=True)
class Action:
    """A validated tool call: which tool, its parsed arguments, and the native call id if any."""

    tool: str
    args: ToolArgs
    call_id: str | None = None


class ActionError(ValueError):
    """The reply is not a valid action; the message is what the model is told on the repair turn."""


def native_tools(specs: Sequence[ToolSpec]) -> list[dict[str, Any]]:
    """OpenAI `tools` entries for the specs."""
    return [
        {
            "type": "function",
            "function": {
                "name": spec.name,
                "description": spec.description,
                "parameters": spec.parameters_schema(),
            },
        }
        for spec in specs
    ]


def action_schema(specs: Sequence[ToolSpec]) -> dict[str, Any]:
    """JSON Schema of one action: `tool` from the enum, `arguments` matching that tool's model.

    One alternative per tool (anyOf) pins `tool` to a single-value enum next to that tool's argument
    schema (inlined, no $defs), so a grammar-constrained server can only emit arguments that belong
    to the named tool.
    """
    alternatives = [
        {
            "type": "object",
            "properties": {
                "tool": {"type": "string", "enum": [spec.name]},
                "arguments": spec.parameters_schema(),
            },
            "required": ["tool", "arguments"],
            "additionalProperties": False,
        }
        for spec in specs
    ]
    return {"type": "object", "anyOf": alternatives}


def json_response_format(specs: Sequence[ToolSpec]) -> dict[str, Any]:
    """The `response_format` that constrains a reply to one action."""
    return {
        "type": "json_schema",
        "json_schema": {"name": "action", "schema": action_schema(specs), "strict": False},
    }


def request_for(mode: Mode, specs: Sequence[ToolSpec]) -> Request:
    """The request options of `mode` for these tools."""
    if mode == "native":
        return Request(tools=native_tools(specs), tool_choice="required")
    return Request(response_format=json_response_format(specs))


def parse_action(mode: Mode, completion: Completion, specs: Sequence[ToolSpec]) -> Action:
    """Turn a reply into a validated Action, or raise ActionError saying what is wrong."""
    if mode == "native":
        if not completion.tool_calls:
            raise ActionError("expected exactly one tool call, got none; call one of the tools")
        call = completion.tool_calls[0]
        return _validate(call.name, _loads(call.arguments, "tool call arguments"), specs, call.id)
    payload = _loads(completion.content or "", "reply")
    if not isinstance(payload, dict) or "tool" not in payload:
        raise ActionError('expected a JSON object {"tool": ..., "arguments": {...}}')
    return _validate(str(payload["tool"]), payload.get("arguments", {}), specs, None)


def _loads(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ActionError(f"the {what} is not valid JSON: {exc}") from None


def _validate(name: str, arguments: Any, specs: Sequence[ToolSpec], call_id: str | None) -> Action:
    by_name = {spec.name: spec for spec in specs}
    spec = by_name.get(name)
    if spec is None:
        raise ActionError(f"unknown tool {name!r}; expected one of: {', '.join(by_name)}")
    if not isinstance(arguments, dict):
        raise ActionError(f"arguments of {name} must be a JSON object")
    try:
        args = spec.args_model.model_validate(arguments)
    except ValidationError as exc:
        raise ActionError(f"invalid arguments for {name}: {_errors(exc)}") from None
    return Action(name, args, call_id)


def _errors(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False):
        field = ".".join(str(p) for p in err["loc"]) or "arguments"
        parts.append(f"{field}: {err['msg']}")
    return "; ".join(parts)
