"""Find TODO/FIXME/HACK/XXX/BUG markers in real comments (the rules are in docs/discovery.md).

A file is read only when one compiled regex over its bytes finds a marker-shaped word at the start
of a line or after comment punctuation. Python files are then tokenized (markers in strings and
docstrings are never items); other files, and Python files that do not tokenize, go through the
regex lexer of their language (languages.py).
"""

from __future__ import annotations

import bisect
import io
import re
import tokenize
from dataclasses import dataclass

from agent.discovery.languages import PYTHON, Syntax, lexer, syntax_for

TAGS = ("TODO", "FIXME", "HACK", "XXX", "BUG")
PREFILTER = re.compile(
    rb"(?im)(?:^|[#/*;!\-]|<!--)[ \t#/*;!:\-]*@?(?:todo|fixme|hack|xxx|bug)(?![A-Za-z0-9_])"
)
MARKER = re.compile(
    r"[\s#/*;!:\-]*@?(?P<tag>todo|fixme|hack|xxx|bug)(?![A-Za-z0-9_])"
    r"(?P<ref>\([^)\n]*\))?[ \t]*(?P<sep>[:\-–—]+)?",
    re.IGNORECASE,
)
DECORATION = re.compile(r"^[\s*#/!;:\-]*")
NEWLINE = re.compile("\n")
SCOPE = re.compile(r"(?m)^([ \t]*)(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)")
MAX_TEXT = 500


@dataclass(frozen=True)
class CommentLine:
    """One physical line of comment text."""

    line: int
    column: int
    text: str
    own_line: bool
    group: int
    """Lines of one comment share a group (only block comments span several lines)."""
    block: bool = False


@dataclass(frozen=True)
class Marker:
    """A marker found in a comment: tag, 1-based line, its joined text and anchor."""

    tag: str
    line: int
    text: str
    ref: str = ""
    anchor: str = ""


def has_candidate(data: bytes) -> bool:
    """True when `data` may hold a marker (the fast prefilter)."""
    return PREFILTER.search(data) is not None


def scan_bytes(path: str, data: bytes) -> list[Marker]:
    """Return the markers in real comments of `data`, a file at repository path `path`."""
    syntax = syntax_for(path)
    if syntax is None:
        return []
    last = None
    for last in PREFILTER.finditer(data):
        pass
    if last is None:
        return []
    last_line = data.count(b"\n", 0, last.start()) + 1
    text = data.decode("utf-8", "replace")
    lines = None
    if syntax is PYTHON and path.endswith((".py", ".pyi", ".pyw")):
        lines = python_comments(text, last_line)
    if lines is None:
        lines = lexed_comments(text, syntax)
    markers = find_markers(lines)
    if syntax is PYTHON and markers:
        markers = with_anchors(markers, text, lines)
    return markers


def python_comments(text: str, last_line: int) -> list[CommentLine] | None:
    """Collect comment lines with the tokenize module; None when the file does not tokenize."""
    found: list[CommentLine] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            row, col = token.start
            if token.type == tokenize.COMMENT:
                own = not token.line[:col].strip()
                found.append(CommentLine(row, col, token.string[1:], own, len(found)))
            elif row > last_line and token.type not in _LAYOUT:
                break  # past the last candidate and its continuation lines
    except (tokenize.TokenError, SyntaxError):
        return None
    return found


_LAYOUT = (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT)


def lexed_comments(text: str, syntax: Syntax) -> list[CommentLine]:
    """Collect comment lines with the regex lexer of `syntax`."""
    found: list[CommentLine] = []
    row, cursor = 1, 0
    for group, match in enumerate(lexer(syntax).finditer(text)):
        kind = match.lastgroup
        if kind is None:
            continue
        start = match.start()
        row += text.count("\n", cursor, start)
        cursor = start
        line_start = text.rfind("\n", 0, start) + 1
        own = not text[line_start:start].strip()
        body = _strip_opener(match.group(), syntax, kind == "b")
        for offset, piece in enumerate(body.split("\n")):
            column = start - line_start if offset == 0 else 0
            found.append(
                CommentLine(row + offset, column, piece, own or offset > 0, group, kind == "b")
            )
    return found


def _strip_opener(comment: str, syntax: Syntax, block: bool) -> str:
    if not block:
        opener = next(o for o in syntax.line if comment.startswith(o))
        return comment[len(opener) :]
    for opener, closer in syntax.block:
        if comment.startswith(opener):
            body = comment[len(opener) :]
            return body[: -len(closer)] if body.endswith(closer) else body
    return comment


def find_markers(lines: list[CommentLine]) -> list[Marker]:
    """Apply the marker rules to comment lines, joining each marker's continuation lines."""
    markers = []
    for index, head in enumerate(lines):
        match = _marker(head.text)
        if match is None:
            continue
        parts = [head.text[match.end() :].strip()]
        previous = head
        for follower in lines[index + 1 :]:
            if not _continues(head, previous, follower):
                break
            parts.append(DECORATION.sub("", follower.text).strip())
            previous = follower
        tag = match.group("tag").upper()
        text = " ".join(part for part in parts if part)[:MAX_TEXT]
        ref = (match.group("ref") or "")[1:-1].strip()
        markers.append(Marker(tag, head.line, text, ref))
    return markers


def _marker(text: str) -> re.Match[str] | None:
    match = MARKER.match(text)
    if match is None:
        return None
    if match.group("tag").isupper() or text[match.end("tag") : match.end("tag") + 1] in (":", "("):
        return match
    return None


def _continues(head: CommentLine, previous: CommentLine, line: CommentLine) -> bool:
    """Say whether `line` continues the marker comment that started at `head`."""
    if line.line != previous.line + 1 or _marker(line.text) is not None:
        return False
    if not DECORATION.sub("", line.text).strip():
        return False  # an empty comment line ends the paragraph
    if line.group == head.group:
        return True  # the same block comment
    same_column = line.column == head.column
    return same_column and line.own_line and not line.block and not head.block


def with_anchors(markers: list[Marker], text: str, lines: list[CommentLine]) -> list[Marker]:
    """Attach the enclosing Python def/class (dotted, e.g. `Cache.get`) to each marker."""
    starts = [0, *(match.end() for match in NEWLINE.finditer(text))]
    scopes = [
        (bisect.bisect_right(starts, m.start()), len(m.group(1).expandtabs()), m.group(2))
        for m in SCOPE.finditer(text)
    ]
    columns = {c.line: c for c in lines}
    anchored = []
    for marker in markers:
        comment = columns[marker.line]
        line_text = text[starts[marker.line - 1] : starts[marker.line - 1] + comment.column]
        limit = comment.column if comment.own_line else len(line_text) - len(line_text.lstrip())
        anchor = enclosing_scope(scopes, marker.line, limit)
        anchored.append(Marker(marker.tag, marker.line, marker.text, marker.ref, anchor))
    return anchored


def enclosing_scope(scopes: list[tuple[int, int, str]], line: int, indent: int) -> str:
    """Name the scopes (row, indent, name) enclosing code at `line` indented by `indent`."""
    names = []
    for row, scope_indent, name in reversed(scopes[: bisect.bisect_left(scopes, (line,))]):
        if row < line and scope_indent < indent:
            names.append(name)
            indent = scope_indent
    return ".".join(reversed(names))
