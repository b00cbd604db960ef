"""Locate and replace a block of text: exact, then whitespace-insensitive, else closest candidates.

Pure functions over strings (the file tools do the I/O). A match must be unique: an ambiguous
`old` text is refused with the line numbers of every occurrence so the model can add context.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from agent.tools.common import Refused

MAX_CANDIDATES = 3
MIN_SIMILARITY = 0.5


@dataclass(frozen=True)
class Edit:
    """The outcome of one replacement: the new text and where it landed (1-based lines)."""

    text: str
    mode: str
    first_line: int
    last_line: int


def replace_block(text: str, old: str, new: str) -> Edit:
    """Replace the one occurrence of `old` in `text` by `new` (see the module docstring)."""
    if not old.strip():
        raise Refused("old text is empty; use write_file to create or overwrite a file")
    if old == new:
        raise Refused("old and new text are identical; nothing to change")
    crlf = "\r\n" in text
    text, old, new = (part.replace("\r\n", "\n") for part in (text, old, new))
    edit = _exact(text, old, new) or _fuzzy(text, old, new)
    if edit is None:
        raise Refused(_not_found(text, old))
    if crlf:
        return Edit(edit.text.replace("\n", "\r\n"), edit.mode, edit.first_line, edit.last_line)
    return edit


def _exact(text: str, old: str, new: str) -> Edit | None:
    count = text.count(old)
    if count == 0:
        return None
    starts = _occurrences(text, old)
    if count > 1:
        lines = ", ".join(str(text.count("\n", 0, start) + 1) for start in starts)
        raise Refused(f"old text is ambiguous: found {count} times (lines {lines}); add context")
    start = starts[0]
    first = text.count("\n", 0, start) + 1
    return Edit(
        text[:start] + new + text[start + len(old) :], "exact", first, first + new.count("\n")
    )


def _occurrences(text: str, old: str) -> list[int]:
    starts, cursor = [], text.find(old)
    while cursor >= 0:
        starts.append(cursor)
        cursor = text.find(old, cursor + len(old))
    return starts


def _normal(line: str) -> str:
    return " ".join(line.split())


def _old_lines(old: str) -> list[str]:
    lines = old.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _fuzzy(text: str, old: str, new: str) -> Edit | None:
    lines = text.splitlines(keepends=True)
    wanted = [_normal(line) for line in _old_lines(old)]
    size = len(wanted)
    hits = [
        index
        for index in range(len(lines) - size + 1)
        if [_normal(line) for line in lines[index : index + size]] == wanted
    ]
    if not hits:
        return None
    if len(hits) > 1:
        where = ", ".join(str(index + 1) for index in hits)
        raise Refused(f"old text is ambiguous (ignoring whitespace): lines {where}; add context")
    index = hits[0]
    block = "".join(lines[index : index + size])
    replacement = _reindent(_old_lines(old), new, _indent(lines[index]))
    ending = "\n" if block.endswith("\n") and replacement else ""
    result = "".join(lines[:index]) + replacement + ending + "".join(lines[index + size :])
    last = index + max(replacement.count("\n") + 1, 1)
    return Edit(result, "whitespace-insensitive", index + 1, last)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _reindent(old_lines: list[str], new: str, file_indent: str) -> str:
    """Shift `new` so that the indentation `old` was written with becomes the file's."""
    old_indent = next((_indent(line) for line in old_lines if line.strip()), "")
    out = []
    for line in _old_lines(new) if new.strip() else []:
        if not line.strip():
            out.append("")
        elif line.startswith(old_indent):
            out.append(file_indent + line[len(old_indent) :])
        else:
            out.append(file_indent + line.lstrip(" \t"))
    return "\n".join(out)


def _not_found(text: str, old: str) -> str:
    candidates = closest(text, old)
    message = "old text not found (not even ignoring whitespace)"
    if not candidates:
        return message + "; read the file again and copy the text exactly"
    parts = [message + "; closest candidates:"]
    for first, ratio, block in candidates:
        numbered = "\n".join(
            f"{first + offset:>5}  {line}" for offset, line in enumerate(block.split("\n"))
        )
        parts.append(f"--- lines {first}-{first + block.count(chr(10))} ({ratio:.0%} similar)")
        parts.append(numbered)
    return "\n".join(parts)


def closest(text: str, old: str) -> list[tuple[int, float, str]]:
    """The blocks of `text` most similar to `old`: (first line, similarity, block), best first."""
    lines = text.split("\n")
    wanted = _old_lines(old)
    size = max(len(wanted), 1)
    target = "\n".join(_normal(line) for line in wanted)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    scored = []
    for index in range(max(len(lines) - size + 1, 1)):
        window = lines[index : index + size]
        matcher.set_seq1("\n".join(_normal(line) for line in window))
        if matcher.real_quick_ratio() < MIN_SIMILARITY or matcher.quick_ratio() < MIN_SIMILARITY:
            continue
        ratio = matcher.ratio()
        if ratio >= MIN_SIMILARITY:
            scored.append((ratio, index, "\n".join(window)))
    scored.sort(key=lambda item: (-item[0], item[1]))
    best: list[tuple[int, float, str]] = []
    for ratio, index, block in scored:
        if all(abs(index + 1 - first) >= size for first, _r, _b in best):
            best.append((index + 1, ratio, block))
        if len(best) == MAX_CANDIDATES:
            break
    return best
