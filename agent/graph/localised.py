"""GREEN's view of a repository bigger than the files it shows (issue #14, ADR 0011).

The failing test's traceback, its imports and the item's text pick the focus files as before; the
fault localiser (agent.localise) adds the files it ranks next, the lines and functions worth
showing in each, and, in a repository with more modules than the model is shown, a map of module
signatures and the tools to move around it (search, find_symbol, read_window). In a repository of
a few modules the shown files are the repository: no map and no extra tools, so the prompts of
small repositories stay as short as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from agent.backlog.models import BacklogItem
from agent.graph.item_checks import is_test_file
from agent.graph.sources import item_text
from agent.graph.state import ItemState
from agent.localise import Localisation, RepoIndex, build_index, localise, repo_map

MAP_MIN_MODULES = 12
"""Non-test modules from which GREEN gets a repository map and the navigation tools."""
MAP_TOKENS = 600
"""Token budget of the repository map in GREEN's prompt."""
NAVIGATION_TOOLS = ("search", "find_symbol", "read_window")
MAX_FOCUS = 2


@dataclass(frozen=True)
class Located:
    """What the localiser found for one item: ranked files, their anchors, the map to show."""

    localisation: Localisation
    modules: int
    map_text: str = ""
    anchors: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    @property
    def large(self) -> bool:
        """True when the repository has more modules than GREEN can show whole."""
        return self.modules >= MAP_MIN_MODULES


def locate(root: Path, item: ItemState, backlog_item: BacklogItem) -> Located:
    """Localise the item's failure in the worktree at `root`."""
    index = build_index(root)
    check = item.check
    test_file = check.file if check and check.kind == "pytest" else None
    test_function = _test_function(check.target) if check and check.kind == "pytest" else None
    found = localise(
        root,
        failure=item.red_output,
        test_file=test_file,
        test_function=test_function,
        text=item_text(backlog_item),
        index=index,
    )
    modules = _module_count(index)
    anchors = {ranked.path: ranked.anchors() for ranked in found.files}
    shown = repo_map(root, found, MAP_TOKENS, index=index) if modules >= MAP_MIN_MODULES else ""
    return Located(found, modules, shown, anchors)


def merge_focus(heuristic: Sequence[str], located: Located) -> list[str]:
    """The heuristic focus files first, then the localiser's next ranked files, at most two."""
    paths = list(heuristic)
    for path in located.localisation.paths:
        if path not in paths:
            paths.append(path)
    return paths[:MAX_FOCUS]


def green_tool_names(base: Sequence[str], located: Located | None) -> tuple[str, ...]:
    """GREEN's tools: `base`, plus the navigation tools in a large repository."""
    if located is None or not located.large:
        return tuple(base)
    return (*base, *(name for name in NAVIGATION_TOOLS if name not in base))


def _test_function(target: str) -> str | None:
    parts = target.split("::")
    return "::".join(parts[1:]) if len(parts) > 1 else None


def _module_count(index: RepoIndex) -> int:
    return sum(1 for path in index.modules if not is_test_file(path))
