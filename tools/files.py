"""File tools: read with line numbers, list, search, write and replace text inside the worktree."""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path

import git
from pydantic import Field

from agent.scanners.secrets import REDACTED
from agent.scanners.unredact import restore_secrets, shown_text
from agent.system.fsutil import atomic_write_text
from agent.tools.base import ToolArgs, ToolResult, Workspace
from agent.tools.common import (
    SNIFF_BYTES,
    Refused,
    ToolConfig,
    is_allowed,
    read_text,
    relative,
    resolve_path,
    tool,
)
from agent.tools.edit import replace_block
from agent.tools.grep import git_grep

MAX_LIST_ENTRIES = 500
MAX_LINE_CHARS = 300


class ReadFileArgs(ToolArgs):
    """Read a text file of the repository, with line numbers; give start/end to read a range."""

    path: str
    """File path relative to the repository root."""
    start: int = Field(default=1, ge=1)
    """First line to show (1-based)."""
    end: int | None = Field(default=None, ge=1)
    """Last line to show (inclusive); default: the end of the file."""


class ListDirArgs(ToolArgs):
    """List the files and directories in a directory of the repository."""

    path: str = "."
    """Directory relative to the repository root."""
    recursive: bool = False
    """List every file below the directory (tracked and new files, not ignored ones)."""


class SearchArgs(ToolArgs):
    """Search the repository's files (tracked and new, not ignored) for a regular expression.

    Prints `path:line: text` for each matching line.
    """

    pattern: str
    """Regular expression matched against each line, e.g. `def parse\\(` or `class Parser`."""
    glob: str | None = None
    """Only files matching this glob, e.g. `*.py` or `src/**/*.py`."""
    ignore_case: bool = False
    """Match case-insensitively."""


class WriteFileArgs(ToolArgs):
    """Create a file, or replace a file's whole content; prefer replace_text for small edits."""

    path: str
    """File path relative to the repository root; parent directories are created."""
    content: str
    """The complete new content of the file."""


class ReplaceTextArgs(ToolArgs):
    """Replace one exact block of text in a file (whitespace differences are tolerated).

    `old` must occur exactly once; copy it from read_file output without the line numbers. The
    replacement keeps the file's indentation.
    """

    path: str
    """File path relative to the repository root."""
    old: str
    """The text to replace, including enough surrounding lines to be unique."""
    new: str
    """The replacement text."""


def _numbered(lines: list[str], first: int) -> str:
    return "\n".join(f"{first + index:>5}  {line}" for index, line in enumerate(lines))


@tool
def read_file(workspace: Workspace, args: ReadFileArgs, config: ToolConfig) -> ToolResult:
    """Show a file's lines with numbers."""
    path = resolve_path(workspace.root, args.path, config.scope)
    rel = relative(workspace.root, path)
    lines = read_text(path, rel, config.settings.tools.max_file_bytes).splitlines()
    end = min(args.end or len(lines), len(lines))
    if lines and args.start > len(lines):
        raise Refused(f"{rel}: start line {args.start} is past the end ({len(lines)} lines)")
    if end < args.start and lines:
        raise Refused(f"{rel}: end line {end} is before start line {args.start}")
    header = f"{rel}: lines {args.start}-{end} of {len(lines)}" if lines else f"{rel}: empty file"
    body = _numbered(lines[args.start - 1 : end], args.start)
    return ToolResult(ok=True, output=f"{header}\n{body}".rstrip("\n"), data={"lines": len(lines)})


@tool
def list_dir(workspace: Workspace, args: ListDirArgs, config: ToolConfig) -> ToolResult:
    """List a directory's entries (directories end with '/')."""
    path = resolve_path(workspace.root, args.path, config.scope, is_dir=True)
    rel = relative(workspace.root, path)
    if not path.is_dir():
        raise Refused(f"{rel}: not a directory")
    if args.recursive:
        prefix = "" if rel == "." else rel.rstrip("/") + "/"
        names = [name for name in _repo_files(workspace.root) if name.startswith(prefix)]
    else:
        names = [
            _entry(workspace.root, entry) for entry in os.scandir(path) if entry.name != ".git"
        ]
    names = sorted(names)
    shown = names[:MAX_LIST_ENTRIES]
    more = (
        f"\n[{len(names) - len(shown)} more entries not shown]" if len(names) > len(shown) else ""
    )
    body = "\n".join(shown) if shown else "(empty)"
    return ToolResult(ok=True, output=f"{rel}/:\n{body}{more}", data={"entries": len(names)})


def _entry(root: Path, entry: os.DirEntry[str]) -> str:
    rel = relative(root, Path(entry.path))
    return rel + "/" if entry.is_dir(follow_symlinks=False) else rel


def _repo_files(root: Path) -> list[str]:
    """Tracked files plus new untracked ones that are not ignored."""
    listing = git.Repo(root).git.ls_files("-z", "--cached", "--others", "--exclude-standard")
    return sorted({name for name in listing.split("\0") if name})


@tool
def search(workspace: Workspace, args: SearchArgs, config: ToolConfig) -> ToolResult:
    """Print `path:line: text` for every matching line, up to the configured limit.

    `git grep -E` answers when the pattern means the same there (tools/grep.py), else a Python
    loop over the same files; the pattern is always checked as a Python regex first.
    """
    try:
        regex = re.compile(args.pattern, re.IGNORECASE if args.ignore_case else 0)
    except re.error as exc:
        raise Refused(f"invalid regular expression {args.pattern!r}: {exc}") from None
    keep = set(_searchable(workspace.root, args.glob, config))
    grepped = git_grep(workspace.root, args.pattern, args.ignore_case, keep.__contains__)
    engine = "git grep" if grepped is not None else "python"
    found = (
        grepped.hits if grepped is not None else _python_search(workspace.root, regex, keep, config)
    )
    limit = config.settings.tools.max_search_results
    hits = [
        f"{rel}:{number}: {line.strip()[:MAX_LINE_CHARS]}" for rel, number, line in found[:limit]
    ]
    data = {"matches": len(found), "engine": engine}
    if not hits:
        return ToolResult(ok=True, output=f"no match for {args.pattern!r}", data=data)
    more = len(found) - len(hits)
    note = f"\n[{more} more matches not shown; narrow the glob]" if more else ""
    return ToolResult(ok=True, output="\n".join(hits) + note, data=data)


def _python_search(
    root: Path, regex: re.Pattern[str], files: set[str], config: ToolConfig
) -> list[tuple[str, int, str]]:
    found: list[tuple[str, int, str]] = []
    for rel in sorted(files):
        text = _text_or_none(root / rel, config.settings.tools.max_file_bytes)
        lines = (text or "").splitlines()
        found += [(rel, n, line) for n, line in enumerate(lines, start=1) if regex.search(line)]
    return found


def _searchable(root: Path, glob: str | None, config: ToolConfig) -> list[str]:
    names = [name for name in _repo_files(root) if is_allowed(name, config.scope)]
    if glob is None:
        return names
    if "/" not in glob:
        return [name for name in names if fnmatch.fnmatch(Path(name).name, glob)]
    return [name for name in names if fnmatch.fnmatch(name, glob)]


def _text_or_none(path: Path, max_bytes: int) -> str | None:
    try:
        if path.is_symlink() or not path.is_file():
            return None
        return read_text(path, path.name, max_bytes)
    except (Refused, OSError):
        return None


@tool
def write_file(workspace: Workspace, args: WriteFileArgs, config: ToolConfig) -> ToolResult:
    """Write a whole file atomically."""
    path = resolve_path(workspace.root, args.path, config.scope)
    rel = relative(workspace.root, path)
    if path.is_dir():
        raise Refused(f"{rel}: is a directory")
    limit = config.settings.tools.max_file_bytes
    if len(args.content.encode("utf-8")) > limit:
        raise Refused(f"{rel}: content is over the {limit}-byte limit for tools")
    if path.is_file() and b"\x00" in path.read_bytes()[:SNIFF_BYTES]:
        raise Refused(f"{rel}: refusing to overwrite a binary file")
    existed = path.exists()
    content = _unredacted(read_text(path, rel, limit) if existed else "", args.content, rel)
    atomic_write_text(path, content)
    lines = len(args.content.splitlines())
    verb = "replaced" if existed else "created"
    return ToolResult(ok=True, output=f"{verb} {rel} ({lines} lines)", data={"lines": lines})


@tool
def replace_text(workspace: Workspace, args: ReplaceTextArgs, config: ToolConfig) -> ToolResult:
    """Replace one unique block of a file and show the result around it."""
    path = resolve_path(workspace.root, args.path, config.scope)
    rel = relative(workspace.root, path)
    raw = read_text(path, rel, config.settings.tools.max_file_bytes)
    shown = shown_text(raw)[0] if REDACTED in args.old else raw  # the model copied what it saw
    edit = replace_block(shown, args.old, args.new)
    atomic_write_text(path, _unredacted(raw, edit.text, rel))
    lines = edit.text.splitlines()
    first = max(edit.first_line - 2, 1)
    last = min(edit.last_line + 2, len(lines))
    snippet = _numbered(lines[first - 1 : last], first)
    output = f"replaced lines {edit.first_line}-{edit.last_line} of {rel} ({edit.mode} match)"
    data = {"mode": edit.mode, "first_line": edit.first_line, "last_line": edit.last_line}
    return ToolResult(ok=True, output=f"{output}\n{snippet}", data=data)


def _unredacted(original: str, text: str, rel: str) -> str:
    """`text` with the secrets of `original` back where the model kept [REDACTED] (it sees no
    secret); refused when a marker's place cannot be told, so a file never gets the marker."""
    restored, problem = restore_secrets(original, text)
    if problem:
        raise Refused(f"{rel}: {problem}")
    return restored
