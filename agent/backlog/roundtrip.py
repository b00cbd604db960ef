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
    """Parse with positions; malformed YAML becomes a Problem with its line and column."""
    try:
        return round_trip_yaml(text).load(text), []
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "malformed YAML"
        return None, [Problem(line, col, None, None, f"invalid YAML: {what}")]
    except YAMLError as exc:
        return None, [Problem(1, 1, None, None, f"invalid YAML: {exc}")]


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
