"""Words of a failure and an item's text that can point at code: identifiers, literals, modules."""

from __future__ import annotations

import builtins
import keyword
import re
from pathlib import Path

from agent.system import proc

IDENTIFIER = re.compile(r"(?<![\w.])[A-Za-z_][A-Za-z0-9_]{2,}(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
QUOTED = re.compile(r"'([^'\n]{4,80})'|\"([^\"\n]{4,80})\"")
MESSAGE = re.compile(r"(?:^|\s)[\w.]*(?:Error|Exception|Warning): (.{4,80}?)\s*$", re.M)
COMMON = frozenset({"self", "cls", "test", "tests", "assert", "def", "args", "kwargs", "value"})
PYTEST_WORDS = frozenset(
    [
        "failed",
        "failures",
        "failure",
        "passed",
        "error",
        "errors",
        "summary",
        "short",
        "info",
        "stopping",
        "where",
        "session",
        "starts",
        "platform",
        "rootdir",
        "plugins",
        "collected",
        "items",
        "warnings",
        "deselected",
        "skipped",
    ]
)
IGNORED = COMMON | frozenset(dir(builtins)) | frozenset(keyword.kwlist)
MAX_LITERALS = 8
MAX_GREP_HITS = 200


def identifiers(text: str) -> set[str]:
    """Names (and each part of dotted names) that could name a definition."""
    found: set[str] = set()
    for match in IDENTIFIER.finditer(text):
        for part in match.group(0).split("."):
            if len(part) >= 3 and part not in IGNORED and part.lower() not in PYTEST_WORDS:
                found.add(part)
    return found


def dotted_names(text: str) -> set[str]:
    """Dotted names as written (`pkg.core`, `pkg.core.parse`)."""
    return {m.group(0) for m in IDENTIFIER.finditer(text) if "." in m.group(0)}


def literals(text: str) -> list[str]:
    """Quoted strings and exception messages worth a text search, first ones first."""
    found = [m.group(1) or m.group(2) for m in QUOTED.finditer(text)]
    found += [m.group(1) for m in MESSAGE.finditer(text)]
    usable = [lit.strip() for lit in found if len(lit.strip()) >= 4 and not lit.endswith(".py")]
    return list(dict.fromkeys(usable))[:MAX_LITERALS]


def mentions(text: str, path: str, module: str) -> int:
    """How plainly `text` names a module: its path 4, its dotted name 3, its file stem 1, else 0."""
    stem = Path(path).stem
    if path in text:
        return 4
    if "." in module and re.search(rf"(?<![\w.]){re.escape(module)}(?![\w])", text):
        return 3
    if len(stem) >= 4 and stem != "__init__":
        return 1 if re.search(rf"(?<![^\W_]){re.escape(stem)}(?![^\W_])", text) else 0
    return 0


def grep_fixed(root: Path, needles: list[str]) -> list[tuple[str, int, str]]:
    """`(path, line, text)` of Python lines holding any of `needles` literally (git grep)."""
    if not needles:
        return []
    args = ["git", "grep", "-n", "-z", "-I", "-F", "--untracked"]
    for needle in needles:
        args += ["-e", needle]
    result = proc.run([*args, "--", "*.py"], cwd=root, timeout=60)
    hits: list[tuple[str, int, str]] = []
    for row in result.stdout.split("\n"):
        path, number, text = [*row.split("\0", 2), "", ""][:3]
        if number.isdigit():
            hits.append((path, int(number), text))
    return hits


def specific(
    hits: list[tuple[str, int, str]], needles: list[str], max_files: int
) -> list[tuple[str, int]]:
    """The hits of needles found in at most `max_files` files: a string everywhere says little."""
    spread = {needle: {path for path, _, text in hits if needle in text} for needle in needles}
    kept = [needle for needle in needles if 0 < len(spread[needle]) <= max_files]
    chosen = [(path, line) for path, line, text in hits if any(n in text for n in kept)]
    return chosen[:MAX_GREP_HITS]
