"""The one place that starts processes: a timeout kills the whole process group."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

KILL_GRACE_S = 2.0


@dataclass(frozen=True)
class ProcResult:
    """The outcome of one finished (or killed) command."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    duration_s: float
    timed_out: bool = False
    missing: bool = False

    @property
    def ok(self) -> bool:
        """True when the command ran to completion with exit status 0."""
        return self.returncode == 0 and not self.timed_out and not self.missing

    @property
    def output(self) -> str:
        """Standard output followed by standard error."""
        return self.stdout + (("\n" if self.stdout and self.stderr else "") + self.stderr)


def run(
    args: Sequence[str],
    cwd: Path | None = None,
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
    stdin_text: str | None = None,
) -> ProcResult:
    """Run `args` without a shell; on timeout kill its whole process group."""
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            list(args),
            cwd=cwd,
            env=None if env is None else dict(env),
            stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
    except (FileNotFoundError, PermissionError, NotADirectoryError) as exc:
        return ProcResult(tuple(args), 127, "", str(exc), 0.0, missing=True)
    try:
        stdout, stderr = proc.communicate(stdin_text, timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        kill_group(proc.pid)
        stdout, stderr = proc.communicate()
        timed_out = True
    except BaseException:
        kill_group(proc.pid)
        proc.wait()
        raise
    duration = time.monotonic() - started
    code = proc.returncode if not timed_out else -signal.SIGKILL
    return ProcResult(tuple(args), code, stdout, stderr, duration, timed_out=timed_out)


def spawn(
    args: Sequence[str],
    log_path: Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """Start a long-running background process in its own session; return its pid."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            list(args),
            cwd=cwd,
            env=None if env is None else dict(env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    pid = proc.pid
    with warnings.catch_warnings():
        # Detached on purpose: pid_alive/kill_group reap it later, so the "still running"
        # ResourceWarning of dropping the Popen object is noise (an error under pytest).
        warnings.simplefilter("ignore", ResourceWarning)
        del proc
    return pid


def kill_group(pid: int, grace_s: float = KILL_GRACE_S) -> None:
    """Terminate the process group led by `pid`: SIGTERM, then SIGKILL after `grace_s`."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline and pid_alive(pid):
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def pid_alive(pid: int) -> bool:
    """True while a process with `pid` exists and is not a zombie we can reap."""
    with contextlib.suppress(ChildProcessError):
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
