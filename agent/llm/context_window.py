"""Fit a conversation in the model's window by tokens, keeping the task and the latest failure."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence

from agent.llm.protocol import Message
from agent.text.tokens import count_text, truncate_text

MIN_KEEP_TOKENS = 64
TOKENS_PER_MESSAGE = 3
REPLY_PRIMING = 3


def default_pins(messages: Sequence[Message]) -> set[int]:
    """System messages, the first user message (the task) and the last message (latest result)."""
    pins = {i for i, m in enumerate(messages) if m.get("role") == "system"}
    users = [i for i, m in enumerate(messages) if m.get("role") == "user"]
    if users:
        pins.add(users[0])
    if messages:
        pins.add(len(messages) - 1)
    return pins


def fit_messages(
    messages: Sequence[Message],
    max_tokens: int,
    tool_output_tokens: int,
    model: str = "",
    pinned: Collection[int] | None = None,
) -> list[Message]:
    """Return a copy of `messages` whose prompt fits `max_tokens`.

    In order: cut long unpinned messages to `tool_output_tokens`; drop the oldest unpinned turns
    (an assistant tool call together with its results); finally cut the longest pinned messages.
    """
    pins = set(default_pins(messages) if pinned is None else pinned)
    kept = [
        (i, m if i in pins else _cut(m, tool_output_tokens, model)) for i, m in enumerate(messages)
    ]
    while count_messages([m for _, m in kept], model) > max_tokens:
        group = _oldest_droppable(kept, pins)
        if not group:
            break
        kept = [pair for pos, pair in enumerate(kept) if pos not in group]
    fitted = [m for _, m in kept]
    return _cut_pinned(fitted, max_tokens, model)


def _cut(message: Message, max_tokens: int, model: str) -> Message:
    content = message.get("content")
    if not isinstance(content, str) or count_text(content, model) <= max_tokens:
        return message
    return {**message, "content": truncate_text(content, max_tokens, model)}


def _oldest_droppable(kept: list[tuple[int, Message]], pins: set[int]) -> set[int]:
    for pos, (index, message) in enumerate(kept):
        if index in pins or message.get("role") == "tool":
            continue
        group = {pos}
        ids = {c.get("id") for c in message.get("tool_calls") or []}
        for later, (later_index, other) in enumerate(kept[pos + 1 :], start=pos + 1):
            if other.get("role") == "tool" and other.get("tool_call_id") in ids:
                if later_index in pins:
                    break
                group.add(later)
        else:
            return group
    return set()


def _cut_pinned(messages: list[Message], max_tokens: int, model: str) -> list[Message]:
    excess = count_messages(messages, model) - max_tokens
    while excess > 0:
        sizes = [count_text(str(m.get("content") or ""), model) for m in messages]
        largest = max(range(len(messages)), key=sizes.__getitem__)
        if sizes[largest] <= MIN_KEEP_TOKENS:
            break
        target = max(sizes[largest] - excess - 16, MIN_KEEP_TOKENS)
        messages[largest] = _cut(messages[largest], target, model)
        excess = count_messages(messages, model) - max_tokens
    return messages


def count_messages(messages: Sequence[Message], model: str = "") -> int:
    """Estimate the prompt tokens of a conversation, with OpenAI's per-message overhead."""
    total = REPLY_PRIMING
    for message in messages:
        total += TOKENS_PER_MESSAGE + count_text(message_text(message), model)
    return total


def message_text(message: Message) -> str:
    """The text of a message that costs tokens: content, plus tool calls as JSON."""
    content = message.get("content") or ""
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    if message.get("tool_calls"):
        text += json.dumps(message["tool_calls"], ensure_ascii=False)
    return text
