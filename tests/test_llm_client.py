"""Retries: 429, 5xx and connection errors are retried with backoff; other 4xx are not."""

from __future__ import annotations

import openai
import pytest

try:  # openai 3.x runs on httpx2, openai 1.x on httpx
    import httpx2 as httpx
except ImportError:  # pragma: no cover
    import httpx  # type: ignore[no-redef]

from agent.llm.client import is_retryable, with_retries

REQUEST = httpx.Request("POST", "http://127.0.0.1:1/v1/chat/completions")


def _status(code: int) -> openai.APIStatusError:
    response = httpx.Response(code, request=REQUEST)
    return openai.APIStatusError(f"HTTP {code}", response=response, body=None)


@pytest.mark.parametrize("code", [429, 500, 502, 503])
def test_rate_limits_and_server_errors_are_retried(code: int) -> None:
    assert is_retryable(_status(code))


@pytest.mark.parametrize("code", [400, 401, 403, 404, 422])
def test_other_client_errors_are_not_retried(code: int) -> None:
    assert not is_retryable(_status(code))


def test_connection_errors_are_retried() -> None:
    assert is_retryable(openai.APIConnectionError(request=REQUEST))


def test_backoff_doubles_and_gives_up_after_the_retries() -> None:
    sleeps: list[float] = []
    attempts = []

    def failing() -> str:
        attempts.append(1)
        raise _status(503)

    with pytest.raises(openai.APIStatusError):
        with_retries(failing, is_retryable, attempts=3, backoff_s=0.5, sleep=sleeps.append)
    assert len(attempts) == 4 and sleeps == [0.5, 1.0, 2.0]


def test_a_bad_request_fails_at_once_and_a_transient_error_recovers() -> None:
    calls = []

    def bad() -> str:
        calls.append(1)
        raise _status(400)

    with pytest.raises(openai.APIStatusError):
        with_retries(bad, is_retryable, attempts=3, backoff_s=0, sleep=lambda s: None)
    assert len(calls) == 1
    outcomes = iter([_status(429), "ok"])

    def flaky() -> str:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert with_retries(flaky, is_retryable, attempts=1, backoff_s=0, sleep=lambda s: None) == "ok"
