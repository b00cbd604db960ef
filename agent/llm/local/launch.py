"""Start the bundled server proven on this CPU: a binary never run here answers a check first."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import urllib.error
from collections.abc import Iterator, Sequence
from types import FrameType

from agent.errors import InputError
from agent.llm.local.cpu import CpuInfo, read_cpu
from agent.llm.local.crash import ServerCrashError
from agent.llm.local.record import BuildRecord, add_verification, load_record, save_record
from agent.llm.local.server import (
    DEFAULT_NAME,
    ServerInfo,
    crash_report,
    healthy,
    read_state,
    start_server,
    stop_server,
)
from agent.llm.local.smoke import REQUEST_TIMEOUT_S, BadReplyError, Probe, probe

NO_REPACK = "--no-repack"  # skips the weight repacking paths (AMX among them) that can trap


def attempt(
    args: Sequence[str], threads: int, name: str, port: int = 0, measure: bool = True
) -> tuple[ServerInfo, Probe]:
    """Start a server with `args` and probe it; stop it and raise when either fails."""
    info = start_server(port, threads, extra_args=args, name=name, recorded_args=False)
    try:
        return info, probe(info.port, measure)
    except (OSError, urllib.error.URLError) as exc:
        crashed = crash_report(info, "answering its first request", name, grace_s=2.0)
        stop_server(name)
        if crashed is not None:
            raise crashed from exc
        if _timed_out(exc):  # slow is not broken: no other build would answer sooner
            raise InputError(
                f"the bundled server is running but did not answer within {REQUEST_TIMEOUT_S:.0f}s"
                f" (load average {os.getloadavg()[0]:.1f}): the machine is too busy; run the "
                "command again when it is quieter"
            ) from exc
        raise BadReplyError(f"the bundled server did not answer its first request: {exc}") from exc
    except BaseException:
        stop_server(name)
        raise


def _timed_out(exc: BaseException) -> bool:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    return isinstance(reason, TimeoutError)


def verify_here(
    record: BuildRecord, cpu: CpuInfo, threads: int, name: str, port: int = 0
) -> tuple[ServerInfo, BuildRecord]:
    """Probe the binary as recorded, then reconfigured without repacking; save what answered."""
    tries = [record.server_args]
    if NO_REPACK not in record.server_args:
        tries.append([*record.server_args, NO_REPACK])
    failure: ServerCrashError | BadReplyError | None = None
    for args in tries:
        try:
            info, seen = attempt(args, threads, name, port)
        except (ServerCrashError, BadReplyError) as exc:
            failure = failure or exc
            continue
        updated = record.model_copy(update={"server_args": list(args)})
        save_record(updated)
        return info, add_verification(updated, cpu, seen.prompt_tps, seen.generation_tps)
    assert failure is not None
    raise failure


def start_checked(port: int = 0, threads: int = 2, name: str = DEFAULT_NAME) -> ServerInfo:
    """Start the bundled server; first on a CPU where it never ran, prove that it answers."""
    record, cpu = load_record(), read_cpu()
    if record is None or record.verified_on(cpu) is not None or read_state(name) is not None:
        return start_server(port=port, threads=threads, name=name)
    info, _record = verify_here(record, cpu, threads, name, port)
    return info


@contextlib.contextmanager
def bundled_server(threads: int = 2, port: int = 0) -> Iterator[str]:
    """Yield the base URL of a healthy bundled server; stop it on exit if this call started it."""
    existing = read_state()
    if existing is not None and healthy(existing.port):
        yield existing.base_url
        return
    with _sigterm_as_interrupt():
        info = start_checked(port=port, threads=threads)
        try:
            yield info.base_url
        finally:
            if read_state() == info:
                stop_server()


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt so `finally` stops the server (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
