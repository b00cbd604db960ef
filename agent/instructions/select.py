"""Pick the instruction files relevant to an item and fit them into the prompt's token budget.

Relevant: the nearest AGENTS.md of each of the item's files (deepest first), then the root
AGENTS.md, CLAUDE.md, .github/copilot-instructions.md and CONTRIBUTING.md. The budget is served
in that order: a file that does not fit whole is cut to what is left, and a file that finds
less than MIN_TOKENS left is left out (and named as such).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from agent.config.instructions import InstructionSettings
from agent.instructions.files import nested_agents, read_instruction, root_paths
from agent.text.prompting import render
from agent.text.textcut import cut_tokens
from agent.text.tokens import encoding

MIN_TOKENS = 40
"""Below this, a file is left out rather than shown as a stub."""
HEADER_TOKENS = 32
"""Tokens reserved per file for its `--- path ---` line and notes."""
PREAMBLE_TOKENS = 60
"""Tokens reserved for the two lines before the files and the left-out note."""


@dataclass(frozen=True)
class Applied:
    """One instruction file as it reaches the prompts."""

    path: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class Instructions:
    """The instruction files applied to an item, and those the budget left out."""

    applied: tuple[Applied, ...] = ()
    left_out: tuple[str, ...] = ()

    @property
    def paths(self) -> list[str]:
        """The applied files' paths, in the order the prompt shows them."""
        return [file.path for file in self.applied]

    def prompt(self) -> str:
        """The text added to a prompt ('' when no file applies)."""
        if not self.applied:
            return ""
        return render("instructions", files=self.applied, left_out=self.left_out).rstrip("\n")


def relevant_paths(root: Path, paths: Iterable[str]) -> list[str]:
    """The instruction files that apply to an item touching `paths`, most specific first."""
    return [*nested_agents(root, paths), *root_paths(root)]


def instructions_for(
    root: Path, paths: Iterable[str], settings: InstructionSettings
) -> Instructions:
    """Read the files relevant to `paths` under `root` and fit them into `settings.tokens`."""
    if not settings.enabled or settings.tokens <= 0:
        return Instructions()
    left = settings.tokens - PREAMBLE_TOKENS
    applied: list[Applied] = []
    left_out: list[str] = []
    for name in relevant_paths(root, paths):
        room = left - HEADER_TOKENS
        if room < MIN_TOKENS:
            left_out.append(name)
            continue
        try:
            file = read_instruction(root, name, settings.max_file_bytes)
        except OSError:
            continue  # unreadable (permissions, removed meanwhile): as if it were not there
        if not file.text.strip():
            continue
        text, note = _fit(file.text.strip(), room, file.bytes_cut)
        applied.append(Applied(name, text, note))
        left -= len(encoding().encode_ordinary(text)) + HEADER_TOKENS
    return Instructions(tuple(applied), tuple(left_out))


def _fit(text: str, room: int, bytes_cut: int) -> tuple[str, str]:
    """Cut `text` to `room` tokens; return it and a note of what was left out."""
    kept = cut_tokens(text, encoding(), room, 0)
    notes = [f"{bytes_cut:,} bytes beyond the size cap not read"] if bytes_cut else []
    if kept.cut:
        notes.append(f"{kept.cut:,} tokens cut to fit the budget")
    return kept.head, "; ".join(notes)
