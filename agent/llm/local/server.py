"""Start, find and stop the bundled llama-server on 127.0.0.1 (pid file in the cache directory)."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from agent.errors import InputError
from agent.llm.local import paths
from agent.llm.local.crash import WRAPPER, ServerCrashError, crash_error, exit_status, log_tail
from agent.llm.local.record import load_record
from agent.system.fsutil import atomic_write_text
from agent.system.proc import kill_group, pid_alive, spawn

HOST = "127.0.0.1"
HEALTH_TIMEOUT_S = 180.0
CONTEXT_TOKENS = 8192
DEFAULT_NAME = "server"


@dataclass(frozen=True)
class ServerInfo:
    """A bundled server this user started (possibly from another process)."""

    pid: int
    port: int
    started_at: float

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL."""
        return f"http://{HOST}:{self.port}/v1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def healthy(port: int, timeout: float = 2.0) -> bool:
    """True when the server on `port` answers /health with 200 (model loaded)."""
    url = f"http://{HOST}:{port}/health"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def read_state(name: str = DEFAULT_NAME) -> ServerInfo | None:
    """The recorded server if its process is still alive; a stale pid file is removed."""
    state = paths.server_state(name)
    try:
        info = ServerInfo(**json.loads(state.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if pid_alive(info.pid):
        return info
    with contextlib.suppress(FileNotFoundError):
        state.unlink()
    return None


def start_server(
    port: int = 0,
    threads: int = 2,
    wait_s: float = HEALTH_TIMEOUT_S,
    extra_args: Sequence[str] = (),
    name: str = DEFAULT_NAME,
    recorded_args: bool = True,
) -> ServerInfo:
    """Start llama-server in the background (or return the running one) and wait until healthy.

    The arguments the build record says this binary needs come first unless `recorded_args`
    is False (the smoke test tries configurations of its own).
    """
    running = read_state(name)
    if running is not None:
        if port and running.port != port:
            raise InputError(
                f"the bundled server already runs on port {running.port} (pid {running.pid})"
            )
        _wait_healthy(running, wait_s, name)
        return running
    binary, model = paths.server_binary(), paths.model_path()
    if not binary.is_file() or not model.is_file():
        raise InputError("the bundled model is not set up: run `agent model setup` first")
    chosen = port or free_port()
    recorded = needed_args() if recorded_args else []
    args = [str(binary), "-m", str(model), "--host", HOST, "--port", str(chosen), "--jinja",
            "-t", str(threads), "-c", str(CONTEXT_TOKENS), "--no-webui"]  # fmt: skip
    args += [*recorded, *extra_args]
    log = paths.server_log(name)
    log.unlink(missing_ok=True)  # this start's lines only: the crash report reads the tail
    pid = spawn(_wrapped(args), log)
    info = ServerInfo(pid, chosen, time.time())
    atomic_write_text(paths.server_state(name), json.dumps(asdict(info)))
    try:
        _wait_healthy(info, wait_s, name)
    except BaseException:
        stop_server(name)
        raise
    return info


def needed_args() -> list[str]:
    """The server arguments the build record says this binary needs (e.g. --no-repack)."""
    record = load_record()
    return list(record.server_args) if record is not None else []


def _wrapped(args: list[str]) -> list[str]:
    """Run through sh so the log ends with the exit status, whoever started the server."""
    shell = shutil.which("sh")
    return [shell, "-c", WRAPPER, "llama-server", *args] if shell else args


def _wait_healthy(info: ServerInfo, wait_s: float, name: str) -> None:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if healthy(info.port):
            return
        crashed = crash_report(info, "starting", name)
        if crashed is not None:
            raise crashed
        time.sleep(0.25)
    raise InputError(
        f"the bundled server did not become healthy within {wait_s:.0f}s:", *_log_tail(name)
    )


def crash_report(
    info: ServerInfo, what: str, name: str = DEFAULT_NAME, grace_s: float = 0.0
) -> ServerCrashError | None:
    """The explained error when the server's process has ended (within `grace_s`), else None."""
    deadline = time.monotonic() + grace_s
    while pid_alive(info.pid):
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)
    log = paths.server_log(name)
    return crash_error(what, exit_status(log), log, log_tail(log))


def _log_tail(name: str, lines: int = 10) -> list[str]:
    return log_tail(paths.server_log(name), lines)


def stop_server(name: str = DEFAULT_NAME) -> ServerInfo | None:
    """Stop the recorded server by its pid and remove the pid file; return what was stopped."""
    info = read_state(name)
    if info is not None:
        kill_group(info.pid)
    with contextlib.suppress(FileNotFoundError):
        paths.server_state(name).unlink()
    return info


def describe(info: ServerInfo | None) -> str:
    """One line about the server for `agent model status`."""
    if info is None:
        return "bundled server: not running"
    state = "healthy" if healthy(info.port) else "starting or unresponsive"
    return f"bundled server: pid {info.pid}, {info.base_url}, {state}"


def log_path() -> Path:
    """Where the server writes its output."""
    return paths.server_log()
