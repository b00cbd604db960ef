"""Which line windows of a file matter, given anchor lines and spans; and those windows as text.

An anchor line gets `radius` lines either side; an anchor span (a function) is shown whole up to
`max_span` lines (its head, where the signature and the early logic are); windows that overlap or
lie within `gap` lines of each other merge. Lines outside the windows are left out, and the text
says where.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from agent.localise.models import RankedFile
from agent.scanners.secrets import redact

RADIUS = 6
MAX_SPAN = 60
GAP = 3


def line_windows(
    anchors: Iterable[tuple[int, int]],
    total_lines: int,
    *,
    radius: int = RADIUS,
    max_span: int = MAX_SPAN,
    gap: int = GAP,
) -> list[tuple[int, int]]:
    """Merged 1-based inclusive windows around `anchors` (`(line, line)` or a span)."""
    raw = [_window(start, end, total_lines, radius, max_span) for start, end in anchors]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(w for w in raw if w[0] <= w[1]):
        if merged and start <= merged[-1][1] + gap + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _window(start: int, end: int, total: int, radius: int, max_span: int) -> tuple[int, int]:
    if start == end:
        return max(start - radius, 1), min(end + radius, total)
    return max(start, 1), min(end, start + max_span - 1, total)


def file_windows(root: Path, ranked: RankedFile, radius: int = RADIUS) -> list[tuple[int, int]]:
    """The windows of a ranked file: around its suspicious lines and its ranked functions."""
    total = len(_lines(root / ranked.path))
    return line_windows(ranked.anchors(), total, radius=radius)


def show_windows(root: Path, path: str, windows: list[tuple[int, int]]) -> str:
    """The windows of `path` as numbered lines (secrets redacted), with a marker for each gap."""
    lines = _lines(root / path)
    parts: list[str] = []
    shown_to = 0
    for start, end in windows:
        if start > shown_to + 1:
            parts.append(f"   ... lines {shown_to + 1}-{start - 1} not shown ...")
        parts += [f"{n:>5}  {lines[n - 1]}" for n in range(start, min(end, len(lines)) + 1)]
        shown_to = end
    if shown_to < len(lines):
        parts.append(f"   ... lines {shown_to + 1}-{len(lines)} not shown ...")
    return redact("\n".join(parts))


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").splitlines()
