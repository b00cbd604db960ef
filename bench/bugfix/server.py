"""Start a private copy of the bundled llama-server for the benchmark, and stop it by pid."""

from __future__ import annotations

import time
from pathlib import Path

from agent.llm.local import paths
from agent.llm.local.server import CONTEXT_TOKENS, free_port, healthy, needed_args
from agent.system import proc


def start_private_server(log: Path, threads: int = 2, wait_s: float = 300) -> tuple[int, str]:
    """Run llama-server (greedy decoding) on a free port; return (pid, base URL)."""
    binary, model = paths.server_binary(), paths.model_path()
    if not binary.is_file() or not model.is_file():
        raise SystemExit("the bundled model is not set up: run `agent model setup` first")
    port = free_port()
    args = [str(binary), "-m", str(model), "--host", "127.0.0.1", "--port", str(port)]
    args += ["--jinja", "-t", str(threads), "-c", str(CONTEXT_TOKENS), "--temp", "0"]
    pid = proc.spawn([*args, "--no-webui", *needed_args()], log)
    deadline = time.monotonic() + wait_s
    while not healthy(port):
        if time.monotonic() > deadline or not proc.pid_alive(pid):
            proc.kill_group(pid)
            raise SystemExit(f"llama-server did not start; see {log}")
        time.sleep(0.5)
    return pid, f"http://127.0.0.1:{port}"
