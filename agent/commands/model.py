"""`agent model setup|serve|status|stop`: manage the bundled local model."""

from __future__ import annotations

import time

from rich.console import Console
from rich.markup import escape

from agent.llm.local import paths
from agent.llm.local.build import server_ready
from agent.llm.local.cpu import read_cpu
from agent.llm.local.launch import start_checked
from agent.llm.local.record import BuildRecord, load_record
from agent.llm.local.server import describe, log_path, read_state, stop_server
from agent.llm.local.setup import run_setup
from agent.llm.local.weights import weights_ready


def setup_model(rebuild: bool = False, threads: int = 2) -> None:
    """Fetch, verify and build everything the bundled model needs, then prove the server."""
    console = Console(stderr=True)
    result = run_setup(console, rebuild=rebuild, threads=threads)
    outcome = result.server
    for note in outcome.notes:
        console.print(f"fell back after: {escape(note)}")
    speed = outcome.probe or outcome.record.verified_on(read_cpu())
    rates = (
        f"{speed.prompt_tps:.1f} prompt, {speed.generation_tps:.1f} generation tok/s"
        if speed
        else ""
    )
    console.print(
        f"weights: {result.weights}; llama-server: {outcome.action} "
        f"({outcome.record.tier}; {result.seconds:.1f}s)\n"
        f"smoke test: answered on this CPU, {rates}\n"
        f"model: {paths.model_path()}\nserver: {paths.server_binary()}",
        highlight=False,
    )


def serve_model(port: int, threads: int) -> None:
    """Start the bundled server in the background and print its base URL."""
    info = start_checked(port=port, threads=threads)
    print(info.base_url)
    Console(stderr=True).print(
        f"bundled server pid {info.pid} (log: {log_path()}); stop it with `agent model stop`"
    )


def model_status() -> None:
    """Show the weights, how the server was built and where it answered, and whether it runs."""
    print(f"weights: {'ready' if weights_ready() else 'missing'} ({paths.model_path()})")
    print(f"llama-server: {'ready' if server_ready() else 'missing'} ({paths.server_binary()})")
    if server_ready():
        for line in build_lines(load_record()):
            print(f"  {line}")
    print(describe(read_state()))


def build_lines(record: BuildRecord | None) -> list[str]:
    """The build record as lines, and whether this CPU still needs a check."""
    if record is None:
        return ["no build record (built by an older agent): run `agent model setup --rebuild`"]
    cpu = read_cpu()
    here = record.verified_on(cpu)
    lines = [
        f"build: {record.tier}, llama.cpp {record.llama_version}, {record.build_s:.0f}s, "
        f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(record.built_at))}",
        f"built on: {record.built_on} ({' '.join(record.built_on_isa)})",
        f"cmake: {' '.join(record.cmake_flags)}",
        f"server arguments: {' '.join(record.server_args) or '(none)'}",
    ]
    if here is None:
        lines.append(f"this CPU ({cpu.model}): not verified yet; checked before first use")
    else:
        lines.append(
            f"this CPU ({cpu.model}): verified, {here.prompt_tps:.1f} prompt / "
            f"{here.generation_tps:.1f} generation tok/s"
        )
    return lines


def stop_model() -> None:
    """Stop the bundled server if it runs."""
    info = stop_server()
    print("bundled server: not running" if info is None else f"stopped pid {info.pid}")
