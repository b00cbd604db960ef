"""An ast index of a repository's Python files: modules, definitions, calls and imports.

Files are listed with git (tracked, plus new files that are not ignored) and parsed once per
(path, mtime, size): a file that did not change is not parsed again in this process. Files that
do not parse (syntax errors, undeclared non-UTF-8 bytes, NUL bytes), are over MAX_INDEX_BYTES or
are symbolic links are skipped and listed in `skipped`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from agent.localise.parse import Definition, ParsedModule, parse_source
from agent.system import proc

MAX_INDEX_BYTES = 1_500_000
MAX_REEXPORT_HOPS = 4


@dataclass(frozen=True, slots=True, eq=False)
class ModuleInfo:
    """One parsed file: its path, canonical dotted name and what it defines and imports.

    Compared and hashed by identity: an index holds one ModuleInfo per path.
    """

    path: str
    name: str
    parsed: ParsedModule
    defs: dict[str, Definition] = field(default_factory=dict)

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return package_of(self.path, self.name)


@dataclass
class RepoIndex:
    """Every indexed module by path, and every dotted name a module is importable as."""

    root: Path
    modules: dict[str, ModuleInfo]
    names: dict[str, str]
    skipped: list[str] = field(default_factory=list)
    _named: dict[str, list[tuple[ModuleInfo, Definition]]] | None = None

    def module(self, path: str) -> ModuleInfo | None:
        """The module at a repository-relative path."""
        return self.modules.get(path)

    def by_name(self, dotted: str) -> ModuleInfo | None:
        """The module importable as `dotted`."""
        path = self.names.get(dotted)
        return self.modules.get(path) if path else None

    def definitions(self) -> Iterator[tuple[ModuleInfo, Definition]]:
        """Every definition of every module, by path then line."""
        for path in sorted(self.modules):
            module = self.modules[path]
            yield from ((module, d) for d in module.parsed.definitions)

    def named(self, name: str) -> list[tuple[ModuleInfo, Definition]]:
        """Every definition whose last name part is `name`, by path then line."""
        if self._named is None:
            self._named = {}
            for module, definition in self.definitions():
                self._named.setdefault(definition.name, []).append((module, definition))
        return self._named.get(name, [])

    def resolve(self, dotted: str, hops: int = 0) -> tuple[ModuleInfo, Definition | None] | None:
        """The module (and definition) `pkg.mod.C.f` names, through re-exports; None if unknown."""
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            module = self.by_name(".".join(parts[:cut]))
            if module is not None:
                return self._inside(module, parts[cut:], hops)
        return None

    def _inside(
        self, module: ModuleInfo, rest: list[str], hops: int
    ) -> tuple[ModuleInfo, Definition | None] | None:
        if not rest:
            return module, None
        found = module.defs.get(".".join(rest))
        if found is not None:
            return module, found
        if hops >= MAX_REEXPORT_HOPS:
            return None
        target = module.parsed.imports.get(rest[0])
        if target is not None:
            return self.resolve(".".join([target, *rest[1:]]), hops + 1)
        for base in module.parsed.star_imports:
            hit = self.resolve(".".join([base, *rest]), hops + 1)
            if hit is not None and hit[1] is not None:
                return hit
        return None

    def enclosing(self, path: str, line: int) -> Definition | None:
        """The innermost definition of `path` whose span holds `line`."""
        module = self.modules.get(path)
        if module is None:
            return None
        spans = [d for d in module.parsed.definitions if d.start <= line <= d.end]
        return min(spans, key=lambda d: d.end - d.start, default=None)


def build_index(root: Path, allowed: Callable[[str], bool] | None = None) -> RepoIndex:
    """Index the repository's Python files (those `allowed` accepts, when given)."""
    paths = [p for p in python_files(root) if allowed is None or allowed(p)]
    known = set(paths)
    modules: dict[str, ModuleInfo] = {}
    names: dict[str, str] = {}
    skipped: list[str] = []
    for path in paths:
        name, aliases = module_names(path, known)
        parsed = _parse_file(root / path, package_of(path, name))
        if parsed is None:
            skipped.append(path)
            continue
        defs = {d.qualname: d for d in parsed.definitions}
        modules[path] = ModuleInfo(path, name, parsed, defs)
        for dotted in (name, *aliases):
            names.setdefault(dotted, path)
    return RepoIndex(root, modules, names, skipped)


def python_files(root: Path) -> list[str]:
    """Tracked and new (not ignored) `.py` files of the repository, sorted."""
    result = proc.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.py"],
        cwd=root,
        timeout=60,
    )
    return sorted({name for name in result.stdout.split("\0") if name.endswith(".py")})


def module_names(path: str, known: set[str]) -> tuple[str, list[str]]:
    """The canonical dotted name of `path` (from its top package) and other names it has."""
    is_init = path == "__init__.py" or path.endswith("/__init__.py")
    parts = path.removesuffix(".py").split("/")
    if is_init:
        parts = parts[:-1] or ["__init__"]  # a repository-root __init__.py keeps its own name
    depth = len(parts) - (0 if is_init and "/" in path else 1)  # directories above the module
    top = depth
    while top > 0 and "/".join(parts[:top]) + "/__init__.py" in known:
        top -= 1
    full = ".".join(parts)
    canonical = ".".join(parts[top:]) if top < depth else full
    aliases = [full]
    if parts[0] == "src" and len(parts) > 1:
        aliases.append(".".join(parts[1:]))
    return canonical, [alias for alias in aliases if alias and alias != canonical]


def package_of(path: str, name: str) -> str:
    """The package of a module: itself for `__init__.py`, else its parent name."""
    if path.endswith("__init__.py"):
        return name
    return name.rsplit(".", 1)[0] if "." in name else ""


def _parse_file(path: Path, package: str) -> ParsedModule | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    if stat.st_size > MAX_INDEX_BYTES or path.is_symlink() or not path.is_file():
        return None  # a symlink may lead out of the repository: its text is not ours to show
    return _parse_cached(str(path), package, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8192)
def _parse_cached(path: str, package: str, mtime_ns: int, size: int) -> ParsedModule | None:
    """Parse a file; the key includes mtime and size, so a changed file is parsed again."""
    try:
        return parse_source(Path(path).read_bytes(), package)
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
