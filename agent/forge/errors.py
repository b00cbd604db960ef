"""Forge failures as one-line messages with the CLI's exit codes (2: fix your setup, 1: retry)."""

from __future__ import annotations

from agent.errors import AgentError, ExitCode


class ForgeError(AgentError):
    """A forge request that failed; `exit_code` says whether the setup (2) or the moment (1) is
    to blame."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.INVALID_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class ForgeUnavailable(ForgeError):
    """The forge cannot answer now (network down, rate limited, server error): a run stopped by
    it can be continued with `agent resume`."""


def transient(message: str) -> ForgeUnavailable:
    """An error worth retrying later: exit 1."""
    return ForgeUnavailable(message, ExitCode.ITEM_FAILED)
