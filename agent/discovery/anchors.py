"""The enclosing Python def/class of a marker (`Cache.get`), part of its identity.

Scope lines are found by literal search for `def` and `class` (C speed), each hit checked by two
anchored regexes, rather than by trying one regex at every line start: the same scopes as
`\\n([ \\t]*)(?:async[ \\t]+)?(?:def|class)[ \\t]+(\\w+)`, several times faster on large files.
"""

from __future__ import annotations

import bisect
import dataclasses
import re

from agent.discovery.model import CommentLine, Marker

SCOPE_LEAD = re.compile(r"([ \t]*)(?:async[ \t]+)?")
SCOPE_WORD = re.compile(r"(?:def|class)[ \t]+(\w+)")
Scope = tuple[int, int, str]
"""(1-based line, indent width, name) of a def or class."""


def with_anchors(markers: list[Marker], text: str, lines: list[CommentLine]) -> list[Marker]:
    """Attach the enclosing Python def/class (dotted, e.g. `Cache.get`) to each marker."""
    comments = {c.line: c for c in lines}
    if all(comments[m.line].own_line and comments[m.line].column == 0 for m in markers):
        return markers  # nothing encloses a comment at column 0
    last = max(marker.line for marker in markers)
    physical = text.split("\n", last)
    end = len(text) - len(physical[-1]) if len(physical) > last else len(text)
    scopes = find_scopes(text, end)
    anchored = []
    for marker in markers:
        comment = comments[marker.line]
        before = physical[marker.line - 1][: comment.column]
        indent = comment.column if comment.own_line else len(before) - len(before.lstrip())
        anchor = enclosing_scope(scopes, marker.line, indent)
        anchored.append(dataclasses.replace(marker, anchor=anchor))
    return anchored


def find_scopes(text: str, end: int) -> list[Scope]:
    """Every def/class line of `text[:end]`, in order."""
    hits = []
    for word in ("def", "class"):
        pos = text.find(word, 0, end)
        while pos >= 0:
            hits.append(pos)
            pos = text.find(word, pos + len(word), end)
    hits.sort()
    scopes, row, cursor = [], 1, 0
    for pos in hits:
        start = text.rfind("\n", 0, pos) + 1
        lead = SCOPE_LEAD.fullmatch(text, start, pos)
        name = SCOPE_WORD.match(text, pos, end) if lead else None
        if lead is None or name is None:
            continue
        row += text.count("\n", cursor, start)
        cursor = start
        scopes.append((row, len(lead.group(1).expandtabs()), name.group(1)))
    return scopes


def enclosing_scope(scopes: list[Scope], line: int, indent: int) -> str:
    """Name the scopes (row, indent, name) enclosing code at `line` indented by `indent`."""
    names = []
    for row, scope_indent, name in reversed(scopes[: bisect.bisect_left(scopes, (line,))]):
        if row < line and scope_indent < indent:
            names.append(name)
            indent = scope_indent
    return ".".join(reversed(names))
