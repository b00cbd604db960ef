"""A deterministic ChatModel for control-flow tests: replays scripted replies, records calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from agent.llm.protocol import Completion, Message, Request, ToolCall, Usage


@dataclass
class ScriptedCall:
    """What the agent sent on one call."""

    messages: list[Message]
    request: Request


@dataclass
class ScriptedModel:
    """Answers call N with reply N; a string is a plain reply, a Completion is returned as is."""

    replies: Sequence[Completion | str]
    model_name: str = "scripted"
    usage: Usage | None = None
    calls: list[ScriptedCall] = field(default_factory=list)

    def complete(self, messages: Sequence[Message], request: Request | None = None) -> Completion:
        """Return the next scripted reply; running past the script is an error."""
        if len(self.calls) >= len(self.replies):
            raise RuntimeError(f"scripted model: no reply left for call {len(self.calls) + 1}")
        self.calls.append(ScriptedCall(list(messages), request or Request()))
        reply = self.replies[len(self.calls) - 1]
        if isinstance(reply, Completion):
            return reply
        return Completion(content=reply, usage=self.usage, model=self.model_name)


def tool_call_reply(name: str, arguments: str, call_id: str = "call_1") -> Completion:
    """A native-mode reply carrying one tool call."""
    return Completion(content=None, tool_calls=(ToolCall(call_id, name, arguments),))
