"""Choose the source files the model should see for an item, and a test to copy the style of."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from agent.backlog.models import BacklogItem
from agent.config.model import ModelSettings
from agent.graph.item_checks import is_test_file
from agent.scanners.secrets import redact
from agent.system import proc
from agent.text.textcut import Anchor, excerpt

TRACEBACK_PATH = re.compile(r"^([\w./-]+\.py):\d+", re.MULTILINE)
MAX_FILE_CHARS = 12_000
PROMPT_TOKENS = 1600
"""Tokens of a prompt besides its source files: system, instructions, the test, the failure."""
MIN_FILE_TOKENS = 256


def tracked_python(root: Path) -> list[str]:
    """Tracked Python files of the worktree."""
    result = proc.run(["git", "ls-files", "--", "*.py"], cwd=root, timeout=60)
    return [line for line in result.stdout.splitlines() if line]


def module_name(path: str) -> str:
    """`calclib/numbers.py` -> `calclib.numbers` (packages drop `__init__`)."""
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def item_text(item: BacklogItem) -> str:
    """Everything a human wrote about the item."""
    source = item.source.text if item.source and item.source.text else ""
    return " ".join([item.title, item.description, *item.acceptance_criteria, source])


def guess_module(root: Path, item: BacklogItem) -> str | None:
    """The non-test module the item is about: its source file, or the one its text names best."""
    path = item.source.path if item.source else None
    if path and not is_test_file(path) and (root / path).is_file():
        return path
    text = item_text(item)
    scored = []
    for path in tracked_python(root):
        if is_test_file(path) or path.endswith("__init__.py"):
            continue
        score = _mentions(text, path)
        if score:
            scored.append((score, path))
    return max(scored)[1] if scored else None


def _mentions(text: str, path: str) -> int:
    stem = Path(path).stem
    if path in text:
        return 3
    if module_name(path) in text:
        return 2
    return 1 if re.search(rf"(?<![^\W_]){re.escape(stem)}(?![^\W_])", text) else 0


def files_from_failure(root: Path, output: str, limit: int = 2) -> list[str]:
    """Repository files (not tests) named in a failure's traceback, most recent last."""
    seen: list[str] = []
    for match in TRACEBACK_PATH.finditer(output):
        path = match.group(1).removeprefix("./")
        if Path(path).is_absolute() or ".." in Path(path).parts:
            continue  # the standard library or site-packages, never the code to fix
        if not is_test_file(path) and (root / path).is_file() and path not in seen:
            seen.append(path)
    return seen[-limit:]


def read_source(
    root: Path,
    path: str,
    anchors: Iterable[Anchor] = (),
    budget: int = MAX_FILE_CHARS,
    size: Callable[[str], int] = len,
) -> str:
    """A file's text for a prompt: secrets redacted, cut to `budget` (characters, or `size`).

    A long file keeps its head and the lines around `anchors` (the failure's traceback lines,
    a localiser's lines, function spans), with a marker naming each omitted range of lines.
    """
    text = redact((root / path).read_text(encoding="utf-8", errors="replace"))
    return excerpt(text, anchors, budget, size)


def file_tokens(settings: ModelSettings, files: int) -> int:
    """Tokens each of `files` source files may take in a prompt that must fit the window."""
    room = settings.context_window - settings.max_completion_tokens - PROMPT_TOKENS
    return max(room // max(files, 1), MIN_FILE_TOKENS)


def failure_lines(output: str, path: str) -> list[int]:
    """The lines of `path` a failure's traceback names (pytest's `path:N:` and Python's form)."""
    name = re.escape(path.removeprefix("./"))
    pattern = rf'^\s*(?:\./)?{name}:(\d+)|File "(?:[^"]*/)?{name}", line (\d+)'
    found = (int(a or b) for a, b in re.findall(pattern, output, re.MULTILINE))
    return sorted(set(found))


def example_test(root: Path, module: str) -> str | None:
    """A short existing test that imports from the same package, for the import style."""
    package = module_name(module).split(".")[0]
    candidates = sorted(p for p in tracked_python(root) if is_test_file(p) and "conftest" not in p)
    for path in candidates:
        text = (root / path).read_text(encoding="utf-8", errors="replace")
        if package in text and len(text) < 2000:
            return text
    return None


def test_dir(root: Path) -> str:
    """The repository's test directory (`tests` unless only `test` exists)."""
    return "test" if (root / "test").is_dir() and not (root / "tests").is_dir() else "tests"


def imported_modules(root: Path, test_path: str) -> list[str]:
    """Repository modules a test file imports (`from pkg.mod import f` -> pkg/mod.py)."""
    try:
        tree = ast.parse((root / test_path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return []
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    found: list[str] = []
    for name in names:
        base = root.joinpath(*name.split("."))
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            rel = candidate.relative_to(root).as_posix()
            if candidate.is_file() and not is_test_file(rel) and rel not in found:
                found.append(rel)
    return [path for path in found if not path.endswith("__init__.py")] or found


FENCE = re.compile(r"^\s*```[\w+-]*[ \t]*\n(?P<body>.*?)\n?```\s*$", re.S)


def strip_fences(text: str) -> str:
    """Remove a markdown code fence a model wrapped around a whole file."""
    match = FENCE.match(text)
    return match.group("body") + "\n" if match else text
