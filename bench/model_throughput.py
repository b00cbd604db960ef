"""Benchmark the bundled model through the agent's own client, and `agent model setup` when set up.

Usage: .venv/bin/python bench/model_throughput.py [--runs 3]

- prompt tokens/s: a ~1,500-token prompt with max_tokens=1, so the call is almost all prompt work;
- generation tokens/s: a short prompt, 128 tokens generated (ignore_eos), minus the short prompt's
  own time measured with max_tokens=1;
- setup: wall time of `agent model setup` in a fresh process when everything is already in place.
Prompt caching is disabled per request (`cache_prompt: false`) so every run re-reads its prompt.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from agent.config.model import ModelSettings
from agent.llm.client import OpenAIChatModel
from agent.llm.endpoint import BUNDLED_MODEL, Endpoint
from agent.llm.local.launch import bundled_server
from agent.llm.protocol import Message, Request
from agent.system.proc import run

SOURCE = Path(__file__).resolve().parent.parent / "agent" / "llm" / "session.py"
NO_CACHE = {"cache_prompt": False}


def _call(
    model: OpenAIChatModel, text: str, max_tokens: int, ignore_eos: bool
) -> tuple[float, int]:
    body = {**NO_CACHE, "ignore_eos": ignore_eos}
    messages: list[Message] = [{"role": "user", "content": text}]
    completion = model.complete(
        messages, Request(max_tokens=max_tokens, extra={"extra_body": body})
    )
    if completion.usage is None:
        raise SystemExit("the server reported no usage")
    tokens = (
        completion.usage.completion_tokens if max_tokens > 1 else completion.usage.prompt_tokens
    )
    return completion.latency_s, tokens


def _throughput(model: OpenAIChatModel, runs: int) -> tuple[float, float, int]:
    long_prompt = "Summarise this module:\n" + SOURCE.read_text(encoding="utf-8")
    short = "Count from 1 upwards, one number per line."
    prompt_rates, gen_rates = [], []
    prompt_tokens = 0
    for _ in range(runs):
        seconds, prompt_tokens = _call(model, long_prompt, 1, False)
        prompt_rates.append(prompt_tokens / seconds)
        base, _ = _call(model, short, 1, False)
        seconds, generated = _call(model, short, 128, True)
        gen_rates.append(generated / max(seconds - base, 1e-6))
    return statistics.median(prompt_rates), statistics.median(gen_rates), prompt_tokens


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    started = time.monotonic()
    setup = run([sys.executable, "-m", "agent", "model", "setup"], timeout=3600)
    setup_s = time.monotonic() - started
    print(f"agent model setup (already set up): {setup_s:.2f} s wall, exit {setup.returncode}")
    settings = ModelSettings(temperature=0.0, max_retries=0)
    with bundled_server(threads=settings.local_threads) as base_url:
        endpoint = Endpoint(base_url, "local-no-key", BUNDLED_MODEL, True, "json")
        model = OpenAIChatModel(endpoint, settings)
        _call(model, "warm up", 4, False)
        prompt_rate, gen_rate, prompt_tokens = _throughput(model, args.runs)
    print(f"prompt: {prompt_rate:.1f} tok/s (median of {args.runs}, {prompt_tokens}-token prompt)")
    print(f"generation: {gen_rate:.1f} tok/s (median of {args.runs}, 128 tokens)")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average during the run: {load} on {os.cpu_count()} CPUs (others' work slows it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
