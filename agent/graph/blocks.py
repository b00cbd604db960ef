"""Search/replace blocks (aider's edit format): parse a reply, apply it to files, all or none.

A block names its file on the line before it, then:

    <<<<<<< SEARCH
    lines copied from the file
    =======
    the lines that replace them
    >>>>>>> REPLACE

Parsing tolerates code fences, prose and sloppy markers (5-9 marker characters, spacing); a block
without a path takes the previous block's file, the first one the focus file. The SEARCH text is
found through agent.tools.edit.replace_block (exact, then whitespace-insensitive) in the text the
model was shown (secrets redacted); the secrets are put back (agent.scanners.unredact) before
anything is written.
Every block must apply, or no file changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.graph.editable import path_problem
from agent.scanners.unredact import restore_secrets, shown_text
from agent.system.fsutil import atomic_write_text
from agent.tools.common import Refused
from agent.tools.edit import replace_block

SEARCH = re.compile(r"^\s*<{5,9}\s*SEARCH\b", re.IGNORECASE)
DIVIDER = re.compile(r"^\s*={5,9}\s*$")
REPLACE = re.compile(r"^\s*>{5,9}\s*REPLACE\b", re.IGNORECASE)
PATH_LINE = re.compile(r"^[\w.-]+(?:/[\w.-]+)*\.\w+$")
PATH_DECORATION = "`*#:'\" \t"


@dataclass(frozen=True)
class Block:
    """One edit: replace `search` by `replace` in the file `path`."""

    path: str
    search: str
    replace: str


def parse_blocks(reply: str, focus: str) -> tuple[list[Block], str | None]:
    """The blocks of a reply, in order; (blocks, problem) where problem says why it is unusable."""
    blocks: list[Block] = []
    lines = reply.splitlines()
    index, path_seen = 0, ""
    while index < len(lines):
        line = lines[index]
        if SEARCH.match(line):
            path = path_seen or (blocks[-1].path if blocks else focus)
            block, index = _one_block(lines, index + 1, path)
            if block is None:
                return blocks, f"block {len(blocks) + 1} is not closed with >>>>>>> REPLACE"
            blocks.append(block)
            path_seen = ""
            continue
        path_seen = _path_of(line) or (path_seen if _is_fence_or_blank(line) else "")
        index += 1
    return blocks, None if blocks else "it has no <<<<<<< SEARCH block"


def _one_block(lines: list[str], index: int, path: str) -> tuple[Block | None, int]:
    """Read SEARCH lines up to the divider, then REPLACE lines up to the end marker."""
    parts: list[list[str]] = [[], []]
    part = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if part == 0 and DIVIDER.match(line):
            part = 1
        elif part == 1 and REPLACE.match(line):
            return Block(path, _joined(parts[0]), _joined(parts[1])), index
        else:
            parts[part].append(line)
    return None, index


def _joined(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _path_of(line: str) -> str:
    """The file path a line names, if it is nothing but a path (decorations stripped)."""
    candidate = line.strip().strip(PATH_DECORATION).removeprefix("./")
    return candidate if PATH_LINE.match(candidate) else ""


def _is_fence_or_blank(line: str) -> bool:
    return not line.strip() or line.strip().startswith("```")


def apply_blocks(
    root: Path, blocks: Sequence[Block], editable: Sequence[str]
) -> tuple[dict[str, str], str | None]:
    """The new text of every file the blocks change; ({}, problem) when any block fails."""
    originals: dict[str, str] = {}
    shown: dict[str, str] = {}
    for number, block in enumerate(blocks, start=1):
        refused = path_problem(block.path, editable)
        if refused:
            return {}, f"block {number}: {refused}"
        if block.path not in originals:
            originals[block.path] = (root / block.path).read_text(encoding="utf-8")
            shown[block.path] = shown_text(originals[block.path])[0]
        try:
            shown[block.path] = replace_block(shown[block.path], block.search, block.replace).text
        except Refused as exc:
            return {}, f"block {number} ({block.path}): {exc}"
    return _restored(originals, shown)


def _restored(
    originals: dict[str, str], shown: dict[str, str]
) -> tuple[dict[str, str], str | None]:
    changed: dict[str, str] = {}
    for path, text in shown.items():
        restored, lost = restore_secrets(originals[path], text)
        if lost:
            return {}, f"{path}: {lost}"
        if restored != originals[path]:
            changed[path] = restored
    return changed, None


def write_all(root: Path, texts: dict[str, str]) -> dict[str, str]:
    """Write every file (temp file and rename each); on a failure put back those written.

    Returns the files' previous texts, for `write_all(root, previous)` to undo the change.
    """
    previous = {path: (root / path).read_text(encoding="utf-8") for path in texts}
    written: list[str] = []
    try:
        for path, text in texts.items():
            atomic_write_text(root / path, text)
            written.append(path)
    except OSError:
        for path in written:
            atomic_write_text(root / path, previous[path])
        raise
    return previous
