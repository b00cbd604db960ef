"""The call graph walked from a test function through imports, breadth first, to a depth.

A call resolves through the calling module's own definitions, its imports (aliases, relative
imports, re-exports in `__init__.py`), `self.`/`cls.` methods of the enclosing class (and its
bases) and, for a method called on an unknown object, the repository's few definitions of that
name (at most MAX_FUZZY of them; more means the name says too little).
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.localise.index import ModuleInfo, RepoIndex
from agent.localise.parse import Call, Definition

MAX_FUZZY = 3
Target = tuple[ModuleInfo, Definition]


@dataclass(frozen=True, slots=True)
class Reached:
    """A definition reached from the test, `depth` calls away."""

    path: str
    qualname: str
    depth: int


def reach(index: RepoIndex, starts: list[Target], max_depth: int = 3) -> list[Reached]:
    """Definitions reachable from `starts` within `max_depth` calls, nearest first."""
    seen = {(module.path, d.qualname): 0 for module, d in starts}
    frontier = list(starts)
    for depth in range(1, max_depth + 1):
        following: list[Target] = []
        for module, definition in frontier:
            for target in callees(index, module, definition):
                key = (target[0].path, target[1].qualname)
                if key not in seen:
                    seen[key] = depth
                    following.append(target)
        frontier = following
    reached = [Reached(path, qual, depth) for (path, qual), depth in seen.items() if depth > 0]
    return sorted(reached, key=lambda r: (r.depth, r.path, r.qualname))


def callees(index: RepoIndex, module: ModuleInfo, definition: Definition) -> list[Target]:
    """The definitions the calls inside `definition` may reach (classes bring their __init__)."""
    targets: list[Target] = []
    for call in definition.calls:
        for target in resolve_call(index, module, definition, call):
            targets += [target, *_constructor(target)]
    return list(dict.fromkeys(targets))


def _constructor(target: Target) -> list[Target]:
    module, definition = target
    if definition.kind != "class":
        return []
    init = module.defs.get(definition.qualname + ".__init__")
    return [(module, init)] if init else []


def resolve_call(
    index: RepoIndex, module: ModuleInfo, caller: Definition | None, call: Call
) -> list[Target]:
    """Where one call may go, from inside `caller` in `module` (None: module level)."""
    if call.receiver is None:
        return _plain(index, module, call.name)
    head, _, rest = call.receiver.partition(".")
    if head in ("self", "cls") and caller is not None and "." in caller.qualname:
        found = _method(index, module, caller.qualname.rsplit(".", 1)[0], call.name)
        return found or _fuzzy(index, call.name)
    if head in module.parsed.imports:
        dotted = ".".join(filter(None, [module.parsed.imports[head], rest, call.name]))
        return _definition(index.resolve(dotted))
    if call.receiver in module.defs:
        return _method(index, module, call.receiver, call.name)
    return _fuzzy(index, call.name)


def _plain(index: RepoIndex, module: ModuleInfo, name: str) -> list[Target]:
    own = module.defs.get(name)
    if own is not None:
        return [(module, own)]
    if name in module.parsed.imports:
        return _definition(index.resolve(module.parsed.imports[name]))
    for base in module.parsed.star_imports:
        found = _definition(index.resolve(f"{base}.{name}"))
        if found:
            return found
    return []


def _method(
    index: RepoIndex, module: ModuleInfo, cls: str, name: str, hops: int = 0
) -> list[Target]:
    """`cls.name` in `module`, else in the base classes (followed through imports)."""
    own = module.defs.get(f"{cls}.{name}")
    if own is not None:
        return [(module, own)]
    klass = module.defs.get(cls)
    if klass is None or hops > 3:
        return []
    for base in klass.bases:
        for base_module, base_def in _plain(index, module, base.split(".")[-1]):
            found = _method(index, base_module, base_def.qualname, name, hops + 1)
            if found:
                return found
    return []


def _definition(hit: tuple[ModuleInfo, Definition | None] | None) -> list[Target]:
    if hit is None or hit[1] is None:
        return []
    return [(hit[0], hit[1])]


def _fuzzy(index: RepoIndex, name: str) -> list[Target]:
    if name.startswith("__") or len(name) < 3:
        return []
    named = [(m, d) for m, d in index.named(name) if d.kind == "method"]
    return named if 0 < len(named) <= MAX_FUZZY else []
