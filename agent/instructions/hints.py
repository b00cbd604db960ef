"""Machine-usable hints in instruction files: the test and the lint command, when unambiguous.

Only commands under a heading that names tests or linting are read, from a fenced code block or
an inline code span (`$ ` prompts are dropped). A file gives a test hint when every pytest
command there is the same once test selections (paths, node ids, `-k`) are dropped; two different
ones are ambiguous and give none. The hint becomes `python -m pytest <options>`; a command with
shell operators, variables or another runner (tox, make, uv run) is never taken.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<title>.*)$")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
INLINE = re.compile(r"`([^`\n]+)`")
TOPIC = re.compile(r"\b(tests?|testing|lint(?:ing|ers?)?|checks?|style|quality)\b", re.I)
SHELL = re.compile(r"[|;&<>$`]")
LINTERS = ("ruff", "flake8", "pylint", "mypy", "black", "isort", "pre-commit")
VALUED_OPTIONS = (
    "-k -m -n -p -c -o -W -r --tb --maxfail --rootdir --durations --cov --cov-report --timeout "
    "--dist --basetemp --deselect --ignore --ignore-glob --confcutdir --log-level "
    "--numprocesses --junitxml --import-mode"
)
"""pytest options whose value is the next argument (so that value is not a test selection)."""
VALUED = frozenset(VALUED_OPTIONS.split())
DROPPED = frozenset({"-k", "--junitxml", "--lf", "--ff", "--last-failed", "--failed-first"})


@dataclass(frozen=True)
class Hints:
    """What one instruction file says about commands."""

    source: str
    test: tuple[str, ...] | None = None
    """The pytest options of its one test command (`python -m pytest` + these), or None."""
    test_written: str = ""
    """That command as the file writes it."""
    lint: str = ""
    """Its lint command as written ('' when none or several)."""
    ambiguous: tuple[str, ...] = ()
    """The different test commands when there were several (no hint taken)."""


def read_hints(source: str, text: str) -> Hints:
    """The test and lint commands `text` (the file `source`) names unambiguously."""
    commands = [argv for argv in _commands(text) if argv]
    tests: dict[tuple[str, ...], str] = {}
    for argv in filter(_is_pytest, commands):
        tests.setdefault(_pytest_options(argv), shlex.join(argv))
    linters = sorted({shlex.join(argv) for argv in commands if _is_linter(argv)})
    lint = linters[0] if len(linters) == 1 else ""
    if len(tests) > 1:
        return Hints(source, lint=lint, ambiguous=tuple(sorted(tests.values())))
    options, written = next(iter(tests.items()), (None, ""))
    return Hints(source, options, written, lint)


def test_command(options: tuple[str, ...], extra_args: tuple[str, ...]) -> tuple[str, ...]:
    """The configured-form command of a hint: `python -m pytest` plus options not in extra_args."""
    kept = [arg for arg in options if not (arg in extra_args and arg not in VALUED)]
    return ("python", "-m", "pytest", *kept)


def _commands(text: str) -> Iterator[list[str]]:
    """Each candidate command line under a tests/lint heading, split like a shell would."""
    topical, fenced = False, False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        heading = None if fenced else HEADING.match(line)
        if heading:
            topical = TOPIC.search(heading["title"]) is not None
            continue
        if not topical:
            continue
        for snippet in [line] if fenced else INLINE.findall(line):
            argv = _split(snippet.strip().removeprefix("$ ").strip())
            if argv is not None:
                yield argv


def _split(command: str) -> list[str] | None:
    if not command or SHELL.search(command):
        return None
    try:
        return shlex.split(command, comments=True)
    except ValueError:
        return None


def _is_pytest(argv: list[str]) -> bool:
    return argv[0] == "pytest" or (
        argv[0] in ("python", "python3") and argv[1:3] == ["-m", "pytest"]
    )


def _is_linter(argv: list[str]) -> bool:
    if argv[0] in ("python", "python3") and argv[1:2] == ["-m"]:
        return len(argv) > 2 and argv[2] in LINTERS
    return argv[0] in LINTERS


def _pytest_options(argv: list[str]) -> tuple[str, ...]:
    """The options of a pytest command; test selections (paths, node ids, -k) are dropped."""
    args = argv[1:] if argv[0] == "pytest" else argv[3:]
    kept: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        valued = arg in VALUED and index + 1 < len(args)
        pair = args[index : index + 2] if valued else [arg]
        if arg.startswith("-") and arg.split("=", 1)[0] not in DROPPED:
            kept.extend(pair)
        index += len(pair)
    return tuple(kept)
