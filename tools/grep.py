"""`git grep -n -E` over the repository's files, for the search tool when the pattern allows it.

git grep reads tracked and new (not ignored) files in one native pass, far faster than a Python
loop on a large repository. It speaks POSIX extended regular expressions, which share most syntax
with Python's but not all: a pattern with a Python-only construct (an escape such as `\\d`, a
group `(?...)`, a lazy quantifier) is left to the Python loop, so a pattern means the same thing
whichever engine runs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agent.system import proc

SAFE_ESCAPES = frozenset(".()[]{}*+?|\\^$/-")
LAZY = re.compile(r"[*+?}]\?")
BRACKET_ESCAPE = re.compile(r"\[[^\]]*\\")  # POSIX reads `\` inside brackets literally
GREP_TIMEOUT_S = 60


@dataclass(frozen=True)
class GrepHits:
    """Matching lines as `(path, line, text)`, in git's order (by path, then line)."""

    hits: list[tuple[str, int, str]]


def is_portable(pattern: str) -> bool:
    """True when `pattern` means the same as a Python regex and a POSIX extended one."""
    if "(?" in pattern or LAZY.search(pattern) or BRACKET_ESCAPE.search(pattern):
        return False
    escaped = re.findall(r"\\(.)", pattern, flags=re.S)
    return all(char in SAFE_ESCAPES for char in escaped)


def git_grep(
    root: Path, pattern: str, ignore_case: bool, keep: Callable[[str], bool]
) -> GrepHits | None:
    """Lines matching `pattern` in files `keep` accepts; None when git grep cannot answer."""
    if not is_portable(pattern):
        return None
    args = ["git", "grep", "-n", "-z", "-I", "-E", "--untracked", "--no-color"]
    args += ["-i"] if ignore_case else []
    result = proc.run([*args, "-e", pattern], cwd=root, timeout=GREP_TIMEOUT_S)
    if result.returncode == 1 and not result.stderr.strip():
        return GrepHits([])
    if not result.ok:
        return None  # git refused the pattern or is missing: the Python loop decides
    return GrepHits(_parse(result.stdout, keep))


def _parse(output: str, keep: Callable[[str], bool]) -> list[tuple[str, int, str]]:
    hits: list[tuple[str, int, str]] = []
    for row in output.split("\n"):
        path, number, text = [*row.split("\0", 2), "", ""][:3]
        if number.isdigit() and keep(path):
            hits.append((path, int(number), text))
    return sorted(hits, key=lambda hit: (hit[0], hit[1]))
