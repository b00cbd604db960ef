"""Explain how the bundled server ended: the signal or exit status, what it means, the fix."""

from __future__ import annotations

import re
import signal
from pathlib import Path

from agent.errors import InputError

# The wrapper that starts llama-server appends this line to the log when the server ends,
# so any process (not only the parent) can tell how it ended.
STATUS_LINE = "[agent] llama-server exited with status"
STATUS_RE = re.compile(re.escape(STATUS_LINE) + r" (\d+)")
WRAPPER = f'"$@"; echo "{STATUS_LINE} $?"'
REBUILD = "`agent model setup --rebuild`"
MEANING = {
    signal.SIGILL: "illegal instruction: the server was built for a CPU feature this machine "
    "does not allow",
    signal.SIGSEGV: "segmentation fault: the server crashed",
    signal.SIGBUS: "bus error: the model file may be truncated, or its disk full",
    signal.SIGKILL: "killed: usually the out-of-memory killer (the model needs about 2 GB free)",
    signal.SIGABRT: "aborted: the server stopped on an internal error (log lines below)",
    signal.SIGFPE: "arithmetic fault: the server was built for this CPU wrongly",
}


class ServerCrashError(InputError):
    """The bundled server ended by itself; `status` is the shell-style exit status or None."""

    def __init__(self, status: int | None, *lines: str) -> None:
        super().__init__(*lines)
        self.status = status

    @property
    def signal(self) -> int | None:
        """The signal that ended the server, if one did."""
        return self.status - 128 if self.status is not None and self.status > 128 else None


def exit_status(log: Path) -> int | None:
    """The exit status the wrapper wrote at the end of `log`, if it wrote one."""
    try:
        found = STATUS_RE.findall(log.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    return int(found[-1]) if found else None


def describe_status(status: int | None) -> tuple[str, str]:
    """How the server ended and what that means, for a shell-style status (128 + N: signal N)."""
    if status is None:
        return "ended", ""
    if status <= 128:
        return f"exited with status {status}", ""
    try:
        sig = signal.Signals(status - 128)
    except ValueError:
        return f"was killed by signal {status - 128} (exit status {status})", ""
    return f"was killed by {sig.name} (exit status {status})", MEANING.get(sig, "")


def crash_error(what: str, status: int | None, log: Path, tail: list[str]) -> ServerCrashError:
    """The error for a server that ended while `what` (starting, answering ...)."""
    fix = (
        f"Fix: run {REBUILD} to build a server for this CPU."
        if status == 128 + signal.SIGILL
        else f"See {log}; {REBUILD} builds the server again."
    )
    how, meaning = describe_status(status)
    return ServerCrashError(
        status,
        f"the bundled server {how} while {what}" + (f": {meaning}." if meaning else "."),
        fix,
        *(["Last server log lines:", *(f"  {line}" for line in tail)] if tail else []),
    )


def log_tail(log: Path, lines: int = 10) -> list[str]:
    """The last lines the server wrote, without the wrapper's status line."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    kept = [line for line in text.splitlines() if not line.startswith(STATUS_LINE)]
    return kept[-lines:]
