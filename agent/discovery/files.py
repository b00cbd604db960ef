"""Which files discovery reads: what git tracks plus untracked files git does not ignore.

Blob ids come from `git ls-files -s`; files modified in the working tree or untracked get the id of
their current content, hashed here the way git does, so the per-file cache is always keyed on what
is on disk. Symlinks and submodules are never followed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from agent import proc
from agent.errors import InputError

BINARY_SNIFF_BYTES = 8000
GIT_TIMEOUT_S = 60.0
REGULAR_MODES = ("100644", "100755")


class RepoFile(NamedTuple):
    """One candidate file: its repository-relative path and git blob id (None when unknown)."""

    path: str
    blob: str | None


@dataclass
class FileList:
    """The files to scan and what was skipped, with why."""

    files: list[RepoFile]
    skipped: dict[str, int]


def git_lines(root: Path, *args: str) -> list[str]:
    """Run git in `root` and return its NUL-separated output records."""
    result = proc.run(["git", "-c", "core.quotepath=off", *args], cwd=root, timeout=GIT_TIMEOUT_S)
    if result.missing:
        raise InputError("git is not installed (discovery needs it on PATH)")
    if not result.ok:
        detail = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise InputError(f"{root}: git {args[0]}: {detail}")
    return [record for record in result.stdout.split("\0") if record]


def check_repo(root: Path) -> tuple[str, Path]:
    """Return HEAD's commit and the info/exclude path, or fail clearly (exit 2) on a bad repo."""
    args = ["git", "rev-parse", "--show-toplevel", "--git-path", "info/exclude", "HEAD"]
    result = proc.run(args, cwd=root, timeout=GIT_TIMEOUT_S)
    if result.missing:
        raise InputError("git is not installed (discovery needs it on PATH)")
    lines = result.stdout.splitlines()
    if result.ok and len(lines) == 3:
        if Path(lines[0]).resolve() != root.resolve():
            raise InputError(f"{root}: not the top of a git repository (that is {lines[0]})")
        exclude = Path(lines[1])
        return lines[2], exclude if exclude.is_absolute() else root / exclude
    if "dubious ownership" in result.stderr:
        raise InputError(
            f"{root}: git refuses the repository (dubious ownership; see git's safe.directory)"
        )
    if len(lines) >= 2 and "HEAD" in result.stderr:
        raise InputError(f"{root}: the repository has no commits yet (commit something first)")
    raise InputError(f"{root}: not a git repository (run `git init` first)")


def list_files(root: Path, excludes: Iterable[str]) -> FileList:
    """List tracked and untracked-not-ignored regular files, minus excluded ones."""
    excluded = exclusion(excludes)
    skipped: dict[str, int] = {}
    blobs: dict[str, str | None] = {}
    staged, changed = _both(
        lambda: git_lines(root, "ls-files", "-s", "-z"),
        lambda: git_lines(root, "ls-files", "-z", "-m", "-o", "--exclude-standard"),
    )
    for record in staged:
        meta, _, path = record.partition("\t")
        mode = meta[:6]
        if mode not in REGULAR_MODES:
            _count(skipped, "symlink" if mode == "120000" else "submodule")
            continue
        blobs[path] = meta[7 : meta.index(" ", 7)]
    for record in changed:
        blobs[record] = None  # modified or untracked: hash the current content
    files = []
    for path in sorted(blobs):
        if excluded(path):
            _count(skipped, "excluded")
        else:
            files.append(RepoFile(path, blobs[path]))
    return FileList(files, skipped)


def _both(
    first: Callable[[], list[str]], second: Callable[[], list[str]]
) -> tuple[list[str], list[str]]:
    """Run two git listings at once (each waits on its own process)."""
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results[1] = second()
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    results[0] = first()
    worker.join()
    if errors:
        raise errors[0]
    return results[0], results[1]


def _count(skipped: dict[str, int], why: str) -> None:
    skipped[why] = skipped.get(why, 0) + 1


def read_file(root: Path, entry: RepoFile, limit: int) -> tuple[bytes | None, str]:
    """Read a regular file inside the repository: (content, "") or (None, why it was skipped).

    O_NOFOLLOW refuses a symlink itself; git never lists paths below a symlinked folder, so no
    read leaves the repository.
    """
    try:
        fd = os.open(os.path.join(root, entry.path), _READ_FLAGS)
    except FileNotFoundError:
        return None, "missing"
    except OSError as exc:
        return None, "symlink" if exc.errno == errno.ELOOP else "unreadable"
    try:
        data, why = _read_regular(fd, limit)
    except OSError:
        return None, "unreadable"
    finally:
        os.close(fd)
    if data is not None and b"\0" in data[:BINARY_SNIFF_BYTES]:
        return None, "binary"
    return data, why


def _read_regular(fd: int, limit: int) -> tuple[bytes | None, str]:
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        return None, "special"
    if info.st_size > limit:
        return None, "too large"
    return _read_all(fd, info.st_size), ""


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _read_all(fd: int, size: int) -> bytes:
    data = os.read(fd, size + 1)
    if len(data) <= size:
        return data  # a short read of a regular file is its end
    chunks = [data]
    while chunks[-1]:
        chunks.append(os.read(fd, 1 << 20))
    return b"".join(chunks)


def blob_id(data: bytes) -> str:
    """Compute git's blob id (sha1 of the header and content) for `data`."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


def compile_globs(patterns: Iterable[str]) -> re.Pattern[str]:
    """Compile glob patterns (`**` spans folders, `*` stays in one) into one regex."""
    parts = [_glob_regex(pattern) for pattern in patterns if pattern.strip()]
    return re.compile("|".join(f"(?:{part})" for part in parts) if parts else r"(?!)")


def exclusion(patterns: Iterable[str]) -> Callable[[str], bool]:
    """Return a test for paths matched by the glob `patterns`.

    A path holds the longest wildcard-free piece of any pattern it matches; one search for those
    pieces spares the full regex (with its backtracking `**`) on almost every path.
    """
    patterns = [pattern for pattern in patterns if pattern.strip()]
    full = compile_globs(patterns).match
    pieces = {max(_literals(pattern), key=len) for pattern in patterns}
    hint = re.compile("|".join(map(re.escape, sorted(pieces))) if pieces else r"(?!)").search
    return lambda path: hint(path) is not None and full(path) is not None


def _literals(pattern: str) -> list[str]:
    """The wildcard-free pieces every match of `pattern` contains (`**/` may match nothing, so a
    piece's leading `/` is dropped)."""
    return [piece.lstrip("/") for piece in re.split(r"[*?]", pattern.strip())]


def _glob_regex(pattern: str) -> str:
    pattern = pattern.strip().lstrip("/")
    if "/" not in pattern:
        pattern = "**/" + pattern  # a bare name matches in any folder, as in .gitignore
    out, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        else:
            char = pattern[index]
            out.append({"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char)))
            index += 1
    return "".join(out) + r"\Z"
