"""`agent model setup`: make the weights and the server ready, skipping whatever is already done."""

from __future__ import annotations

import time
from collections.abc import Iterator
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

from agent.fsutil import locked
from agent.llm.local import paths
from agent.llm.local.build import build_server, server_ready
from agent.llm.local.weights import adopt_existing, fetch_weights, weights_ready


@dataclass(frozen=True)
class SetupResult:
    """What setup did, for the summary line."""

    weights: str
    server: str
    seconds: float


def run_setup(console: Console) -> SetupResult:
    """Fetch and verify the weights and build llama-server, each only if not already done."""
    started = time.monotonic()
    with locked(paths.cache_root() / "setup"), _progress(console) as progress:
        weights = _weights(progress)
        server = _server(progress)
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


def _server(progress: Progress) -> str:
    if server_ready():
        return "already built"
    task = progress.add_task("Building llama-server", total=None)
    build_server(lambda text: progress.update(task, description=text))
    progress.update(task, description="llama-server built", total=1, completed=1)
    return "built from source"


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
