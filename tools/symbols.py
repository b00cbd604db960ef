"""find_symbol: where a function, class or method is defined and where it is called (ast index).

Definitions come from agent/localise's index of the repository's Python files; a call site counts
as a caller when it resolves to one of the definitions (through imports, aliases, `self.`) or
cannot be resolved at all (`obj.parse()` on an object of unknown type), never when it resolves
to a different definition of the same name. Restricted paths are neither indexed nor shown.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from agent.localise.callgraph import resolve_call
from agent.localise.index import ModuleInfo, RepoIndex, build_index
from agent.localise.parse import Call, Definition
from agent.tools.base import ToolArgs, ToolResult, Workspace
from agent.tools.common import Refused, ToolConfig, is_allowed, tool

MAX_DEFINITIONS = 20
MAX_CALLERS = 40
MAX_CODE_CHARS = 160


class FindSymbolArgs(ToolArgs):
    """Find where a function, class or method is defined and every line that calls it.

    Prints `path:line: signature` for each definition, then `path:line: code` for each caller.
    """

    name: str = Field(min_length=1)
    """The name: `parse`, a method as `Parser.feed`, or a dotted path such as `pkg.core.parse`."""


@tool
def find_symbol(workspace: Workspace, args: FindSymbolArgs, config: ToolConfig) -> ToolResult:
    """List the definitions of a name and the call sites that reach them."""
    index = build_index(workspace.root, lambda path: is_allowed(path, config.scope))
    found = definitions_of(index, args.name.strip())
    if not found:
        raise Refused(f"no definition of {args.name!r} in the repository's Python files")
    callers = callers_of(index, found)
    rows = [f"definitions of {args.name} ({len(found)}):"]
    rows += [f"{m.path}:{d.start}: {d.signature}" for m, d in found[:MAX_DEFINITIONS]]
    rows.append(f"callers ({len(callers)}):" if callers else "callers: none found")
    rows += callers[:MAX_CALLERS]
    if len(callers) > MAX_CALLERS:
        rows.append(f"[{len(callers) - MAX_CALLERS} more callers not shown]")
    data = {"definitions": len(found), "callers": len(callers)}
    return ToolResult(ok=True, output="\n".join(rows), data=data)


def definitions_of(index: RepoIndex, name: str) -> list[tuple[ModuleInfo, Definition]]:
    """Definitions `name` denotes: a dotted module path, a `Class.method`, or a plain name."""
    hit = index.resolve(name) if "." in name else None
    if hit is not None and hit[1] is not None:
        return [(hit[0], hit[1])]
    last = name.rsplit(".", 1)[-1]
    named = index.named(last)
    if "." in name:
        named = [
            (m, d) for m, d in named if _full(m, d) == name or _full(m, d).endswith("." + name)
        ]
    return named


def _full(module: ModuleInfo, definition: Definition) -> str:
    return f"{module.name}.{definition.qualname}"


def callers_of(index: RepoIndex, targets: list[tuple[ModuleInfo, Definition]]) -> list[str]:
    """`path:line: code  [in function]` for every call site that may reach `targets`."""
    wanted = {(m.path, d.qualname) for m, d in targets}
    names = {d.name for _, d in targets}
    rows: list[str] = []
    for path in sorted(index.modules):
        module = index.modules[path]
        local = names | _aliases(module, names)
        sites: list[tuple[Definition | None, Call]]
        sites = [(None, c) for c in module.parsed.module_calls if c.name in local]
        sites += [(d, c) for d in module.parsed.definitions for c in d.calls if c.name in local]
        lines = _lines(index.root / path) if sites else []
        for caller, call in sorted(sites, key=lambda site: site[1].line):
            if _reaches(index, module, caller, call, wanted):
                rows.append(_caller_row(path, lines, caller, call))
    return list(dict.fromkeys(rows))


def _aliases(module: ModuleInfo, names: set[str]) -> set[str]:
    """Local names imported under another name (`from m import parse as p`: `p`)."""
    imports = module.parsed.imports.items()
    return {local for local, dotted in imports if dotted.rsplit(".", 1)[-1] in names}


def _reaches(
    index: RepoIndex,
    module: ModuleInfo,
    caller: Definition | None,
    call: Call,
    wanted: set[tuple[str, str]],
) -> bool:
    resolved = resolve_call(index, module, caller, call)
    return not resolved or any((m.path, d.qualname) in wanted for m, d in resolved)


def _caller_row(path: str, lines: list[str], caller: Definition | None, call: Call) -> str:
    code = lines[call.line - 1].strip()[:MAX_CODE_CHARS] if call.line <= len(lines) else ""
    where = f"  [in {caller.qualname}]" if caller is not None else ""
    return f"{path}:{call.line}: {code}{where}"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").splitlines()
