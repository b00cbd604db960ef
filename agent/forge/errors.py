"""Forge failures as one-line messages with the CLI's exit codes (2: fix your setup, 1: retry)."""

from __future__ import annotations

from agent.errors import AgentError, ExitCode


class ForgeError(AgentError):
    """A forge request that failed; `exit_code` says whether the setup (2) or the moment (1) is
    to blame."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.INVALID_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def transient(message: str) -> ForgeError:
    """An error worth retrying later (network down, rate limited, server error): exit 1."""
    return ForgeError(message, ExitCode.ITEM_FAILED)
