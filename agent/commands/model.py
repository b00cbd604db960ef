"""`agent model setup|serve|status|stop`: manage the bundled local model."""

from __future__ import annotations

from rich.console import Console

from agent.llm.local import paths
from agent.llm.local.build import server_ready
from agent.llm.local.server import describe, log_path, read_state, start_server, stop_server
from agent.llm.local.setup import run_setup
from agent.llm.local.weights import weights_ready


def setup_model() -> None:
    """Fetch, verify and build everything the bundled model needs (idempotent)."""
    console = Console(stderr=True)
    result = run_setup(console)
    console.print(
        f"weights: {result.weights}; llama-server: {result.server} ({result.seconds:.1f}s)\n"
        f"model: {paths.model_path()}\nserver: {paths.server_binary()}"
    )


def serve_model(port: int, threads: int) -> None:
    """Start the bundled server in the background and print its base URL."""
    info = start_server(port=port, threads=threads)
    print(info.base_url)
    Console(stderr=True).print(
        f"bundled server pid {info.pid} (log: {log_path()}); stop it with `agent model stop`"
    )


def model_status() -> None:
    """Show whether the weights and the server are set up, and whether the server runs."""
    print(f"weights: {'ready' if weights_ready() else 'missing'} ({paths.model_path()})")
    print(f"llama-server: {'ready' if server_ready() else 'missing'} ({paths.server_binary()})")
    print(describe(read_state()))


def stop_model() -> None:
    """Stop the bundled server if it runs."""
    info = stop_server()
    print("bundled server: not running" if info is None else f"stopped pid {info.pid}")
