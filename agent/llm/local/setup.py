"""`agent model setup`: make the weights and the server ready, then prove the server answers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from agent.llm.local import paths
from agent.llm.local.ladder import LadderResult, prove_server
from agent.llm.local.weights import adopt_existing, fetch_weights, weights_ready
from agent.system.fsutil import locked


@dataclass(frozen=True)
class SetupResult:
    """What setup did, for the summary line."""

    weights: str
    server: LadderResult
    seconds: float


def run_setup(console: Console, rebuild: bool = False, threads: int = 2) -> SetupResult:
    """Fetch and verify the weights, build llama-server if needed, and smoke-test it here."""
    started = time.monotonic()
    with locked(paths.cache_root() / "setup"), _progress(console) as progress:
        weights = _weights(progress)
        server = prove_server(_status(progress), rebuild=rebuild, threads=threads)
    return SetupResult(weights, server, time.monotonic() - started)


def _weights(progress: Progress) -> str:
    if weights_ready():
        return "already verified"
    task = progress.add_task("Verifying existing weights", total=paths.MODEL_SIZE)
    if adopt_existing(lambda n: progress.advance(task, n)):
        progress.update(task, description="Weights verified")
        return "verified existing file"
    progress.reset(task, description="Fetching weights")
    fetch_weights(
        lambda n: progress.advance(task, n),
        lambda text: progress.update(task, description=text),
    )
    progress.update(task, description="Weights joined and verified")
    return "downloaded and verified"


def _status(progress: Progress) -> Callable[[str], None]:
    task = progress.add_task("llama-server", total=None)

    def show(text: str) -> None:
        progress.update(task, description=text)

    return show


@contextmanager
def _progress(console: Console) -> Iterator[Progress]:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        yield progress
