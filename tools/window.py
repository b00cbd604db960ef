"""read_window: the lines around one line of a file, numbered, the line itself marked.

A tool of its own rather than `around`/`radius` arguments on read_file: a 1.5B model fills one
required number (the line a traceback, search hit or find_symbol row gave it) far more reliably
than it picks among read_file's start/end and an `around` that would contradict them; and
read_file's schema, which recorded model exchanges match on, stays as it is.
"""

from __future__ import annotations

from pydantic import Field

from agent.tools.base import ToolArgs, ToolResult, Workspace
from agent.tools.common import Refused, ToolConfig, read_text, relative, resolve_path, tool

DEFAULT_RADIUS = 15
MAX_RADIUS = 100


class ReadWindowArgs(ToolArgs):
    """Read the lines around one line of a file, with line numbers; the line is marked `>`."""

    path: str
    """File path relative to the repository root."""
    line: int = Field(ge=1)
    """The line to centre on (1-based), e.g. from a traceback or a search hit."""
    radius: int = Field(default=DEFAULT_RADIUS, ge=1, le=MAX_RADIUS)
    """How many lines to show before and after it."""


@tool
def read_window(workspace: Workspace, args: ReadWindowArgs, config: ToolConfig) -> ToolResult:
    """Show `radius` lines either side of `line`, numbered, the line marked."""
    path = resolve_path(workspace.root, args.path, config.scope)
    rel = relative(workspace.root, path)
    lines = read_text(path, rel, config.settings.tools.max_file_bytes).splitlines()
    if args.line > len(lines):
        raise Refused(f"{rel}: line {args.line} is past the end ({len(lines)} lines)")
    first = max(args.line - args.radius, 1)
    last = min(args.line + args.radius, len(lines))
    rows = [
        f"{'>' if number == args.line else ' '}{number:>5}  {lines[number - 1]}"
        for number in range(first, last + 1)
    ]
    header = f"{rel}: lines {first}-{last} of {len(lines)} (around {args.line})"
    data = {"lines": len(lines), "first": first, "last": last}
    return ToolResult(ok=True, output="\n".join([header, *rows]), data=data)
