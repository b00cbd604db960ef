"""A model that starts its endpoint (maybe the bundled server) on the first call, and stops it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from agent.config.settings import Settings
from agent.llm.endpoint import resolve_endpoint
from agent.llm.factory import open_model
from agent.llm.protocol import ChatModel, Completion, Message, Request


class LazyModel:
    """Defers `open_model` until a phase really needs the model (discover-only runs never do)."""

    def __init__(self, settings: Settings, stack: contextlib.ExitStack) -> None:
        self._settings = settings
        self._stack = stack
        self._model: ChatModel | None = None
        self._name = resolve_endpoint(settings.model).model

    @property
    def model_name(self) -> str:
        """The configured model's name, known without starting anything."""
        return self._name

    def complete(self, messages: Sequence[Message], request: Request | None = None) -> Completion:
        """Open the endpoint on first use, then answer."""
        if self._model is None:
            self._model, _endpoint = self._stack.enter_context(open_model(self._settings.model))
        return self._model.complete(messages, request)

    @staticmethod
    @contextlib.contextmanager
    def scope(model: ChatModel | None, settings: Settings) -> Iterator[ChatModel]:
        """Yield `model` if given, else a LazyModel whose server is stopped on exit."""
        if model is not None:
            yield model
            return
        with contextlib.ExitStack() as stack:
            yield LazyModel(settings, stack)
