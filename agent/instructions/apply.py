"""Apply the hints of the root-level instruction files to settings; configuration always wins.

A test command named there replaces the default only when no layer of configuration (pyproject,
.agent.toml, environment, command line) sets `tests.command`: configuration is what a person
wrote for this tool, an instruction file is prose for any reader (ADR 0014).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agent.config.instructions import InstructionSettings
from agent.instructions.files import read_instruction, root_paths
from agent.instructions.hints import Hints, read_hints, test_command

if TYPE_CHECKING:
    from agent.config.settings import Settings


@dataclass(frozen=True)
class CommandHints:
    """What the root-level instruction files say about the test and lint commands."""

    test: Hints | None = None
    """The first file naming a pytest command (a usable hint, or several ambiguous ones)."""
    lint: Hints | None = None
    """The first file naming exactly one lint command."""


def command_hints(root: Path, settings: InstructionSettings) -> CommandHints:
    """Read the test and lint hints of the root-level instruction files, in precedence order."""
    if not settings.enabled or not settings.hints:
        return CommandHints()
    test: Hints | None = None
    lint: Hints | None = None
    for name in root_paths(root):
        try:
            text = read_instruction(root, name, settings.max_file_bytes).text
        except OSError:
            continue
        hints = read_hints(name, text)
        if test is None and (hints.test is not None or hints.ambiguous):
            test = hints
        if lint is None and hints.lint:
            lint = hints
    return CommandHints(test, lint)


def hinted_command(settings: Settings, hints: CommandHints) -> tuple[str, ...] | None:
    """The test command the hints give, with the settings' extra_args left out of it."""
    if hints.test is None or hints.test.test is None:
        return None
    return test_command(hints.test.test, settings.tests.extra_args)


def configured_command(settings: Settings) -> bool:
    """True when some layer of configuration set `tests.command` (then hints are not used)."""
    return "command" in settings.tests.model_fields_set


def with_hints(settings: Settings, root: Path) -> Settings:
    """`settings` with the hinted test command when no configuration sets one."""
    if configured_command(settings):
        return settings
    command = hinted_command(settings, command_hints(root, settings.instructions))
    if command is None:
        return settings
    tests = settings.tests.model_copy(update={"command": command})
    return settings.model_copy(update={"tests": tests})
