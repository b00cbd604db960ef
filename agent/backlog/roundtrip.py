"""ruamel round-trip YAML: positions for errors, and writes that keep comments and layout."""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from agent.backlog.validate import Locator, Problem

__all__ = [
    "CommentedMap",
    "CommentedSeq",
    "locator_for",
    "round_trip_dump",
    "round_trip_load",
    "round_trip_yaml",
]


def round_trip_yaml(text: str = "") -> YAML:
    """A ruamel YAML instance configured to reproduce `text`'s indentation."""
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096
    mapping, sequence, offset = _detect_indent(text)
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    return rt


def _detect_indent(text: str) -> tuple[int, int, int]:
    """Return ruamel's (mapping, sequence, offset) from the first item under `items:`."""
    match = re.search(r"^items:[ \t]*\n(?:[ \t]*(?:#.*)?\n)*( *)-( +)\S", text, re.MULTILINE)
    if not match:
        return 2, 4, 2
    dash = len(match.group(1))
    return 2, dash + 1 + len(match.group(2)), dash


def round_trip_load(text: str) -> tuple[Any, list[Problem]]:
    """Parse with positions; malformed YAML becomes a Problem with its line, column and field."""
    try:
        return round_trip_yaml(text).load(text), []
    except MarkedYAMLError as exc:
        return None, [_yaml_problem(text, exc)]
    except YAMLError as exc:
        return None, [Problem(1, 1, None, None, f"invalid YAML: {exc}")]
    except (ValueError, TypeError) as exc:  # a tag or complex key ruamel cannot build a value of
        return None, [_construct_problem(text, exc)]


OPENED = ("while scanning a", "while parsing a flow")  # a quote or bracket opened and not closed
KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*:(?:\s|$)")


def _yaml_problem(text: str, exc: MarkedYAMLError) -> Problem:
    """Locate a YAML error where it starts: the opening quote or bracket, else the bad token."""
    context, problem = exc.context or "", exc.problem or "malformed YAML"
    opened = exc.context_mark is not None and context.startswith(OPENED)
    mark = exc.context_mark if opened else (exc.problem_mark or exc.context_mark)
    other = exc.problem_mark if opened else exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    thing = re.sub(r"^while \w+ ", "", context)
    if opened and other is not None:
        message = f"{thing} opened here is not closed ({problem} at line {other.line + 1})"
    elif context and other is not None:
        message = f"{problem} (in {thing} from line {other.line + 1})"
    else:
        message = problem
    lines = text.splitlines()
    key = KEY.match(lines[line - 1]) if 0 < line <= len(lines) else None
    return Problem(line, col, None, key.group(1) if key else None, f"invalid YAML: {message}")


def _construct_problem(text: str, exc: Exception) -> Problem:
    """Blame the first explicit tag (`!!int`) or complex key (`? `): ruamel gives no position."""
    lines = text.splitlines()
    suspect = re.compile(r"!!\w|^\s*(?:-\s+)?\?(?:\s|$)|\{\s*\[")
    number = next((n for n, line in enumerate(lines, 1) if suspect.search(line)), 1)
    key = KEY.match(lines[number - 1]) if lines else None
    message = f"invalid YAML: cannot build a value here ({type(exc).__name__}: {exc})"
    return Problem(number, 1, None, key.group(1) if key else None, message)


def round_trip_dump(rt: YAML, document: Any) -> str:
    """Serialize a round-trip document."""
    buffer = io.StringIO()
    rt.dump(document, buffer)
    return buffer.getvalue()


def locator_for(document: Any) -> Locator:
    """Build a Locator over a ruamel document (1-based line and column)."""

    def locate(index: int | None, field: str | None) -> tuple[int, int]:
        node: Any = document
        if index is not None:
            items = document.get("items") if isinstance(document, CommentedMap) else None
            if isinstance(items, CommentedSeq) and index < len(items):
                if not isinstance(items[index], CommentedMap):
                    line, col = items.lc.item(index)
                    return line + 1, col + 1
                node = items[index]
        if isinstance(node, CommentedMap):
            if field is not None and field in node:
                line, col = node.lc.key(field)
                return line + 1, col + 1
            return node.lc.line + 1, node.lc.col + 1
        return 1, 1

    return locate
