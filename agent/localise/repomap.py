"""An aider-style repository map: module paths and their signatures, within a token budget.

The localised files come first (in rank order), then the other non-test modules by their import
distance from them (modules they import or that import them, then the next ring), then by path.
Each module is a block: its path, then one line per definition, `line: signature`, indented by
nesting. Whole blocks are added while they fit; the first block alone may be cut by lines. When
anything is left out, a last line says how many modules (and which first) did not fit.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

from agent.localise.index import ModuleInfo, RepoIndex, build_index
from agent.localise.models import Localisation
from agent.testrun.testfiles import is_test_file
from agent.text.tokens import count_text

HEADER = "Repository map (line: signature):"
NOTE_RESERVE = 60
NAMED_IN_NOTE = 5


def repo_map(
    root: Path, localisation: Localisation, budget_tokens: int, *, index: RepoIndex | None = None
) -> str:
    """The map of the repository's modules, localised files first, in at most `budget_tokens`."""
    index = index or build_index(root)
    order = map_order(index, localisation.paths)
    if budget_tokens < count_text(HEADER) + NOTE_RESERVE:
        return _cut_note(budget_tokens, order)
    lines = [HEADER]
    used = count_text(HEADER)
    limit = budget_tokens - NOTE_RESERVE
    for position, path in enumerate(order):
        block = module_block(index.modules[path])
        cost = count_text(block) + 1
        if used + cost > limit:
            if position == 0:
                lines.append(_partial(block, limit - used))
            left = order[position + (1 if position == 0 else 0) :]
            return "\n".join([*lines, _cut_note(budget_tokens, left)])
        lines.append(block)
        used += cost
    return "\n".join(lines)


def map_order(index: RepoIndex, ranked: list[str]) -> list[str]:
    """Ranked paths first, then other non-test modules by import distance, then by path."""
    first = [path for path in ranked if path in index.modules]
    distance = _import_distance(index, first)
    rest = [p for p in index.modules if p not in first and not is_test_file(p)]
    return first + sorted(rest, key=lambda p: (distance.get(p, len(index.modules)), p))


def module_block(module: ModuleInfo) -> str:
    """`path:` and one `line: signature` row per definition, indented by nesting."""
    rows = [f"{module.path}:"]
    for definition in module.parsed.definitions:
        indent = "    " * definition.qualname.count(".")
        rows.append(f"{definition.start:>5}: {indent}{definition.signature}")
    return "\n".join(rows)


def _partial(block: str, budget: int) -> str:
    kept: list[str] = []
    used = 0
    for row in block.splitlines():
        cost = count_text(row) + 1
        if used + cost > budget:
            kept.append(f"  [{len(block.splitlines()) - len(kept)} more signatures not shown]")
            break
        kept.append(row)
        used += cost
    return "\n".join(kept)


def _cut_note(budget: int, left: list[str]) -> str:
    """Say what did not fit, naming as many of the first left-out modules as NOTE_RESERVE allows."""
    for named in range(min(NAMED_IN_NOTE, len(left)), -1, -1):
        more = ", ..." if len(left) > named else ""
        listed = f": {', '.join(left[:named])}{more}" if named else ""
        note = f"[repo map cut at the {budget}-token budget: {len(left)} more modules{listed}]"
        if count_text(note) <= min(NOTE_RESERVE, budget):
            return note
    return ""  # a budget too small to say even that (under ~15 tokens): no map at all


def _import_distance(index: RepoIndex, sources: list[str]) -> dict[str, int]:
    edges = _import_edges(index)
    distance = {path: 0 for path in sources}
    queue = deque(sources)
    while queue:
        path = queue.popleft()
        for neighbour in sorted(edges.get(path, set())):
            if neighbour not in distance:
                distance[neighbour] = distance[path] + 1
                queue.append(neighbour)
    return distance


def _import_edges(index: RepoIndex) -> dict[str, set[str]]:
    """Undirected edges between modules that import one another."""
    edges: dict[str, set[str]] = {}
    for path, module in index.modules.items():
        targets = [*module.parsed.imports.values(), *module.parsed.star_imports]
        for dotted in targets:
            hit = index.resolve(dotted)
            if hit is not None and hit[0].path != path:
                edges.setdefault(path, set()).add(hit[0].path)
                edges.setdefault(hit[0].path, set()).add(path)
    return edges
