"""Exit codes and the exceptions that map to them."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    ITEM_FAILED = 1
    INVALID_INPUT = 2
    INTERRUPTED = 130


class AgentError(Exception):
    """An error the CLI reports as plain lines, without a traceback."""

    exit_code: ExitCode = ExitCode.INVALID_INPUT

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines: list[str] = list(lines)


class InputError(AgentError):
    """Invalid user input or configuration (exit 2)."""


class NotAvailableError(AgentError):
    """A command whose implementation has not landed yet (exit 2)."""
