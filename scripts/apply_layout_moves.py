"""Rewrite imports and path references after the layout moves listed in docs/layout-moves.md.

Usage: `python scripts/apply_layout_moves.py [--git-mv] [PATH ...]` (default: the whole tree, less
cassettes and test fixtures). Each row "old → new" of the table rewrites dotted names
(`agent.settings` → `agent.config.settings`), `from agent import proc` forms and file paths
(`agent/settings.py`). With `--git-mv` it also moves the files (used once, by the move itself);
`--dry-run` only lists the files that would change.
Extra `old=new` arguments add renames that are not in the table.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "layout-moves.md"
ROW = re.compile(r"^\|\s*`([\w.]+)`\s*\|\s*`([\w.]+)`\s*\|")
SKIP = (
    "cassettes/",
    "agent/demo/template/",
    "bench/bugfix/tasks/",
    "docs/layout-moves.md",
    "docs/adr/0017-layout.md",
    "scripts/apply_layout_moves.py",
    "tests/test_layout_moves.py",
)
SUFFIXES = {".py", ".md", ".toml", ".txt", ".cfg", ".yml", ".yaml", ".j2", ""}


def moves(table: Path = TABLE) -> dict[str, str]:
    """Return the module renames {old dotted name: new dotted name} from the table."""
    found: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match and match.group(1) != match.group(2):
            found[match.group(1)] = match.group(2)
    return found


def _path(module: str) -> str:
    """Return the source path of a dotted module name (a module file, not a package)."""
    return module.replace(".", "/") + ".py"


def rewrite(text: str, renames: dict[str, str]) -> str:
    """Return `text` with every old module name and path replaced by the new one."""
    names = sorted(renames, key=len, reverse=True)
    dotted = re.compile(
        r"(?<![\w.])("
        + "|".join(map(re.escape, names))
        + r")(?![\w])(\.?)(?:(?<!\.) import (\w+))?"
    )
    text = dotted.sub(lambda m: _dotted(m, renames), text)
    paths = {_path(o): _path(n) for o, n in renames.items() if not (ROOT / _path(o)).exists()}
    if paths:
        slashed = re.compile(r"(?<![\w/.])(" + "|".join(map(re.escape, sorted(paths))) + r")")
        text = slashed.sub(lambda m: paths[m.group(1)], text)
    return _from_imports(text, renames)


def _dotted(match: re.Match[str], renames: dict[str, str]) -> str:
    """Rename one dotted match, unless it names a submodule of a module that became a package."""
    old, dot, imported = match.groups()
    new = renames[old]
    if new.startswith(old + ".") and (dot or not imported):
        return match.group(0)  # the package the module became (prose, submodules): leave it
    if imported and f"{old}.{imported}" in renames.values():
        return match.group(0)
    return new + dot + (f" import {imported}" if imported else "")


def _from_imports(text: str, renames: dict[str, str]) -> str:
    """Rewrite `from pkg import mod[ as x], ...` where `pkg.mod` moved (one line per new parent)."""
    pattern = re.compile(r"^(\s*)from ([\w.]+) import ([\w, ]+?)(\s+#.*)?$", re.MULTILINE)

    def fix(match: re.Match[str]) -> str:
        indent, package, names, comment = match.groups()
        lines: dict[str, list[str]] = {}
        for part in (name.strip() for name in names.split(",")):
            name, _, alias = (word.strip() for word in part.partition(" as "))
            parent, _, leaf = renames.get(f"{package}.{name}", f"{package}.{name}").rpartition(".")
            local = alias or name
            lines.setdefault(parent, []).append(leaf if leaf == local else f"{leaf} as {local}")
        if list(lines) == [package]:
            return match.group(0)
        tail = comment or ""
        return "\n".join(f"{indent}from {p} import {', '.join(n)}{tail}" for p, n in lines.items())

    return pattern.sub(fix, text)


def tracked(paths: list[str]) -> list[Path]:
    """Return the tracked text files under `paths` (the whole tree by default), less fixtures."""
    out = subprocess.run(
        ["git", "ls-files", *paths], cwd=ROOT, capture_output=True, text=True, check=True
    )
    files = [line for line in out.stdout.splitlines() if not line.startswith(SKIP)]
    return [ROOT / f for f in files if Path(f).suffix in SUFFIXES and (ROOT / f).is_file()]


def git_mv(renames: dict[str, str]) -> None:
    """Move each old module file to its new place (through a temporary name: a file may become
    the package of the same name)."""
    staged = []
    for index, (old, new) in enumerate(renames.items()):
        source = ROOT / _path(old)
        if source.exists():
            temp = ROOT / f"_layout_move_{index}.py"
            subprocess.run(["git", "mv", str(source), str(temp)], cwd=ROOT, check=True)
            staged.append((temp, ROOT / _path(new)))
    for temp, target in staged:
        target.parent.mkdir(parents=True, exist_ok=True)
        init = target.parent / "__init__.py"
        if not init.exists():
            init.write_text(f'"""{target.parent.name}."""\n', encoding="utf-8")
            subprocess.run(["git", "add", str(init)], cwd=ROOT, check=True)
        subprocess.run(["git", "mv", str(temp), str(target)], cwd=ROOT, check=True)


def main(argv: list[str]) -> int:
    """Apply the table (and any extra `old=new` arguments) to the tree; print the files changed."""
    renames = moves()
    renames.update(dict(arg.split("=", 1) for arg in argv if "=" in arg))
    if "--git-mv" in argv:
        git_mv(renames)
    paths = [arg for arg in argv if not arg.startswith("--") and "=" not in arg]
    for file in tracked(paths):
        text = file.read_text(encoding="utf-8")
        new = rewrite(text, renames)
        if new != text:
            if "--dry-run" not in argv:
                file.write_text(new, encoding="utf-8")
            print(file.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
