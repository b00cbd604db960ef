"""The seam between the agent and any model: plain OpenAI-format messages in, a Completion out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from agent.errors import AgentError, ExitCode

Message = dict[str, Any]
"""One chat message in OpenAI format: role, content, and for tool turns tool_calls/tool_call_id."""


@dataclass(frozen=True)
class ToolCall:
    """A native tool call as the endpoint returned it (arguments still a JSON string)."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class Usage:
    """Tokens one call consumed."""

    prompt_tokens: int
    completion_tokens: int

    @property
    def total(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class Completion:
    """One model reply; `usage` is None when the server did not report it."""

    content: str | None
    tool_calls: tuple[ToolCall, ...] = ()
    usage: Usage | None = None
    model: str = ""
    finish_reason: str = ""
    latency_s: float = 0.0

    def as_message(self) -> Message:
        """The reply as an assistant message to append to the conversation."""
        message: Message = {"role": "assistant", "content": self.content or ""}
        if self.tool_calls:
            message["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": c.arguments},
                }
                for c in self.tool_calls
            ]
        return message


@dataclass(frozen=True)
class Request:
    """What to send besides the messages: tools (native mode) or a response format (json mode)."""

    tools: Sequence[dict[str, Any]] = ()
    tool_choice: str | None = None
    response_format: dict[str, Any] | None = None
    max_tokens: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class ChatModel(Protocol):
    """Anything that answers a conversation: the OpenAI client, or a scripted model in tests."""

    @property
    def model_name(self) -> str:
        """The model name used for pricing and token counting."""
        ...

    def complete(self, messages: Sequence[Message], request: Request | None = None) -> Completion:
        """Return the model's reply to `messages`."""
        ...


class ModelError(AgentError):
    """The endpoint failed after retries (connection, 5xx, 429) or refused the request (4xx)."""

    exit_code = ExitCode.ITEM_FAILED
