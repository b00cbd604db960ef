"""Imports go one way between layers (docs/architecture.md, Layers): a module never imports a layer
above its own. Read from the source with `ast`, so lazy and TYPE_CHECKING imports count too."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "foundation",
        (
            "agent.errors",
            "agent.system",
            "agent.text",
            "agent.config",
            "agent.scanners",
            "agent.testrun",
            "agent.workspace",
            "agent.localise",
            "agent.backlog",
            "agent.instructions",
        ),
    ),
    ("tools", ("agent.tools",)),
    ("model", ("agent.llm",)),
    (
        "work",
        (
            "agent.graph",
            "agent.sync",
            "agent.discovery",
            "agent.forge",
            "agent.report",
            "agent.demo",
        ),
    ),
    ("interface", ("agent.commands", "agent.cli", "agent.__main__")),
]
"""Lowest first. A module may import its own layer and the layers below, never one above."""

PACKAGES = ("agent", "tools")
"""Source folders; tools/ is installed as agent.tools (agent/tools is a link to it, ADR 0017)."""


def layer_of(module: str) -> int | None:
    """Index in LAYERS of the layer `module` belongs to (longest prefix wins); None if none."""
    best: tuple[int, int] | None = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > best[1]
            ):
                best = (index, len(prefix))
    return None if best is None else best[0]


def module_name(path: Path) -> str:
    """Dotted module name of a source file under ROOT."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    parts = ("agent", *parts) if parts[0] != "agent" else parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, module: str) -> list[tuple[int, str]]:
    """(line, module) of every import in `tree`, with `from pkg import mod` as `pkg.mod`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def sources() -> list[Path]:
    """Every Python source of the packages (the demo's template is data, not code)."""
    files = [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]
    linked = {("agent", "tools"), ("agent", "prompts")}  # the links: read once, from tools/
    return [
        p
        for p in files
        if "template" not in p.relative_to(ROOT).parts
        and p.relative_to(ROOT).parts[:2] not in linked
    ]


def wrong_way() -> list[str]:
    """Every import that goes up a layer, as 'file:line: module (layer) imports target (layer)'."""
    problems = []
    for path in sources():
        module = module_name(path)
        own = layer_of(module)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, target in imported(tree, module):
            theirs = layer_of(target)
            if own is not None and theirs is not None and theirs > own:
                problems.append(
                    f"{path.relative_to(ROOT)}:{line}: {module} ({LAYERS[own][0]}) imports "
                    f"{target} ({LAYERS[theirs][0]})"
                )
    return problems


def test_every_module_has_a_layer() -> None:
    missing = [module_name(p) for p in sources() if layer_of(module_name(p)) is None]
    assert missing in ([], ["agent"]), missing


def test_imports_go_down_the_layers() -> None:
    assert wrong_way() == []


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    tree = ast.parse("from agent.graph.state import CycleOutcome\nimport agent.tools.base\n")
    targets = [target for _, target in imported(tree, "agent.config.settings")]
    assert [layer_of(t) for t in targets] == [3, 1]
    assert layer_of("agent.config.settings") == 0
    assert layer_of("agent.tools.registry") == 1 and layer_of("agent.cli") == 4
