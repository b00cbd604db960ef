"""Settings of the repository's instructions: `[tool.agent.instructions]` (docs/instructions.md)."""

from __future__ import annotations

from pydantic import Field

from agent.config.section import Section


class InstructionSettings(Section):
    """Which of the repository's instruction files reach the prompts, and how much of them."""

    enabled: bool = True
    """Read AGENTS.md, CLAUDE.md, .github/copilot-instructions.md and CONTRIBUTING.md at all."""
    tokens: int = Field(default=1200, ge=0)
    """Most tokens of instruction text in one prompt; the nearest AGENTS.md is served first."""
    max_file_bytes: int = Field(default=32_000, ge=1)
    """Bytes read of one instruction file; the rest is cut with a note."""
    hints: bool = True
    """Take the test command an instruction file names when no configuration sets one."""
