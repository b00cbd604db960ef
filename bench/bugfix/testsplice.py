"""Carry named test functions from one release's test file into another's.

A real-repository task is the buggy release plus only the tests that reveal the bug, taken from
the fixed release: each named test (`path::func` or `path::Class::func`) replaces the function
of that name in the buggy release's file, or is appended to its class (or the module); a
module-level value (`path::NAME = ...`) a test uses is carried the same way. A class
the buggy file lacks is carried whole, and so are the fixed file's top-level imports the buggy
file lacks. Other new tests of the fixed release are left out, so they cannot fail for reasons
unrelated to the bug.
"""

from __future__ import annotations

import ast
from pathlib import Path

Span = tuple[int, int]  # first and last line, 1-based, decorators included


def split_id(node_id: str) -> tuple[str, list[str]]:
    """The file and the qualified name (classes, then the function) of a pytest node id."""
    path, *names = node_id.split("::")
    return path, [name.split("[")[0] for name in names]


def find(tree: ast.Module, names: list[str]) -> ast.stmt | None:
    """The class or function at the qualified `names` in a module, if any."""
    scope: list[ast.stmt] = tree.body
    found: ast.stmt | None = None
    for name in names:
        found = next((n for n in scope if _name(n) == name), None)
        if found is None:
            return None
        scope = getattr(found, "body", [])
    return found


def _name(node: ast.stmt) -> str | None:
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    if isinstance(node, kinds):
        return node.name
    targets = node.targets if isinstance(node, ast.Assign) else []
    names = [t.id for t in targets if isinstance(t, ast.Name)]
    return names[0] if len(names) == 1 else None  # a module-level value a test uses


def span(node: ast.stmt) -> Span:
    """The lines of a definition, its decorators included."""
    decorators = getattr(node, "decorator_list", [])
    first = min([node.lineno, *(d.lineno for d in decorators)])
    return first, node.end_lineno or node.lineno


def splice(buggy: str, fixed: str, names: list[str]) -> str:
    """`buggy` with the definition at `names` taken from `fixed` (replaced or appended)."""
    fixed_node = find(ast.parse(fixed), names)
    if fixed_node is None:
        raise LookupError(f"{'::'.join(names)} is not in the fixed release's test file")
    buggy_tree, lines = ast.parse(buggy), buggy.splitlines()
    start, end = span(fixed_node)
    new = fixed.splitlines()[start - 1 : end]
    for depth in range(len(names), 0, -1):
        old = find(buggy_tree, names[:depth])
        if old is None:
            continue
        first, last = span(old)
        if depth == len(names):
            return _join([*lines[: first - 1], *new, *lines[last:]])
        outer = find(ast.parse(fixed), names[: depth + 1])
        assert outer is not None
        o_first, o_last = span(outer)
        block = fixed.splitlines()[o_first - 1 : o_last]
        return _join([*lines[:last], "", *block, *lines[last:]])
    outer = find(ast.parse(fixed), names[:1])
    assert outer is not None
    o_first, o_last = span(outer)
    return _join([*lines, "", "", *fixed.splitlines()[o_first - 1 : o_last]])


def carry_imports(buggy: str, fixed: str) -> str:
    """`buggy` with the fixed file's top-level imports it lacks, after its own last import."""
    tree, lines = ast.parse(buggy), buggy.splitlines()
    have = {ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)}
    wanted = [n for n in ast.parse(fixed).body if isinstance(n, ast.Import | ast.ImportFrom)]
    missing = [ast.unparse(n) for n in wanted if ast.unparse(n) not in have]
    if not missing:
        return buggy
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    at = max((n.end_lineno or n.lineno for n in imports), default=0)
    return _join([*lines[:at], *missing, *lines[at:]])


def _join(lines: list[str]) -> str:
    return "\n".join(lines).rstrip("\n") + "\n"


def carry_tests(buggy_root: Path, fixed_root: Path, target: Path, node_ids: list[str]) -> None:
    """Write into `target` (a copy of the buggy tree) the named tests from the fixed release."""
    for node_id in node_ids:
        path, names = split_id(node_id)
        destination, source = target / path, fixed_root / path
        if not (buggy_root / path).is_file():
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
            continue
        fixed = source.read_text(encoding="utf-8")
        text = splice(destination.read_text(encoding="utf-8"), fixed, names)
        destination.write_text(carry_imports(text, fixed), encoding="utf-8")
