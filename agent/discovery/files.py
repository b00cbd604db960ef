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
from typing import NamedTuple, TypeVar

from agent.errors import InputError
from agent.system import proc

BINARY_SNIFF_BYTES = 8000
GIT_TIMEOUT_S = 60.0
REGULAR_MODES = ("100644", "100755")
A = TypeVar("A")
B = TypeVar("B")
STAGED_RECORD = re.compile(r"(\d+) ([0-9a-f]+) \d+\t([^\0]*)\0")


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
    return [record for record in git_output(root, *args).split("\0") if record]


def git_output(root: Path, *args: str) -> str:
    """Run git in `root` and return its output, or fail clearly (exit 2)."""
    result = proc.run(["git", "-c", "core.quotepath=off", *args], cwd=root, timeout=GIT_TIMEOUT_S)
    if result.missing:
        raise InputError("git is not installed (discovery needs it on PATH)")
    if not result.ok:
        detail = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise InputError(f"{root}: git {args[0]}: {detail}")
    return result.stdout


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
    skipped: dict[str, int] = {}
    staged, changed = _both(
        lambda: git_output(root, "ls-files", "-s", "-z"),
        lambda: git_lines(root, "ls-files", "-z", "-m", "-o", "--exclude-standard"),
    )
    blobs: dict[str, str | None] = {}
    for mode, blob, path in staged_records(staged):
        if mode in REGULAR_MODES:
            blobs[path] = blob
        else:
            _count(skipped, "symlink" if mode == "120000" else "submodule")
    for record in changed:
        blobs[record] = None  # modified or untracked: hash the current content
    paths = sorted(blobs)
    excluded = matching(excludes, paths)
    if excluded:
        skipped["excluded"] = len(excluded)
    files = [RepoFile(path, blobs[path]) for path in paths if path not in excluded]
    return FileList(files, skipped)


def staged_records(output: str) -> list[tuple[str, str, str]]:
    """Parse `git ls-files -s -z` output into (mode, blob id, path) records."""
    records: list[tuple[str, str, str]] = STAGED_RECORD.findall(output)
    if len(records) != output.count("\0"):
        raise InputError("git ls-files -s: unexpected output (not `mode blob stage<TAB>path`)")
    return records


def _both(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """Run two git listings at once (each waits on its own process)."""
    wait = in_background(second)
    return first(), wait()


def in_background(work: Callable[[], A]) -> Callable[[], A]:
    """Start `work` in a thread; the returned function waits for its result (or its error)."""
    outcome: list[A] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()

    def wait() -> A:
        worker.join()
        if errors:
            raise errors[0]
        return outcome[0]

    return wait


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


def matching(patterns: Iterable[str], paths: list[str]) -> set[str]:
    """The `paths` matched by the glob `patterns`: each pattern's longest literal piece is searched
    for once in all paths joined, and the full regex runs only on the paths that hold one."""
    patterns = [pattern for pattern in patterns if pattern.strip()]
    full = compile_globs(patterns).match
    pieces = {max(_literals(pattern), key=len) for pattern in patterns}
    if "" in pieces:
        return {path for path in paths if full(path)}  # a pattern without a literal piece
    joined = "\0".join(paths)
    hits = []
    for piece in pieces:
        at = joined.find(piece)
        while at >= 0:
            hits.append(at)
            at = joined.find(piece, at + 1)
    index, cursor, found = 0, 0, set()
    for at in sorted(hits):
        index += joined.count("\0", cursor, at)
        cursor = at
        if full(paths[index]):
            found.add(paths[index])
    return found


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
