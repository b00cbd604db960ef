"""Put secrets back where a model's edit kept the [REDACTED] marker it was shown.

The model only ever sees redacted text (agent.scanners.secrets), so a rewrite, a function splice or
a search/replace block echoes `[REDACTED]` where the file has a key. Written back as is, the file
(and the commit) would lose the key. Each marker of the edited text is mapped back to the secret
at the same place of the original: on lines the edit left alone (aligned with difflib) by order on
the line; on changed lines by the text around the marker on its line. A marker whose place cannot
be told is a problem the caller reports to the model; the file is never written with it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from agent.scanners.secrets import REDACTED, secret_spans

PROBLEM = (
    "it has {marker} where the file has other text (line {line}); keep the text around each "
    "{marker} exactly as shown"
)


@dataclass(frozen=True)
class _Marker:
    """A marker of the shown text: the text before and after it on its line, and what it hides."""

    before: str
    after: str
    value: str


def shown_text(original: str) -> tuple[str, list[str]]:
    """`original` as the model saw it, and the value behind each marker of it, in order.

    A literal `[REDACTED]` already in the file stands for itself.
    """
    pieces: list[str] = []
    values: list[str] = []
    cursor = 0
    for start, end in secret_spans(original):
        plain = original[cursor:start]
        values += [REDACTED] * plain.count(REDACTED) + [original[start:end]]
        pieces += [plain, REDACTED]
        cursor = end
    tail = original[cursor:]
    values += [REDACTED] * tail.count(REDACTED)
    return "".join([*pieces, tail]), values


def restore_secrets(original: str, edited: str) -> tuple[str, str | None]:
    """`edited` with each marker replaced by the secret it hid in `original`; (text, problem)."""
    if REDACTED not in edited:
        return edited, None
    shown, values = shown_text(original)
    shown_lines = shown.splitlines(keepends=True)
    per_line = _values_per_line(shown_lines, values)
    markers = _markers(shown_lines, per_line)
    edited_lines = edited.splitlines(keepends=True)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, shown_lines, edited_lines, autojunk=False)
    for tag, i1, _i2, j1, j2 in matcher.get_opcodes():
        for offset, line in enumerate(edited_lines[j1:j2]):
            if REDACTED not in line:
                out.append(line)
                continue
            filled = (
                _fill(line, per_line[i1 + offset]) if tag == "equal" else _by_context(line, markers)
            )
            if filled is None:
                return edited, PROBLEM.format(marker=REDACTED, line=j1 + offset + 1)
            out.append(filled)
    return "".join(out), None


def _values_per_line(lines: Sequence[str], values: Sequence[str]) -> list[list[str]]:
    found, index = [], 0
    for line in lines:
        count = line.count(REDACTED)
        found.append(list(values[index : index + count]))
        index += count
    return found


def _markers(lines: Sequence[str], per_line: Sequence[Sequence[str]]) -> list[_Marker]:
    markers = []
    for line, values in zip(lines, per_line, strict=True):
        parts = line.split(REDACTED)
        for position, value in enumerate(values):
            before = REDACTED.join(parts[: position + 1])
            after = REDACTED.join(parts[position + 1 :])
            markers.append(_Marker(before.strip(), after.strip(), value))
    return markers


def _fill(line: str, values: Sequence[str]) -> str:
    """An unchanged line: its markers stand for the line's secrets, in order."""
    parts = line.split(REDACTED)
    out = [parts[0]]
    for value, part in zip(values, parts[1:], strict=True):
        out += [value, part]
    return "".join(out)


def _by_context(line: str, markers: Sequence[_Marker]) -> str | None:
    """A changed line: each marker takes the one secret whose line context matches, else None."""
    parts = line.split(REDACTED)
    out = [parts[0]]
    for position in range(1, len(parts)):
        before = REDACTED.join(parts[:position]).strip()
        after = REDACTED.join(parts[position:]).strip()
        value = _match(before, after, markers)
        if value is None:
            return None
        out += [value, parts[position]]
    return "".join(out)


def _match(before: str, after: str, markers: Sequence[_Marker]) -> str | None:
    both = {m.value for m in markers if m.before == before and m.after == after}
    if len(both) == 1:
        return both.pop()
    if both:
        return None  # the same context hides different secrets: cannot tell which
    one_side = {m.value for m in markers if (m.before == before and before) or _same_tail(m, after)}
    return one_side.pop() if len(one_side) == 1 else None


def _same_tail(marker: _Marker, after: str) -> bool:
    """Text after the marker identifies it only when there is more than quoting after it."""
    return marker.after == after and len(after.strip("\"'`,;) ")) > 0
