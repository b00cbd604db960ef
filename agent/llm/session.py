"""One model step: fit the window, check caps, call, account, log, decode the action."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from agent.config.model import ModelSettings
from agent.llm.actions import Action, ActionError, Mode, parse_action, request_for
from agent.llm.budget import FREE, Ledger, price_for
from agent.llm.context_window import count_messages, fit_messages, message_text
from agent.llm.protocol import ChatModel, Completion, Message, Request, Usage
from agent.llm.trajectory import TrajectoryLog
from agent.text.tokens import count_text
from agent.tools.base import ToolResult, ToolSpec

REPAIR_PROMPT = (
    "Your last reply was not a valid action: {error}\n"
    "Reply again with exactly one valid action that fixes this."
)


@dataclass(frozen=True)
class Step:
    """The outcome of asking for one action: an Action, or a failed step with the reason."""

    action: Action | None
    reply: Message | None
    error: str | None = None
    attempts: int = 1

    @property
    def failed(self) -> bool:
        """True when no valid action came back, even after the repair turn."""
        return self.action is None


class ModelSession:
    """Every model call of the agent goes through here, so caps and the log see all of them."""

    def __init__(
        self,
        model: ChatModel,
        settings: ModelSettings,
        ledger: Ledger,
        mode: Mode,
        log: TrajectoryLog | None = None,
    ) -> None:
        self.model = model
        self.settings = settings
        self.ledger = ledger
        self.mode = mode
        self.log = log
        self._price = price_for(model.model_name, settings.prices)

    def reply(
        self,
        messages: Sequence[Message],
        item_id: str,
        phase: str,
        request: Request | None = None,
        pinned: Collection[int] | None = None,
    ) -> Completion:
        """Make one capped, accounted, logged call; raise BudgetExceeded before crossing a cap."""
        request = request or Request()
        tools_tokens = self._tools_tokens(request)
        reply_cap = request.max_tokens or self.settings.max_completion_tokens
        room = self.settings.context_window - reply_cap
        fitted = fit_messages(
            messages,
            int(room / self.ledger.prompt_ratio) - tools_tokens,
            self.settings.tool_output_tokens,
            self.model.model_name,
            pinned,
        )
        estimate = count_messages(fitted, self.model.model_name) + tools_tokens
        price = self._price or FREE
        self.ledger.check(self.settings, price, item_id, phase, estimate, reply_cap)
        completion = self.model.complete(fitted, request)
        usage, source = self._usage(completion, estimate)
        cost = self.ledger.record(item_id, phase, usage, self._price or FREE, estimate)
        self._log_call(item_id, phase, fitted, completion, usage, source, cost)
        return completion

    def next_action(
        self,
        messages: Sequence[Message],
        specs: Sequence[ToolSpec],
        item_id: str,
        phase: str,
        pinned: Collection[int] | None = None,
    ) -> Step:
        """Ask for one action; an invalid reply gets one repair turn, then the step fails."""
        request = request_for(self.mode, specs)
        conversation = list(messages)
        error = ""
        for attempt in (1, 2):
            completion = self.reply(conversation, item_id, phase, request, pinned)
            try:
                action = parse_action(self.mode, completion, specs)
            except ActionError as exc:
                error = str(exc)
                self._event("invalid_action", item_id, phase, error=error, attempt=attempt)
                conversation += self._repair_turn(completion, error)
                continue
            return Step(action, _reply_for(completion, action), attempts=attempt)
        self._event("failed_step", item_id, phase, error=error)
        return Step(None, None, error, attempts=2)

    def tool_message(self, action: Action, result: ToolResult, item_id: str, phase: str) -> Message:
        """Log a tool result and return it as the message the model reads next."""
        self._event(
            "tool_result", item_id, phase, tool=action.tool,
            args=action.args.model_dump(mode="json"), ok=result.ok,
            returncode=result.returncode, output=result.output,
        )  # fmt: skip
        text = f"[{'ok' if result.ok else 'failed'}] {action.tool}\n{result.output}"
        if self.mode == "native" and action.call_id:
            return {"role": "tool", "tool_call_id": action.call_id, "content": text}
        return {"role": "user", "content": f"Result of {text}"}

    def _repair_turn(self, completion: Completion, error: str) -> list[Message]:
        prompt = REPAIR_PROMPT.format(error=error)
        assistant = completion.as_message()
        if self.mode == "native" and completion.tool_calls:
            tool_turns: list[Message] = [
                {"role": "tool", "tool_call_id": call.id, "content": prompt}
                for call in completion.tool_calls
            ]
            return [assistant, *tool_turns]
        return [assistant, {"role": "user", "content": prompt}]

    def _usage(self, completion: Completion, prompt_estimate: int) -> tuple[Usage, str]:
        if completion.usage is not None:
            return completion.usage, "server"
        produced = message_text(completion.as_message())
        return Usage(prompt_estimate, count_text(produced, self.model.model_name)), "tiktoken"

    def _tools_tokens(self, request: Request) -> int:
        if not request.tools:
            return 0
        return count_text(json.dumps(list(request.tools)), self.model.model_name)

    def _log_call(
        self,
        item_id: str,
        phase: str,
        messages: Sequence[Message],
        completion: Completion,
        usage: Usage,
        source: str,
        cost: float,
    ) -> None:
        self._event(
            "model_call", item_id, phase, model=self.model.model_name, messages=list(messages),
            reply=completion.as_message(), finish_reason=completion.finish_reason,
            prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
            usage_source=source, cost_usd=cost, priced=self._price is not None,
            latency_s=round(completion.latency_s, 3),
        )  # fmt: skip

    def _event(self, kind: str, item_id: str, phase: str, **fields: object) -> None:
        if self.log is not None:
            self.log.append({"event": kind, "item": item_id, "phase": phase, **fields})


def _reply_for(completion: Completion, action: Action) -> Message:
    """The assistant message to keep: in native mode only the tool call that will be executed."""
    message = completion.as_message()
    if action.call_id and completion.tool_calls:
        message["tool_calls"] = [c for c in message["tool_calls"] if c["id"] == action.call_id]
    return message
