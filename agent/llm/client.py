"""The OpenAI-compatible client: the only module that imports `openai`."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import openai

from agent.config.model import ModelSettings
from agent.llm.endpoint import Endpoint
from agent.llm.protocol import Completion, Message, ModelError, Request, ToolCall, Usage

RETRYABLE_STATUS = frozenset({408, 429})
T = TypeVar("T")


def is_retryable_status(status: int) -> bool:
    """True for statuses worth retrying: 429 (rate limit), 408 and every 5xx."""
    return status in RETRYABLE_STATUS or status >= 500


def is_retryable(exc: Exception) -> bool:
    """True for connection errors, timeouts, 429 and 5xx; False for other 4xx and the rest."""
    if isinstance(exc, openai.APIStatusError):
        return is_retryable_status(exc.status_code)
    return isinstance(exc, openai.APIConnectionError)


def with_retries(
    call: Callable[[], T],
    retryable: Callable[[Exception], bool],
    attempts: int,
    backoff_s: float,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run `call`, retrying retryable errors up to `attempts` more times with doubling delays."""
    for attempt in range(attempts + 1):
        try:
            return call()
        except Exception as exc:
            if attempt >= attempts or not retryable(exc):
                raise
            sleep(backoff_s * (2**attempt))
    raise AssertionError("unreachable")  # pragma: no cover


class OpenAIChatModel:
    """ChatModel over any OpenAI-compatible /v1/chat/completions endpoint."""

    def __init__(self, endpoint: Endpoint, settings: ModelSettings) -> None:
        self._endpoint = endpoint
        self._settings = settings
        self._client = openai.OpenAI(
            api_key=endpoint.api_key,
            base_url=endpoint.base_url or None,
            timeout=settings.timeout_s,
            max_retries=0,
        )

    @property
    def model_name(self) -> str:
        """The model name sent with every request."""
        return self._endpoint.model

    def complete(self, messages: Sequence[Message], request: Request | None = None) -> Completion:
        """Send one chat completion request, retrying transient failures with backoff."""
        kwargs = self._kwargs(messages, request or Request())
        started = time.monotonic()
        try:
            response = with_retries(
                lambda: self._client.chat.completions.create(**kwargs),
                is_retryable,
                self._settings.max_retries,
                self._settings.retry_backoff_s,
            )
        except openai.OpenAIError as exc:
            raise ModelError(_describe(exc, self._endpoint)) from exc
        return _to_completion(response, time.monotonic() - started)

    def _kwargs(self, messages: Sequence[Message], request: Request) -> dict[str, Any]:
        limit_key = "max_completion_tokens" if self._endpoint.is_openai else "max_tokens"
        kwargs: dict[str, Any] = {
            "model": self._endpoint.model,
            "messages": list(messages),
            "temperature": self._settings.temperature,
            limit_key: request.max_tokens or self._settings.max_completion_tokens,
        }
        if request.tools:
            kwargs["tools"] = list(request.tools)
            if request.tool_choice:
                kwargs["tool_choice"] = request.tool_choice
        if request.response_format is not None:
            kwargs["response_format"] = request.response_format
        kwargs.update(request.extra)
        return kwargs


def _to_completion(response: Any, latency_s: float) -> Completion:
    if not response.choices:
        raise ModelError("the model returned no choices")
    choice = response.choices[0]
    calls = tuple(
        ToolCall(call.id or f"call_{i}", call.function.name, call.function.arguments or "")
        for i, call in enumerate(choice.message.tool_calls or [])
        if getattr(call, "function", None) is not None
    )
    usage = None
    if response.usage is not None:
        usage = Usage(response.usage.prompt_tokens or 0, response.usage.completion_tokens or 0)
    return Completion(
        content=choice.message.content,
        tool_calls=calls,
        usage=usage,
        model=response.model or "",
        finish_reason=choice.finish_reason or "",
        latency_s=latency_s,
    )


def _describe(exc: openai.OpenAIError, endpoint: Endpoint) -> str:
    where = endpoint.base_url or "the OpenAI API"
    if isinstance(exc, openai.AuthenticationError):
        return f"{where}: authentication failed (check the API key variable)"
    if isinstance(exc, openai.APIStatusError):
        return f"{where}: HTTP {exc.status_code}: {exc.message}"
    if isinstance(exc, openai.APIConnectionError):
        return f"{where}: cannot connect ({exc.__class__.__name__}: {exc})"
    return f"{where}: {exc}"
