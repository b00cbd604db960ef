"""Parse one Python file into what localisation needs: definitions, calls, imports.

A definition is a top-level function or class, or a function or class inside a class (methods,
nested classes), with its 1-based line span (decorators included) and a one-line signature.
Calls made anywhere inside a definition (nested functions included) belong to it; calls at
module level belong to the module. Imports map each local name to the dotted name it stands for.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

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
    definitions: list[Definition] = []
    for node in tree.body:
        definitions += _definitions(node, "")
    imports, stars = _imports(tree, package)
    module_calls = tuple(
        call
        for node in tree.body
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for call in _calls(node)
    )
    return ParsedModule(tuple(definitions), module_calls, imports, tuple(stars))


def _definitions(node: ast.stmt, prefix: str) -> list[Definition]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        kind = "method" if prefix else "function"
        return [_definition(node, prefix + node.name, kind, _calls(node))]
    if not isinstance(node, ast.ClassDef):
        return []
    qualname = prefix + node.name
    bases = tuple(ast.unparse(base) for base in node.bases)
    own_calls = tuple(call for base in node.bases for call in _calls(base))
    found = [_definition(node, qualname, "class", own_calls, bases)]
    for child in node.body:
        found += _definitions(child, qualname + ".")
    return found


def _definition(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
    qualname: str,
    kind: str,
    calls: tuple[Call, ...],
    bases: tuple[str, ...] = (),
) -> Definition:
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    end = node.end_lineno or node.lineno
    return Definition(qualname, kind, start, end, signature(node), calls, bases)


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


def _calls(node: ast.AST) -> tuple[Call, ...]:
    found: list[Call] = []
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Call):
            continue
        if isinstance(sub.func, ast.Name):
            found.append(Call(sub.func.id, None, sub.lineno))
        elif isinstance(sub.func, ast.Attribute):
            found.append(Call(sub.func.attr, _dotted(sub.func.value), sub.lineno))
    return tuple(sorted(found, key=lambda call: (call.line, call.name)))


def _dotted(node: ast.expr) -> str:
    """`a.b` for a Name/Attribute chain; `?` for anything else (`f().g()`, `x[0].g()`)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def _imports(tree: ast.Module, package: str) -> tuple[dict[str, str], list[str]]:
    names: dict[str, str] = {}
    stars: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                names[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom):
            base = absolute_module(node.module, node.level, package)
            if base is None:
                continue
            for alias in node.names:
                if alias.name == "*":
                    stars.append(base)
                else:
                    names[alias.asname or alias.name] = f"{base}.{alias.name}".strip(".")
    return names, stars


def absolute_module(module: str | None, level: int, package: str) -> str | None:
    """The absolute name of `from <level dots><module> import ...` inside `package`."""
    if level == 0:
        return module
    parts = package.split(".") if package else []
    if level > len(parts):
        return None  # beyond the top-level package
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, *([module] if module else [])])
