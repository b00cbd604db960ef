"""Atomic writes and inter-process locks for files a user owns."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from agent.errors import InputError

LOCK_TIMEOUT_S = 30.0


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` via a temp file in the same directory and a rename."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temp file in the same directory and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold an exclusive lock for `path` across processes, outside the user's working tree."""
    from filelock import FileLock, Timeout  # imported here: costly, and only writers need it

    lock_path = lock_path_for(path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path), timeout=timeout)
    try:
        with lock:
            yield
    except Timeout as exc:
        raise InputError(f"{path}: locked by another process for more than {timeout:.0f}s") from exc


def lock_path_for(path: Path) -> Path:
    """Place a file's lock in the repository's .git directory so `git status` stays clean."""
    resolved = path.resolve()
    for parent in resolved.parents:
        git_dir = parent / ".git"
        if git_dir.is_dir():
            rel = resolved.relative_to(parent).as_posix().replace("/", "__")
            return git_dir / "agent-locks" / f"{rel}.lock"
        if git_dir.is_file():
            break
    return resolved.with_name(f".{resolved.name}.lock")
