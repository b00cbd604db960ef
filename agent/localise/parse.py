"""Parse one Python file into what localisation needs: definitions, calls, imports.

A definition is a top-level function or class, or a function or class inside a class (methods,
nested classes), with its 1-based line span (decorators included) and a one-line signature.
A call belongs to the innermost definition whose span holds it: a method's calls (its nested
functions' included) to the method, a class body's own calls to the class, the rest to the
module. Imports map each local name to the dotted name it stands for.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

MAX_SIGNATURE_CHARS = 160


@dataclass(frozen=True, slots=True)
class Call:
    """One call site: `name` called on `receiver` (`a.b` in `a.b.name()`, None for `name()`)."""

    name: str
    receiver: str | None
    line: int


@dataclass(frozen=True, slots=True)
class Definition:
    """A function, method or class: `qualname` is `f`, `C` or `C.m`."""

    qualname: str
    kind: str
    start: int
    end: int
    signature: str
    calls: tuple[Call, ...] = ()
    bases: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The last part of the qualified name."""
        return self.qualname.rsplit(".", 1)[-1]


@dataclass(frozen=True, slots=True)
class ParsedModule:
    """What one file defines, calls at module level, and imports (local name -> dotted name)."""

    definitions: tuple[Definition, ...]
    module_calls: tuple[Call, ...]
    imports: dict[str, str] = field(default_factory=dict)
    star_imports: tuple[str, ...] = ()


def parse_source(source: bytes, package: str) -> ParsedModule:
    """Parse `source` (bytes, so coding cookies apply); `package` resolves relative imports.

    Raises SyntaxError, ValueError or RecursionError for files Python cannot parse.
    """
    tree = ast.parse(source)
    shells: list[Definition] = []
    for node in tree.body:
        shells += _definitions(node, "")
    calls, imports, stars = _scan(tree, package)
    owned = _owners(shells, calls)
    definitions = tuple(
        replace(shell, calls=tuple(owned.get(position, ())))
        for position, shell in enumerate(shells)
    )
    return ParsedModule(definitions, tuple(owned.get(-1, ())), imports, tuple(stars))


def _definitions(node: ast.stmt, prefix: str) -> list[Definition]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return [_definition(node, prefix + node.name, "method" if prefix else "function")]
    if not isinstance(node, ast.ClassDef):
        return []
    qualname = prefix + node.name
    bases = tuple(ast.unparse(base) for base in node.bases)
    found = [_definition(node, qualname, "class", bases)]
    for child in node.body:
        found += _definitions(child, qualname + ".")
    return found


def _definition(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
    qualname: str,
    kind: str,
    bases: tuple[str, ...] = (),
) -> Definition:
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    end = node.end_lineno or node.lineno
    return Definition(qualname, kind, start, end, signature(node), (), bases)


def _owners(shells: list[Definition], calls: list[Call]) -> dict[int, list[Call]]:
    """Give each call to the innermost definition whose span holds it (-1: module level).

    Definitions come in source order, a parent before its children, so walking back from the
    last one that starts at or before the call, the first that still spans it is the innermost.
    """
    starts = [shell.start for shell in shells]
    owned: dict[int, list[Call]] = {}
    for call in sorted(calls, key=lambda c: (c.line, c.name)):
        position = bisect.bisect_right(starts, call.line) - 1
        while position >= 0 and shells[position].end < call.line:
            position -= 1
        owned.setdefault(position, []).append(call)
    return owned


def signature(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> str:
    """One line: `def f(a, b=1) -> int:`, `async def g():` or `class C(Base):`."""
    if isinstance(node, ast.ClassDef):
        parts = [ast.unparse(b) for b in node.bases] + [ast.unparse(k) for k in node.keywords]
        text = f"class {node.name}({', '.join(parts)}):" if parts else f"class {node.name}:"
    else:
        keyword = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
        returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
        text = f"{keyword} {node.name}({ast.unparse(node.args)}){returns}:"
    text = " ".join(text.split())
    return text if len(text) <= MAX_SIGNATURE_CHARS else text[: MAX_SIGNATURE_CHARS - 4] + " ...:"


def _scan(tree: ast.Module, package: str) -> tuple[list[Call], dict[str, str], list[str]]:
    """One pass over the tree: every call site, and the imports (function-local ones too)."""
    calls: list[Call] = []
    imports: dict[str, str] = {}
    stars: list[str] = []
    for node in _nodes(tree):
        if isinstance(node, ast.Call):
            calls += _call(node)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            _add_import(node, package, imports, stars)
    return calls, imports, stars


def _nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node below `tree` (a leaner ast.walk: the index parses thousands of files)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack += [item for item in value if isinstance(item, ast.AST)]


def _call(node: ast.Call) -> list[Call]:
    if isinstance(node.func, ast.Name):
        return [Call(node.func.id, None, node.lineno)]
    if isinstance(node.func, ast.Attribute):
        return [Call(node.func.attr, _dotted(node.func.value), node.lineno)]
    return []


def _dotted(node: ast.expr) -> str:
    """`a.b` for a Name/Attribute chain; `?` for anything else (`f().g()`, `x[0].g()`)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def _add_import(
    node: ast.Import | ast.ImportFrom, package: str, names: dict[str, str], stars: list[str]
) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            local = alias.asname or alias.name.split(".")[0]
            names[local] = alias.name if alias.asname else local
        return
    base = absolute_module(node.module, node.level, package)
    if base is None:
        return
    for alias in node.names:
        if alias.name == "*":
            stars.append(base)
        else:
            names[alias.asname or alias.name] = f"{base}.{alias.name}".strip(".")


def absolute_module(module: str | None, level: int, package: str) -> str | None:
    """The absolute name of `from <level dots><module> import ...` inside `package`."""
    if level == 0:
        return module
    parts = package.split(".") if package else []
    if level > len(parts):
        return None  # beyond the top-level package
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, *([module] if module else [])])
