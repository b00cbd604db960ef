"""The one truncation policy: cut text to a budget, saying what was cut and where.

Two cuts, both pure: `cut_tokens` keeps a text's first and/or last tokens (tool output, failure
output, long chat messages); `excerpt` keeps whole lines around anchor lines (a traceback's line,
a function's span) plus the file's head, and marks every omitted range with its line numbers, so a
bug at line 1,500 of a long module is shown, never cut away by a head cut. Callers keep their own
marker wording (prompts recorded in cassettes depend on it); the policy lives here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import tiktoken

HEAD_LINES = 20
"""Lines of a file's head kept beside the anchors (imports and module constants)."""
OMITTED = "... lines {first}-{last} omitted ...\n"

Anchor = int | tuple[int, int]
"""A 1-based line, or an inclusive (first, last) range of lines."""


@dataclass(frozen=True)
class TokenCut:
    """What `cut_tokens` kept: the head and tail text, and how many tokens were cut between."""

    head: str
    tail: str
    cut: int


def cut_tokens(text: str, encoding: tiktoken.Encoding, head: int, tail: int) -> TokenCut:
    """Keep the first `head` and last `tail` tokens of `text` (all of it when it fits)."""
    tokens = encoding.encode_ordinary(text)
    head, tail = max(head, 0), max(tail, 0)
    if len(tokens) <= head + tail:
        return TokenCut(text, "", 0)
    kept_tail = encoding.decode(tokens[len(tokens) - tail :]) if tail else ""
    return TokenCut(encoding.decode(tokens[:head]), kept_tail, len(tokens) - head - tail)


def excerpt(
    text: str,
    anchors: Iterable[Anchor] = (),
    budget: int = 12_000,
    size: Callable[[str], int] = len,
) -> str:
    """`text` cut to `budget` (measured by `size`): the head and windows around `anchors`.

    The windows are as wide as the budget allows (the same width on every anchor); each gap
    becomes one `... lines A-B omitted ...` line. The anchor lines themselves are always kept,
    and so is the head unless even the bare anchors leave no room for it.
    """
    if size(text) <= budget:
        return text
    lines = text.splitlines(keepends=True)
    ranges = _ranges(anchors, len(lines))
    for head in (HEAD_LINES, 0) if ranges else (len(lines),):
        best = _widest(lines, ranges, head, budget, size)
        if best is not None:
            return best
    return _render(lines, _kept(len(lines), ranges, 0, 0))


def _ranges(anchors: Iterable[Anchor], count: int) -> list[tuple[int, int]]:
    """Anchors as 0-based inclusive ranges inside the file."""
    ranges = []
    for anchor in anchors:
        first, last = (anchor, anchor) if isinstance(anchor, int) else anchor
        first, last = max(first, 1) - 1, min(max(last, first), count) - 1
        if first <= last:
            ranges.append((first, last))
    return ranges


def _widest(
    lines: list[str],
    ranges: Sequence[tuple[int, int]],
    head: int,
    budget: int,
    size: Callable[[str], int],
) -> str | None:
    """The widest window (binary search: output grows with it) whose excerpt fits the budget."""
    if not ranges:  # head only: as many lines as fit
        return _widest_head(lines, budget, size)
    low, high, best = 0, len(lines), None
    while low <= high:
        width = (low + high) // 2
        shown = _render(lines, _kept(len(lines), ranges, head, width))
        if size(shown) <= budget:
            best, low = shown, width + 1
        else:
            high = width - 1
    return best


def _widest_head(lines: list[str], budget: int, size: Callable[[str], int]) -> str:
    low, high, best = 0, len(lines), _render(lines, set())
    while low <= high:
        count = (low + high) // 2
        shown = _render(lines, set(range(count)))
        if size(shown) <= budget:
            best, low = shown, count + 1
        else:
            high = count - 1
    return best


def _kept(count: int, ranges: Sequence[tuple[int, int]], head: int, width: int) -> set[int]:
    kept = set(range(min(head, count)))
    for first, last in ranges:
        kept.update(range(max(first - width, 0), min(last + width, count - 1) + 1))
    return kept


def _render(lines: list[str], kept: set[int]) -> str:
    """The kept lines in order, each run of omitted lines replaced by one marker line."""
    out: list[str] = []
    gap_start: int | None = None
    for index, line in enumerate(lines):
        if index in kept:
            if gap_start is not None:
                out.append(OMITTED.format(first=gap_start + 1, last=index))
                gap_start = None
            out.append(line if line.endswith("\n") else line + "\n")
        elif gap_start is None:
            gap_start = index
    if gap_start is not None:
        out.append(OMITTED.format(first=gap_start + 1, last=len(lines)))
    return "".join(out)
