"""Resolve an ambiguous `replace_text` to the function the failing test calls.

Measured with the 1.5B local model: it proposes the right edit (`return a + b` -> `return a - b`)
but the text occurs in two functions, the tool refuses it as ambiguous, and the model repeats it
verbatim until the step cap. When exactly one occurrence lies in a function the RED test calls,
the edit is widened to that function's source, which makes it unique; the check still decides.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

Adjust = Callable[[str, dict[str, Any]], dict[str, Any]]


def called_names(root: Path, test_file: str, node_id: str) -> set[str]:
    """Names of the functions the test `node_id` calls (`f(...)`, `obj.f(...)`)."""
    try:
        tree = ast.parse((root / test_file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return set()
    test_name = node_id.rsplit("::", 1)[-1].split("[", 1)[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == test_name:
            names |= calls(node)
    return names


def calls(tree: ast.AST, attributes: bool = True) -> set[str]:
    """Names called in `tree`: `f(...)`, and with `attributes` also `obj.f(...)`."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                names.add(node.func.id)
            elif attributes and isinstance(node.func, ast.Attribute):
                names.add(node.func.attr)
    return names


def first_line(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The 1-based first line of a def, its decorators included."""
    return min([node.lineno, *(d.lineno for d in node.decorator_list)])


def narrow(text: str, old: str, new: str, names: set[str]) -> tuple[str, str] | None:
    """(old, new) widened to the one named function holding `old`, or None when that is unclear."""
    if not old or text.count(old) < 2 or not names:
        return None
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    lines = text.splitlines(keepends=True)
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in names:
            source = "".join(lines[first_line(node) - 1 : node.end_lineno])
            if source.count(old) == 1:
                spans.append(source)
    if len(spans) != 1 or text.count(spans[0]) != 1:
        return None
    return spans[0], spans[0].replace(old, new)


def narrowing(root: Path, names: set[str]) -> Adjust:
    """A loop hook: rewrite an ambiguous replace_text into the unique function-wide edit."""

    def adjust(tool: str, args: dict[str, Any]) -> dict[str, Any]:
        if tool != "replace_text" or not isinstance(args.get("path"), str):
            return args
        target = (root / args["path"]).resolve()
        if not target.is_relative_to(root.resolve()):
            return args  # the tool refuses it with its own message
        try:
            text = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return args
        widened = narrow(text, str(args.get("old", "")), str(args.get("new", "")), names)
        if widened is None:
            return args
        return {**args, "old": widened[0], "new": widened[1]}

    return adjust
