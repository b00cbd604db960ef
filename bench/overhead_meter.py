"""Instrumentation for bench/overhead.py: wall time per category at the seams of a run.

Subprocesses (agent.system.proc.run/spawn, classified by argv), gitpython's calls, the ChatModel and
LangGraph's SqliteSaver are wrapped; only the outermost timed section counts.
"""

from __future__ import annotations

import contextlib
import cProfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Meter:
    """Wall time per category; only the outermost timed section counts."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    profiler: cProfile.Profile | None = None
    checkpoint_s: float = 0.0
    _inside: bool = False
    _local: threading.local = field(default_factory=threading.local)

    @contextlib.contextmanager
    def timed(self, category: str) -> Iterator[None]:
        """Count the block's wall time under `category` (pausing the own-code profiler)."""
        if self._inside:
            yield
            return
        self._inside = True
        if self.profiler:
            self.profiler.disable()
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[category] += time.perf_counter() - started
            self.calls[category] += 1
            self._inside = False
            if self.profiler:
                self.profiler.enable()

    @contextlib.contextmanager
    def checkpointing(self) -> Iterator[None]:
        """Count SqliteSaver time (part of our own code; it may run in LangGraph's worker)."""
        if getattr(self._local, "busy", False):
            yield
            return
        self._local.busy = True
        started = time.perf_counter()
        try:
            yield
        finally:
            self.checkpoint_s += time.perf_counter() - started
            self._local.busy = False


def classify(args: Sequence[str]) -> str:
    """The category of a command line: tests, git, scanners or other."""
    words = [Path(str(arg)).name for arg in list(args)[:3]]
    if words and words[0] == "git":
        return "git"
    if "pytest" in words:
        return "tests"
    return "scanners" if {"ruff", "bandit"} & set(words) else "other"


def _wrap(meter: Meter, function: Callable[..., Any], category: Callable[..., str]) -> Any:
    def timed(*args: Any, **kwargs: Any) -> Any:
        with meter.timed(category(*args, **kwargs)):
            return function(*args, **kwargs)

    return timed


@contextlib.contextmanager
def instrument(meter: Meter) -> Iterator[None]:
    """Time every subprocess (agent.system.proc) and gitpython call while the block runs."""
    from unittest import mock

    import git.cmd
    from langgraph.checkpoint.sqlite import SqliteSaver

    from agent.system import proc

    by_argv = lambda args, *_a, **_k: classify(args)  # noqa: E731
    as_git = lambda *_a, **_k: "git"  # noqa: E731
    with contextlib.ExitStack() as stack:
        for name in ("run", "spawn"):
            wrapped = _wrap(meter, getattr(proc, name), by_argv)
            stack.enter_context(mock.patch.object(proc, name, wrapped))
        for name in ("execute", "get_object_header", "get_object_data", "stream_object_data"):
            wrapped = _wrap(meter, getattr(git.cmd.Git, name), as_git)
            stack.enter_context(mock.patch.object(git.cmd.Git, name, wrapped))
        for name in ("setup", "put", "put_writes", "get_tuple", "list"):
            wrapped = _within(meter.checkpointing, getattr(SqliteSaver, name))
            stack.enter_context(mock.patch.object(SqliteSaver, name, wrapped))
        yield


def _within(context: Callable[[], Any], function: Callable[..., Any]) -> Any:
    def timed(*args: Any, **kwargs: Any) -> Any:
        with context():
            return function(*args, **kwargs)

    return timed


class TimedModel:
    """A ChatModel that counts the time of each `complete` as model time."""

    def __init__(self, model: Any, meter: Meter) -> None:
        self._model = model
        self._meter = meter

    @property
    def model_name(self) -> str:
        """The wrapped model's name."""
        return str(self._model.model_name)

    def complete(self, messages: Any, request: Any = None) -> Any:
        """Answer through the wrapped model, timed."""
        with self._meter.timed("model"):
            return self._model.complete(messages, request)
