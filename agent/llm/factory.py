"""Open the configured model, starting the bundled server when no endpoint is configured."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import replace

from agent.llm.endpoint import Endpoint, resolve_endpoint
from agent.llm.protocol import ChatModel
from agent.llm.settings import ModelSettings


@contextlib.contextmanager
def open_model(
    settings: ModelSettings, env: Mapping[str, str] | None = None
) -> Iterator[tuple[ChatModel, Endpoint]]:
    """Yield a ready ChatModel; a bundled server started here is stopped on exit and on Ctrl-C."""
    from agent.llm.client import OpenAIChatModel

    endpoint = resolve_endpoint(settings, env)
    if not endpoint.bundled:
        yield OpenAIChatModel(endpoint, settings), endpoint
        return
    from agent.llm.local.server import bundled_server

    with bundled_server(threads=settings.local_threads, port=settings.local_port) as base_url:
        local = replace(endpoint, base_url=base_url)
        yield OpenAIChatModel(local, settings), local
