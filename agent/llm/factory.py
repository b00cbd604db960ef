"""Open the configured model, starting the bundled server when no endpoint is configured."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from agent.config.model import ModelSettings
from agent.llm.endpoint import Endpoint, resolve_endpoint
from agent.llm.local.server import ServerInfo
from agent.llm.protocol import ChatModel, Completion, Message, ModelError, Request


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
    from agent.llm.local.launch import bundled_server
    from agent.llm.local.server import read_state

    with bundled_server(threads=settings.local_threads, port=settings.local_port) as base_url:
        local = replace(endpoint, base_url=base_url)
        model = OpenAIChatModel(local, settings)
        server = read_state()
        yield (model if server is None else BundledModel(model, server)), local


class BundledModel:
    """The bundled server's model: a call that fails because the server died says how it died."""

    def __init__(self, inner: ChatModel, server: ServerInfo) -> None:
        self._inner = inner
        self._server = server

    @property
    def model_name(self) -> str:
        """The wrapped model's name."""
        return self._inner.model_name

    def complete(self, messages: Sequence[Message], request: Request | None = None) -> Completion:
        """Answer; when the call failed because the server died, say how it died."""
        from agent.llm.local.server import crash_report

        try:
            return self._inner.complete(messages, request)
        except ModelError as exc:
            crashed = crash_report(self._server, "answering a model request", grace_s=2.0)
            if crashed is None:
                raise
            raise ModelError(*crashed.lines) from exc
