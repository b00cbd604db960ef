"""Find TODO/FIXME/HACK/XXX/BUG markers in real comments (the rules are in docs/discovery.md).

A file is scanned only when a tag appears in it as a word at the start of a line or after comment
punctuation (literal search plus one compiled prefilter regex over its bytes). The regex lexer of
its language (languages.py) then finds the comments that may hold a marker, skipping strings. For
Python, the tokenize module decides wherever the lexer's answer could matter (see scan_bytes), so
markers in strings and docstrings are never items; a file that does not tokenize keeps the lexer's
answer instead of being skipped.
"""

from __future__ import annotations

import io
import itertools
import re
import tokenize
from functools import cache

from agent.discovery.anchors import with_anchors
from agent.discovery.languages import PYTHON, Syntax, lexer, syntax_for
from agent.discovery.model import CommentLine, Marker

TAGS = ("TODO", "FIXME", "HACK", "XXX", "BUG")
TAG_BYTES = tuple(tag.lower().encode() for tag in TAGS)
WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_")
# The one prefilter regex: what may precede a tag on its line for it to be a comment's first word.
PREFILTER = re.compile(rb"(?:^|[#/*;!\-]|<!--)[ \t#/*;!:\-]*@?$", re.MULTILINE)
MARKER = re.compile(
    r"[\s#/*;!:\-]*@?(?P<tag>todo|fixme|hack|xxx|bug)(?![A-Za-z0-9_])"
    r"(?P<ref>\([^)\n]*\))?[ \t]*(?P<sep>[:\-–—]+)?",
    re.IGNORECASE,
)
DECORATION = re.compile(r"^[\s*#/!;:\-]*")
MAX_TEXT = 500
CONTINUATION_MAX = 50


def candidate_lines(data: bytes) -> list[int]:
    """Return the 1-based lines where a tag may be the first word of a comment (the prefilter)."""
    return _lines(data, candidate_offsets(data))


def candidate_offsets(data: bytes) -> list[int]:
    """Byte offsets of tags that may be a comment's first word, in order.

    The five tags are found by literal search in the lower-cased bytes (much faster than a
    case-insensitive regex); the prefilter regex then checks what precedes each hit on its line.
    """
    low = data.lower()
    offsets = []
    for tag in TAG_BYTES:
        index = low.find(tag)
        while index >= 0:
            end = index + len(tag)
            if _is_candidate(data, low, index, end):
                offsets.append(index)
            index = low.find(tag, end)
    offsets.sort()
    return offsets


def _lines(data: bytes, offsets: list[int]) -> list[int]:
    lines: list[int] = []
    row, cursor = 1, 0
    for offset in offsets:
        row += data.count(b"\n", cursor, offset)
        cursor = offset
        if not lines or lines[-1] != row:
            lines.append(row)
    return lines


_WORD = {bytes([b]) for b in WORD_BYTES}


def _is_candidate(data: bytes, low: bytes, index: int, end: int) -> bool:
    """A whole word, upper case or followed by `:`/`(`, after nothing but comment punctuation."""
    if (index > 0 and low[index - 1] in WORD_BYTES) or low[end : end + 1] in _WORD:
        return False
    if not data[index:end].isupper() and data[end : end + 1] not in (b":", b"("):
        return False
    return PREFILTER.search(low, low.rfind(b"\n", 0, index) + 1, index) is not None


def scan_bytes(path: str, data: bytes, tokenize_mode: str = "auto") -> list[Marker]:
    """Return the markers in real comments of `data`, a file at repository path `path`.

    Python files: with `tokenize_mode` "always" the tokenize module decides; with "auto" the regex
    lexer (which follows the tokenizer's string grammar) decides unless a candidate lies outside
    the comments it found, and then tokenize decides. A file that does not tokenize keeps the
    lexer's answer.
    """
    syntax = syntax_for(path)
    if syntax is None:
        return []
    offsets = candidate_offsets(data)
    if not offsets:
        return []
    candidates = _lines(data, offsets)
    text = data[: _scan_end(data, offsets[-1])].decode("utf-8", "replace")
    is_python = syntax is PYTHON and path.endswith((".py", ".pyi", ".pyw"))
    lexed = None if is_python and tokenize_mode == "always" else lexed_comments(text, syntax)
    lines = _referee(data, text, candidates, lexed) if is_python else lexed or []
    markers = find_markers(lines)
    if syntax is PYTHON and markers:
        markers = with_anchors(markers, text, lines)
    return markers


def _scan_end(data: bytes, last: int) -> int:
    """Where scanning may stop: after the last candidate's line and its possible continuations."""
    end = last
    for _ in range(CONTINUATION_MAX + 1):
        end = data.find(b"\n", end) + 1
        if end == 0:
            return len(data)
    return end


def _referee(
    data: bytes, text: str, candidates: list[int], lexed: list[CommentLine] | None
) -> list[CommentLine]:
    """Let tokenize decide up to the last candidate the lexer left outside comments.

    Only candidate lines with a `#` can hold a comment, so a tag the lexer placed in a docstring
    line without one needs no second opinion.
    """
    if lexed is None:
        unexplained = candidates
    else:
        seen = {line.line for line in lexed}
        physical = text.split("\n", candidates[-1])
        unexplained = [n for n in candidates if n not in seen and "#" in physical[n - 1]]
    if not unexplained:
        return lexed or []
    tokenized = python_comments(data.decode("utf-8", "replace"), unexplained[-1])
    if tokenized is None:
        return lexed if lexed is not None else lexed_comments(text, PYTHON)
    if lexed is None:
        return tokenized
    stop = tokenized[-1].line if tokenized else 0
    return tokenized + [line for line in lexed if line.line > max(stop, unexplained[-1])]


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
    """Collect the comments that may hold a marker, and the lines that may continue them."""
    rx = lexer(syntax)
    found: list[CommentLine] = []
    row, cursor, pos = 1, 0, 0
    while (match := rx.match(text, pos)) is not None:
        pos = match.end()
        kind = match.lastgroup or "c"
        start = match.start(kind)
        row += text.count("\n", cursor, start)
        cursor = start
        line_start = text.rfind("\n", 0, start) + 1
        own = not text[line_start:start].strip()
        block = kind == "b"
        body = _strip_opener(match.group(kind), syntax, block)
        group = len(found)
        for offset, piece in enumerate(body.split("\n")):
            column = start - line_start if offset == 0 else 0
            found.append(CommentLine(row + offset, column, piece, own or offset > 0, group, block))
        if not block:
            followers, pos = _following_comments(text, pos, row, syntax)
            found += followers
    return found


def _following_comments(
    text: str, pos: int, row: int, syntax: Syntax
) -> tuple[list[CommentLine], int]:
    """Comment-only lines right after a line comment (always real comments: no string is open)."""
    found = []
    for offset, match in enumerate(_follower(syntax).finditer(text, pos), start=1):
        if match.start() != pos or offset > CONTINUATION_MAX:
            break
        pos = match.end()
        indent, body = match.group(1), match.group(2)
        found.append(CommentLine(row + offset, len(indent), body, True, -row - offset))
    return found, pos


@cache
def _follower(syntax: Syntax) -> re.Pattern[str]:
    openers = "|".join(re.escape(opener) for opener in syntax.line)
    return re.compile(f"\n([ \t]*)(?:{openers})([^\n]*)")


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
        for follower in itertools.islice(lines, index + 1, None):
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
