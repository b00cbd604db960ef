"""Prove a llama-server answers: one real chat completion checked, one timed generation."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from agent.errors import InputError
from agent.llm.local.server import HOST

CHECK_WORD = "ready"
CHECK_PROMPT = (
    "You are checking that a local language model server works. The server was just built "
    "from source on this machine and this is its first request. Its reply is read by a "
    f"program, not a person. Reply with the single word {CHECK_WORD} and nothing else."
)
MEASURE_PROMPT = "Count from 1 upwards, one number per line."
MEASURE_TOKENS = 48
REQUEST_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class Probe:
    """What the smoke test saw: the reply to the check and the measured speeds."""

    reply: str
    prompt_tps: float
    generation_tps: float


class BadReplyError(InputError):
    """The server answered, but not with a well-formed or correct reply."""


def probe(port: int, measure: bool = True) -> Probe:
    """Send the check request (and a timed one); raise when the reply is wrong."""
    answer = _chat(port, CHECK_PROMPT, 8, ignore_eos=False)
    reply = _content(answer)
    if CHECK_WORD not in reply.lower():
        raise BadReplyError(
            f"the bundled server answered, but not as asked: {reply[:200]!r}",
            f"(asked for the single word {CHECK_WORD!r}; a miscompiled server answers noise)",
        )
    timings = _chat(port, MEASURE_PROMPT, MEASURE_TOKENS, ignore_eos=True) if measure else answer
    prompt_tps, generation_tps = _speeds(timings)
    return Probe(reply.strip(), prompt_tps, generation_tps)


def _chat(port: int, prompt: str, max_tokens: int, ignore_eos: bool) -> dict[str, Any]:
    body = {"messages": [{"role": "user", "content": prompt}], "max_tokens": max_tokens,
            "temperature": 0, "ignore_eos": ignore_eos, "cache_prompt": False}  # fmt: skip
    request = urllib.request.Request(
        f"http://{HOST}:{port}/v1/chat/completions",
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"},
    )
    started = time.monotonic()
    # The URL is always http://127.0.0.1:<port>/..., built above.
    with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:  # noqa: S310
        answer: dict[str, Any] = json.loads(response.read().decode("utf-8"))
    answer.setdefault("_wall_s", time.monotonic() - started)
    return answer


def _content(answer: dict[str, Any]) -> str:
    try:
        content = answer["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise BadReplyError(
            f"the bundled server's reply is not a chat completion: {str(answer)[:200]}"
        ) from None
    if not isinstance(content, str) or not content.strip():
        raise BadReplyError("the bundled server answered with an empty message")
    return content


def _speeds(answer: dict[str, Any]) -> tuple[float, float]:
    """Prompt and generation tokens/s: llama-server's own timings, else usage over wall time."""
    timings = answer.get("timings")
    if isinstance(timings, dict):
        return float(timings.get("prompt_per_second", 0.0)), float(
            timings.get("predicted_per_second", 0.0)
        )
    usage = answer.get("usage") or {}
    wall = max(float(answer.get("_wall_s", 0.0)), 1e-6)
    return 0.0, float(usage.get("completion_tokens", 0)) / wall


def is_connection_error(exc: BaseException) -> bool:
    """True for the errors a server that died mid-request causes."""
    return isinstance(exc, (urllib.error.URLError, ConnectionError, TimeoutError)) and not (
        isinstance(exc, urllib.error.HTTPError)
    )
